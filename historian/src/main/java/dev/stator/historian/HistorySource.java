package dev.stator.historian;

import dev.stator.driver.api.TagValue;
import java.nio.file.Path;
import java.time.Duration;
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

    /**
     * The usable samples of {@code tag} summed up per bucket: count, minimum, maximum, first and last (each with its
     * time), sum and average. Buckets of a fixed width or calendar days in a time zone ({@link Buckets}). Reads the
     * summaries of chunks and intervals that lie inside a bucket, and decodes only those that straddle a boundary.
     */
    List<Aggregate> aggregate(String tag, Buckets buckets) throws HistoryException;

    /**
     * The samples of {@code tag} in {@code [from, to)} reduced for a trend {@code width} pixels wide (M4, Jugel et
     * al., VLDB 2014): for each pixel column its first, last, minimum and maximum usable sample, at most four points
     * in time order, which draw the same line as all the samples would. A point after a Bad reading or a gap marker
     * has {@code gapBefore}: the line must break there. Reads summaries where a column spans whole chunks or
     * intervals and decodes only those at the columns' edges.
     */
    List<TrendPoint> m4(String tag, Instant from, Instant to, int width) throws HistoryException;

    /**
     * The value of {@code tag} at {@code from}, {@code from + step}, ... before {@code to}, with the tag's own
     * interpolation (linear unless configured otherwise). Never across a gap: after a Bad reading or a gap marker
     * the value is a gap until the next good sample, and a linear value is only drawn between two usable samples
     * with nothing between them (before a Bad one it holds the last value).
     */
    List<InterpolatedValue> interpolate(String tag, Instant from, Instant to, Duration step)
            throws HistoryException;

    /** As {@link #interpolate(String, Instant, Instant, Duration)}, with the given interpolation. */
    List<InterpolatedValue> interpolate(String tag, Instant from, Instant to, Duration step,
                                        Interpolation interpolation) throws HistoryException;

    /**
     * The journal entries (alarm events, operator actions, system events) that {@code query} selects, in time order,
     * equal times in the order they were recorded. Holds them all in memory: give a limit, or use
     * {@link #streamJournal} for exports.
     */
    List<JournalEntry> journal(JournalQuery query) throws HistoryException;

    /**
     * Hands the journal entries {@code query} selects to {@code visitor} one at a time, in time order, reading them
     * from the database in pages as the visitor consumes them.
     *
     * @return the number of entries visited
     * @throws X when the visitor throws; the query stops there
     */
    <X extends Exception> long streamJournal(JournalQuery query, JournalVisitor<X> visitor)
            throws HistoryException, X;

    /** Releases the database. Idempotent. */
    @Override
    void close();
}
