package dev.stator.driver.api;

import java.util.Arrays;

/**
 * The round-trip times of a device's or an endpoint's recent requests (the last {@value #SIZE}), for the median and
 * the 99th percentile that {@link DeviceStatus} reports. Written by the endpoint's threads, read from any thread.
 */
public final class ResponseTimes {

    public static final int SIZE = 1024;

    private final long[] nanos = new long[SIZE];
    private int count;
    private int next;

    public synchronized void add(long roundTripNanos) {
        nanos[next] = roundTripNanos;
        next = (next + 1) % SIZE;
        count = Math.min(count + 1, SIZE);
    }

    /** The {@code p}-th percentile (0-100) in milliseconds, nearest rank; -1 when nothing was measured. */
    public synchronized double percentileMillis(double p) {
        if (count == 0) {
            return -1;
        }
        long[] sorted = Arrays.copyOf(nanos, count);
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * count);
        return sorted[Math.max(0, Math.min(count - 1, rank - 1))] / 1e6;
    }
}
