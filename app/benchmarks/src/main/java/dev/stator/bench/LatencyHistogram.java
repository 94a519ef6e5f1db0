package dev.stator.bench;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * Latencies from a source timestamp to the wall clock now, for many threads at once: buckets of 10 us up to 1 s, of
 * 1 ms up to 60 s, and one above. Both clients of the OPC UA benchmark record through the same code, so its cost (a
 * clock read and an atomic increment per value) is the same on both sides.
 */
final class LatencyHistogram {

    private static final long FINE_MICROS = 10;
    private static final long FINE_LIMIT_MICROS = 1_000_000;
    private static final long COARSE_MICROS = 1_000;
    private static final long COARSE_LIMIT_MICROS = 60_000_000;
    private static final int FINE_BUCKETS = (int) (FINE_LIMIT_MICROS / FINE_MICROS);
    private static final int BUCKETS = FINE_BUCKETS
            + (int) ((COARSE_LIMIT_MICROS - FINE_LIMIT_MICROS) / COARSE_MICROS) + 1;
    /** Milo's and OPC UA's 100 ns ticks from 1601-01-01 to 1970-01-01. */
    private static final long UNIX_EPOCH_TICKS = 116_444_736_000_000_000L;

    private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);
    private final LongAdder negative = new LongAdder();

    /** Wall-clock time now, in nanoseconds since 1970 (microsecond resolution on Linux). */
    static long nowEpochNanos() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    static long epochNanos(Instant t) {
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }

    /** An OPC UA DateTime (100 ns ticks since 1601) in nanoseconds since 1970. */
    static long epochNanosOfUtcTicks(long ticks) {
        return (ticks - UNIX_EPOCH_TICKS) * 100;
    }

    /** Records now minus {@code sourceEpochNanos}. */
    void recordSince(long sourceEpochNanos) {
        long nanos = nowEpochNanos() - sourceEpochNanos;
        if (nanos < 0) {
            // Cannot happen with one clock; counted so that it would show.
            negative.increment();
            nanos = 0;
        }
        counts.incrementAndGet(bucket(nanos / 1_000));
    }

    private static int bucket(long micros) {
        if (micros < FINE_LIMIT_MICROS) {
            return (int) (micros / FINE_MICROS);
        }
        if (micros < COARSE_LIMIT_MICROS) {
            return FINE_BUCKETS + (int) ((micros - FINE_LIMIT_MICROS) / COARSE_MICROS);
        }
        return BUCKETS - 1;
    }

    /** The upper edge of a bucket, in milliseconds. */
    private static double upperMillis(int bucket) {
        if (bucket < FINE_BUCKETS) {
            return (bucket + 1) * FINE_MICROS / 1e3;
        }
        if (bucket < BUCKETS - 1) {
            return (FINE_LIMIT_MICROS + (bucket - FINE_BUCKETS + 1) * COARSE_MICROS) / 1e3;
        }
        return Double.POSITIVE_INFINITY;
    }

    /** A consistent-enough copy: taken after the recording threads moved on to another histogram. */
    Snapshot snapshot() {
        long[] copy = new long[BUCKETS];
        for (int i = 0; i < BUCKETS; i++) {
            copy[i] = counts.get(i);
        }
        return new Snapshot(copy, negative.sum());
    }

    /** Counts and percentiles of a finished histogram. */
    static final class Snapshot {
        private final long[] counts;
        private final long total;
        private final long negative;

        private Snapshot(long[] counts, long negative) {
            this.counts = counts;
            long n = 0;
            for (long c : counts) {
                n += c;
            }
            this.total = n;
            this.negative = negative;
        }

        long count() {
            return total;
        }

        /** Values whose source timestamp was after their arrival (expected: none). */
        long negative() {
            return negative;
        }

        /** The latency {@code percent} % of the values did not exceed, in ms (a bucket's upper edge); NaN if none. */
        double percentileMillis(double percent) {
            if (total == 0) {
                return Double.NaN;
            }
            long rank = (long) Math.ceil(total * percent / 100.0);
            long seen = 0;
            for (int i = 0; i < counts.length; i++) {
                seen += counts[i];
                if (seen >= Math.max(1, rank)) {
                    return upperMillis(i);
                }
            }
            return upperMillis(counts.length - 1);
        }

        double maxMillis() {
            for (int i = counts.length - 1; i >= 0; i--) {
                if (counts[i] > 0) {
                    return upperMillis(i);
                }
            }
            return Double.NaN;
        }
    }
}
