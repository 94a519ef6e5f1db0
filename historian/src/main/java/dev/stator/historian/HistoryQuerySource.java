package dev.stator.historian;

import dev.stator.driver.api.TagValue;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The queries of {@link HistorySource} over one database, the same for the writing {@link Historian} (whose
 * {@link HistoryQueries} add what its writer holds in memory) and a {@link HistoryReader} in another process. Each
 * checks first that its source is open.
 */
abstract class HistoryQuerySource implements HistorySource {

    /** The database. */
    abstract HistoryFile historyFile();

    /** The queries over it. */
    abstract HistoryQueries queries();

    /** Fails with {@link IllegalStateException} naming the database once it is closed. */
    abstract void checkOpen();

    @Override
    public Path file() {
        return historyFile().dataFile();
    }

    @Override
    public List<String> tags() throws HistoryException {
        checkOpen();
        return queries().tags();
    }

    @Override
    public boolean hasHistory(String tag) throws HistoryException {
        checkOpen();
        return queries().hasHistory(tag);
    }

    /** {@inheritDoc} The writing process includes what it recorded and its writer already has, committed or not. */
    @Override
    public List<TagValue> query(String tag, Instant from, Instant to) throws HistoryException {
        checkOpen();
        return queries().query(tag, from, to);
    }

    @Override
    public <X extends Exception> long stream(String tag, Instant from, Instant to, SampleVisitor<X> visitor)
            throws HistoryException, X {
        checkOpen();
        return queries().stream(tag, from, to, visitor);
    }

    @Override
    public Optional<TagValue> lastBefore(String tag, Instant time) throws HistoryException {
        checkOpen();
        return queries().lastBefore(tag, time);
    }

    @Override
    public List<Aggregate> aggregate(String tag, Buckets buckets) throws HistoryException {
        checkOpen();
        return queries().aggregate(tag, buckets);
    }

    @Override
    public List<TrendPoint> m4(String tag, Instant from, Instant to, int width) throws HistoryException {
        checkOpen();
        return queries().m4(tag, from, to, width);
    }

    @Override
    public List<InterpolatedValue> interpolate(String tag, Instant from, Instant to, Duration step)
            throws HistoryException {
        checkOpen();
        return queries().interpolate(tag, from, to, step, null);
    }

    @Override
    public List<InterpolatedValue> interpolate(String tag, Instant from, Instant to, Duration step,
                                               Interpolation interpolation) throws HistoryException {
        checkOpen();
        return queries().interpolate(tag, from, to, step, Objects.requireNonNull(interpolation, "interpolation"));
    }

    /** {@inheritDoc} Entries the writing process recorded are there once committed: within about half a second. */
    @Override
    public List<JournalEntry> journal(JournalQuery query) throws HistoryException {
        checkOpen();
        return JournalStore.query(historyFile(), query);
    }

    @Override
    public <X extends Exception> long streamJournal(JournalQuery query, JournalVisitor<X> visitor)
            throws HistoryException, X {
        checkOpen();
        return JournalStore.stream(historyFile(), query, visitor);
    }
}
