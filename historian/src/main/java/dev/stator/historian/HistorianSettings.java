package dev.stator.historian;

import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link Historian} buffers, writes and keeps history. Immutable and thread-safe; {@link #defaults()} gives
 * the documented values and the {@code with...} methods change one.
 *
 * @param queueCapacity      samples waiting to go to the write-ahead log; beyond it new samples are dropped and
 *                           counted (default 100,000)
 * @param flushInterval      the longest time a recorded sample waits before it is forced to disk in the write-ahead
 *                           log: the durability window (default 1 s)
 * @param batchSize          samples taken from the queue at a time (default 1,000)
 * @param openTimeout        how long opening waits for another program to release the database (default 10 s)
 * @param closeTimeout       how long closing waits for the history to be written and for exports to finish
 *                           (default 10 s)
 * @param publishInterval    the longest time before recorded samples are committed to the database, where other
 *                           processes see them (default 5 s); this process's queries see them sooner
 * @param storeAndForwardCap bytes the write-ahead log may hold while the database falls behind; past it the oldest
 *                           samples not yet written are dropped and counted (default 1 GiB)
 * @param diskSpaceFloor     free bytes on the disk below which {@link HistorianHealth#diskSpaceLow()} is set and the
 *                           write-ahead log stops growing (default 512 MiB)
 * @param retention          how long samples are kept, by their timestamp, for tags without a retention of their
 *                           own; null to keep them forever (default)
 * @param retentionInterval  how often retention runs (default 1 h)
 * @param journalRetention   how long journal entries (alarm, operator and system events) are kept, by their time;
 *                           null to keep them forever (default 5 years, {@link #DEFAULT_JOURNAL_RETENTION})
 */
public record HistorianSettings(int queueCapacity, Duration flushInterval, int batchSize, Duration openTimeout,
                                Duration closeTimeout, Duration publishInterval, long storeAndForwardCap,
                                long diskSpaceFloor, Duration retention, Duration retentionInterval,
                                Duration journalRetention) {

    public static final int DEFAULT_QUEUE_CAPACITY = 100_000;
    public static final Duration DEFAULT_FLUSH_INTERVAL = Duration.ofSeconds(1);
    public static final int DEFAULT_BATCH_SIZE = 1_000;
    public static final Duration DEFAULT_OPEN_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_PUBLISH_INTERVAL = Duration.ofSeconds(5);
    public static final long DEFAULT_STORE_AND_FORWARD_CAP = 1L << 30;
    public static final long DEFAULT_DISK_SPACE_FLOOR = 512L << 20;
    public static final Duration DEFAULT_RETENTION_INTERVAL = Duration.ofHours(1);
    /** Five years of 365.25 days. */
    public static final Duration DEFAULT_JOURNAL_RETENTION = Duration.ofDays(1_827);

    public HistorianSettings {
        Objects.requireNonNull(flushInterval, "flushInterval");
        Objects.requireNonNull(openTimeout, "openTimeout");
        Objects.requireNonNull(closeTimeout, "closeTimeout");
        Objects.requireNonNull(publishInterval, "publishInterval");
        Objects.requireNonNull(retentionInterval, "retentionInterval");
        if (queueCapacity < 1) {
            throw new IllegalArgumentException("queueCapacity must be at least 1, not " + queueCapacity);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be at least 1, not " + batchSize);
        }
        for (Duration d : new Duration[] {flushInterval, publishInterval, retentionInterval}) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("flushInterval, publishInterval and retentionInterval must be"
                        + " positive, not " + d);
            }
        }
        if (openTimeout.isNegative() || closeTimeout.isNegative()) {
            throw new IllegalArgumentException("timeouts cannot be negative");
        }
        if (storeAndForwardCap < 1 << 20) {
            throw new IllegalArgumentException("storeAndForwardCap must be at least 1 MiB, not " + storeAndForwardCap);
        }
        if (diskSpaceFloor < 0) {
            throw new IllegalArgumentException("diskSpaceFloor cannot be negative");
        }
        if (retention != null && (retention.isNegative() || retention.isZero())) {
            throw new IllegalArgumentException("retention must be positive, not " + retention);
        }
        if (journalRetention != null && (journalRetention.isNegative() || journalRetention.isZero())) {
            throw new IllegalArgumentException("journalRetention must be positive, not " + journalRetention);
        }
    }

    /** The settings of the first historian: the new ones take their defaults. */
    public HistorianSettings(int queueCapacity, Duration flushInterval, int batchSize, Duration openTimeout,
                             Duration closeTimeout) {
        this(queueCapacity, flushInterval, batchSize, openTimeout, closeTimeout, DEFAULT_PUBLISH_INTERVAL,
                DEFAULT_STORE_AND_FORWARD_CAP, DEFAULT_DISK_SPACE_FLOOR, null, DEFAULT_RETENTION_INTERVAL,
                DEFAULT_JOURNAL_RETENTION);
    }

    /** The documented defaults. */
    public static HistorianSettings defaults() {
        return new HistorianSettings(DEFAULT_QUEUE_CAPACITY, DEFAULT_FLUSH_INTERVAL, DEFAULT_BATCH_SIZE,
                DEFAULT_OPEN_TIMEOUT, DEFAULT_CLOSE_TIMEOUT);
    }

    public HistorianSettings withFlushInterval(Duration value) {
        return new HistorianSettings(queueCapacity, value, batchSize, openTimeout, closeTimeout, publishInterval,
                storeAndForwardCap, diskSpaceFloor, retention, retentionInterval, journalRetention);
    }

    public HistorianSettings withPublishInterval(Duration value) {
        return new HistorianSettings(queueCapacity, flushInterval, batchSize, openTimeout, closeTimeout, value,
                storeAndForwardCap, diskSpaceFloor, retention, retentionInterval, journalRetention);
    }

    public HistorianSettings withStoreAndForwardCap(long bytes) {
        return new HistorianSettings(queueCapacity, flushInterval, batchSize, openTimeout, closeTimeout,
                publishInterval, bytes, diskSpaceFloor, retention, retentionInterval, journalRetention);
    }

    public HistorianSettings withDiskSpaceFloor(long bytes) {
        return new HistorianSettings(queueCapacity, flushInterval, batchSize, openTimeout, closeTimeout,
                publishInterval, storeAndForwardCap, bytes, retention, retentionInterval, journalRetention);
    }

    public HistorianSettings withRetention(Duration value, Duration checkEvery) {
        return new HistorianSettings(queueCapacity, flushInterval, batchSize, openTimeout, closeTimeout,
                publishInterval, storeAndForwardCap, diskSpaceFloor, value, checkEvery, journalRetention);
    }

    public HistorianSettings withCloseTimeout(Duration value) {
        return new HistorianSettings(queueCapacity, flushInterval, batchSize, openTimeout, value, publishInterval,
                storeAndForwardCap, diskSpaceFloor, retention, retentionInterval, journalRetention);
    }

    public HistorianSettings withQueueCapacity(int value) {
        return new HistorianSettings(value, flushInterval, batchSize, openTimeout, closeTimeout, publishInterval,
                storeAndForwardCap, diskSpaceFloor, retention, retentionInterval, journalRetention);
    }

    /** Journal entries kept this long by their time; null keeps them forever. */
    public HistorianSettings withJournalRetention(Duration value) {
        return new HistorianSettings(queueCapacity, flushInterval, batchSize, openTimeout, closeTimeout,
                publishInterval, storeAndForwardCap, diskSpaceFloor, retention, retentionInterval, value);
    }
}
