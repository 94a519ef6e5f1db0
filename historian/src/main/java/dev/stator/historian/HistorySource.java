package dev.stator.historian;

import dev.stator.driver.api.TagValue;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Read access to recorded history, whatever the storage underneath. Samples come back as {@link TagValue}s with their
 * value, quality, source timestamp (microsecond precision) and server timestamp, ordered by source timestamp.
 *
 * <p>Every method may be called from any thread except the JavaFX application thread (they do disk I/O); each call
 * uses its own database session, so calls from several threads may run at once.
 */
public interface HistorySource extends AutoCloseable {

    /** The database file ({@code ….mv.db}). */
    Path file();

    /** The names of the tags that have history, sorted. */
    List<String> tags() throws HistoryException;

    /** True when at least one sample of {@code tag} was recorded. */
    boolean hasHistory(String tag) throws HistoryException;

    /**
     * The samples of {@code tag} with a source timestamp in {@code [from, to)}, in time order; samples with equal
     * timestamps keep the order in which they were recorded. Empty for a tag without history. Holds the whole range
     * in memory: use {@link #stream} for exports.
     */
    List<TagValue> query(String tag, Instant from, Instant to) throws HistoryException;

    /**
     * Hands the samples of {@code tag} in {@code [from, to)} to {@code visitor} one at a time, in time order, reading
     * them from the database in pages as the visitor consumes them.
     *
     * @return the number of samples visited
     * @throws X when the visitor throws; the query stops there
     */
    <X extends Exception> long stream(String tag, Instant from, Instant to, SampleVisitor<X> visitor)
            throws HistoryException, X;

    /** The latest sample of {@code tag} strictly before {@code time}: the value a trend starts from. */
    Optional<TagValue> lastBefore(String tag, Instant time) throws HistoryException;

    /** Releases the database. Idempotent. */
    @Override
    void close();
}
