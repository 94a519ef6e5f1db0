package dev.stator.historian;

import dev.stator.driver.api.Quality;
import dev.stator.driver.api.TagValue;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;

/**
 * How samples are laid out in schema version 1: one row per sample, its value in a typed pair of columns. This is
 * the only class that knows the layout, so that a later storage (compressed time chunks) replaces it and the
 * migration, not the public API.
 *
 * <p>A value is stored by kind: Boolean as 0/1 and Long as itself in {@code num}, Double as its raw IEEE 754 bits in
 * {@code num} (H2's DOUBLE turns -0.0 into 0.0; the bits keep -0.0 and NaN exact), String in {@code text_value},
 * an array (a List of Booleans, Longs or Doubles) as text in {@code text_value}.
 * Timestamps are microseconds since 1970 UTC. Not thread-safe: each caller brings its own connection.
 */
final class SampleStore {

    static final int MAX_TAG_LENGTH = 1_000;
    /** Longer text values are cut: a historian keeps readings, not documents. */
    static final int MAX_TEXT_LENGTH = 100_000;
    static final int MAX_DETAIL_LENGTH = 1_000;
    /** Rows fetched per round trip when reading a range. */
    static final int FETCH_SIZE = 1_000;

    static final int KIND_NONE = 0;
    static final int KIND_BOOLEAN = 1;
    static final int KIND_LONG = 2;
    static final int KIND_DOUBLE = 3;
    static final int KIND_STRING = 4;
    /** An array tag: its elements as text in {@code text_value}, see {@link #encodeArray}. */
    static final int KIND_ARRAY = 5;

    static final String INSERT = "INSERT INTO sample (tag_id, source_us, server_us, kind, num, text_value, quality,"
            + " detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";

    private static final String COLUMNS = "source_us, server_us, kind, num, text_value, quality, detail";

    /*
     * Both queries order by the whole index prefix (tag_id, source_us) although tag_id is fixed: only then does H2
     * walk the index in order ("index sorted") instead of reading the whole range and sorting it, so rows stream as
     * they are read. Equal timestamps come out in insertion order, the index's last key being the row id.
     */
    static final String SELECT_RANGE = "SELECT " + COLUMNS + " FROM sample"
            + " WHERE tag_id = ? AND source_us >= ? AND source_us < ? ORDER BY tag_id, source_us";

    static final String SELECT_LAST_BEFORE = "SELECT " + COLUMNS + " FROM sample"
            + " WHERE tag_id = ? AND source_us < ? ORDER BY tag_id DESC, source_us DESC FETCH FIRST ROW ONLY";

    private SampleStore() {
    }

    /** The id of {@code tag} in the dictionary, or {@code null} when it has no history. */
    static Integer findTagId(Connection connection, String tag) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT id FROM tag WHERE name = ?")) {
            select.setString(1, tag);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? rs.getInt(1) : null;
            }
        }
    }

    /** Adds {@code tag} to the dictionary in the current transaction and returns its id. */
    static int createTag(Connection connection, String tag) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO tag (name) VALUES (?)",
                Statement.RETURN_GENERATED_KEYS)) {
            insert.setString(1, tag);
            insert.executeUpdate();
            try (ResultSet keys = insert.getGeneratedKeys()) {
                if (!keys.next()) {
                    throw new SQLException("no id generated for tag '" + tag + "'");
                }
                return keys.getInt(1);
            }
        }
    }

    static List<String> tags(Connection connection) throws SQLException {
        List<String> tags = new ArrayList<>();
        try (Statement select = connection.createStatement();
             ResultSet rs = select.executeQuery("SELECT name FROM tag ORDER BY name")) {
            while (rs.next()) {
                tags.add(rs.getString(1));
            }
        }
        return tags;
    }

    /** Sets the parameters of {@link #INSERT} for one sample. */
    static void bind(PreparedStatement insert, int tagId, Pending sample) throws SQLException {
        TagValue reading = sample.value();
        insert.setInt(1, tagId);
        insert.setLong(2, sample.sourceMicros());
        if (sample.serverMicros() == Pending.NO_SERVER_TIME) {
            insert.setNull(3, Types.BIGINT);
        } else {
            insert.setLong(3, sample.serverMicros());
        }
        Object value = reading.value();
        int kind;
        Long num = null;
        String text = null;
        if (value == null) {
            kind = KIND_NONE;
        } else if (value instanceof Boolean b) {
            kind = KIND_BOOLEAN;
            num = b ? 1L : 0L;
        } else if (value instanceof Long l) {
            kind = KIND_LONG;
            num = l;
        } else if (value instanceof Double d) {
            kind = KIND_DOUBLE;
            num = Double.doubleToRawLongBits(d);
        } else if (value instanceof List<?> list) {
            kind = KIND_ARRAY;
            text = encodeArray(list);
        } else {
            kind = KIND_STRING;
            text = cut((String) value, MAX_TEXT_LENGTH);
        }
        insert.setInt(4, kind);
        if (num == null) {
            insert.setNull(5, Types.BIGINT);
        } else {
            insert.setLong(5, num);
        }
        insert.setString(6, text);
        insert.setInt(7, reading.quality().code());
        insert.setString(8, cut(reading.detail(), MAX_DETAIL_LENGTH));
    }

    /** The sample in the current row of a result with {@link #COLUMNS}. */
    static TagValue read(ResultSet rs) throws SQLException {
        long source = rs.getLong(1);
        long server = rs.getLong(2);
        boolean hasServer = !rs.wasNull();
        int kind = rs.getInt(3);
        long num = rs.getLong(4);
        String text = rs.getString(5);
        Quality quality = Quality.of(rs.getInt(6));
        String detail = rs.getString(7);
        Object value;
        switch (kind) {
            case KIND_NONE:
                value = null;
                break;
            case KIND_BOOLEAN:
                value = num != 0;
                break;
            case KIND_LONG:
                value = num;
                break;
            case KIND_DOUBLE:
                value = Double.longBitsToDouble(num);
                break;
            case KIND_STRING:
                value = text;
                break;
            case KIND_ARRAY:
                value = decodeArray(text);
                break;
            default:
                throw new SQLException("unknown value kind " + kind + " in the sample table");
        }
        return new TagValue(value, quality, Micros.toInstant(source), hasServer ? Micros.toInstant(server) : null,
                detail);
    }

    /**
     * An array as text: a type letter ({@code b} Boolean, {@code l} Long, {@code d} Double) and the elements separated
     * by commas, {@code d:1.5,-0.0,NaN}. Doubles use {@link Double#toString}, which reads back to the same value.
     */
    static String encodeArray(List<?> list) {
        StringBuilder s = new StringBuilder();
        s.append(list.isEmpty() || list.get(0) instanceof Double ? 'd' : list.get(0) instanceof Long ? 'l' : 'b')
                .append(':');
        for (int i = 0; i < list.size(); i++) {
            if (i > 0) {
                s.append(',');
            }
            Object o = list.get(i);
            s.append(o instanceof Boolean b ? (b ? "1" : "0") : o.toString());
        }
        return s.toString();
    }

    static List<Object> decodeArray(String text) {
        char type = text.charAt(0);
        String body = text.substring(2);
        if (body.isEmpty()) {
            return List.of();
        }
        List<Object> values = new ArrayList<>();
        for (String item : body.split(",")) {
            values.add(switch (type) {
                case 'b' -> item.equals("1");
                case 'l' -> Long.parseLong(item);
                default -> Double.parseDouble(item);
            });
        }
        return List.copyOf(values);
    }

    private static String cut(String text, int max) {
        if (text == null || text.length() <= max) {
            return text;
        }
        // Never split a surrogate pair.
        int end = Character.isHighSurrogate(text.charAt(max - 1)) ? max - 1 : max;
        return text.substring(0, end);
    }
}
