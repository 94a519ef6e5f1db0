package dev.stator.driver.opcua;

import java.util.Arrays;

/**
 * Round-trip times of an endpoint's recent reads, writes and browse calls (the last {@value #SIZE}), for the median
 * and the 99th percentile in device diagnostics. Written by the endpoint's threads, read from any thread.
 */
final class ResponseTimes {

    static final int SIZE = 1024;

    private final long[] nanos = new long[SIZE];
    private int count;
    private int next;

    synchronized void add(long roundTripNanos) {
        nanos[next] = roundTripNanos;
        next = (next + 1) % SIZE;
        count = Math.min(count + 1, SIZE);
    }

    /** The {@code p}-th percentile (0-100) in milliseconds, nearest rank; -1 when nothing was measured. */
    synchronized double percentileMillis(double p) {
        if (count == 0) {
            return -1;
        }
        long[] sorted = Arrays.copyOf(nanos, count);
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * count);
        return sorted[Math.max(0, Math.min(count - 1, rank - 1))] / 1e6;
    }
}
