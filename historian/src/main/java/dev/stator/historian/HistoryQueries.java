package dev.stator.historian;

import dev.stator.driver.api.TagValue;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The read side shared by {@link Historian} and {@link HistoryReader}. Each call opens its own session, so calls from
 * several threads do not wait for each other, and closes it before returning.
 */
final class HistoryQueries {

    private final HistoryFile file;

    HistoryQueries(HistoryFile file) {
        this.file = file;
    }

    List<String> tags() throws HistoryException {
        try (Connection connection = file.connect(true, false)) {
            return SampleStore.tags(connection);
        } catch (SQLException e) {
            throw file.translate(e, "read");
        }
    }

    boolean hasHistory(String tag) throws HistoryException {
        Objects.requireNonNull(tag, "tag");
        try (Connection connection = file.connect(true, false)) {
            return SampleStore.findTagId(connection, tag) != null;
        } catch (SQLException e) {
            throw file.translate(e, "read");
        }
    }

    List<TagValue> query(String tag, Instant from, Instant to) throws HistoryException {
        List<TagValue> samples = new ArrayList<>();
        stream(tag, from, to, samples::add);
        return samples;
    }

    <X extends Exception> long stream(String tag, Instant from, Instant to, SampleVisitor<X> visitor)
            throws HistoryException, X {
        Objects.requireNonNull(tag, "tag");
        Objects.requireNonNull(visitor, "visitor");
        long fromMicros = Micros.ceil(Objects.requireNonNull(from, "from"));
        long toMicros = Micros.ceil(Objects.requireNonNull(to, "to"));
        if (fromMicros >= toMicros) {
            return 0;
        }
        try (Connection connection = file.connect(true, true)) {
            Integer tagId = SampleStore.findTagId(connection, tag);
            if (tagId == null) {
                return 0;
            }
            try (PreparedStatement select = connection.prepareStatement(SampleStore.SELECT_RANGE)) {
                select.setFetchSize(SampleStore.FETCH_SIZE);
                select.setInt(1, tagId);
                select.setLong(2, fromMicros);
                select.setLong(3, toMicros);
                long count = 0;
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        visitor.visit(SampleStore.read(rs));
                        count++;
                    }
                }
                return count;
            }
        } catch (SQLException e) {
            throw file.translate(e, "read");
        }
    }

    Optional<TagValue> lastBefore(String tag, Instant time) throws HistoryException {
        Objects.requireNonNull(tag, "tag");
        long before = Micros.ceil(Objects.requireNonNull(time, "time"));
        try (Connection connection = file.connect(true, false)) {
            Integer tagId = SampleStore.findTagId(connection, tag);
            if (tagId == null) {
                return Optional.empty();
            }
            try (PreparedStatement select = connection.prepareStatement(SampleStore.SELECT_LAST_BEFORE)) {
                select.setInt(1, tagId);
                select.setLong(2, before);
                try (ResultSet rs = select.executeQuery()) {
                    return rs.next() ? Optional.of(SampleStore.read(rs)) : Optional.empty();
                }
            }
        } catch (SQLException e) {
            throw file.translate(e, "read");
        }
    }
}
