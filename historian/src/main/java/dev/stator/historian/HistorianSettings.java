package dev.stator.historian;

import java.time.Duration;
import java.util.Objects;

/**
 * How the {@link Historian} buffers and writes.
 *
 * @param queueCapacity samples waiting to be written; beyond it new samples are dropped and counted (default 100,000)
 * @param flushInterval the longest time a recorded sample waits before it is committed (default 1 s)
 * @param batchSize     samples per JDBC batch (default 1,000)
 * @param openTimeout   how long opening waits for another program to release the database (default 10 s)
 * @param closeTimeout  how long closing waits for the queue to be written and for exports to finish (default 10 s)
 */
public record HistorianSettings(int queueCapacity, Duration flushInterval, int batchSize, Duration openTimeout,
                                Duration closeTimeout) {

    public static final int DEFAULT_QUEUE_CAPACITY = 100_000;
    public static final Duration DEFAULT_FLUSH_INTERVAL = Duration.ofSeconds(1);
    public static final int DEFAULT_BATCH_SIZE = 1_000;
    public static final Duration DEFAULT_OPEN_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(10);

    public HistorianSettings {
        Objects.requireNonNull(flushInterval, "flushInterval");
        Objects.requireNonNull(openTimeout, "openTimeout");
        Objects.requireNonNull(closeTimeout, "closeTimeout");
        if (queueCapacity < 1) {
            throw new IllegalArgumentException("queueCapacity must be at least 1, not " + queueCapacity);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be at least 1, not " + batchSize);
        }
        if (flushInterval.isNegative() || flushInterval.isZero()) {
            throw new IllegalArgumentException("flushInterval must be positive, not " + flushInterval);
        }
        if (openTimeout.isNegative() || closeTimeout.isNegative()) {
            throw new IllegalArgumentException("timeouts cannot be negative");
        }
    }

    /** The documented defaults. */
    public static HistorianSettings defaults() {
        return new HistorianSettings(DEFAULT_QUEUE_CAPACITY, DEFAULT_FLUSH_INTERVAL, DEFAULT_BATCH_SIZE,
                DEFAULT_OPEN_TIMEOUT, DEFAULT_CLOSE_TIMEOUT);
    }
}
