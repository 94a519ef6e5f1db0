package dev.stator.testsupport;

/**
 * The faults a {@link FaultProxy} currently injects. Written by any thread, read by the proxy loop thread at every
 * read and write, so a switch applies to open connections at once.
 */
final class Faults {

    private volatile boolean blackhole;
    private volatile long delayNanos;
    private volatile int bytesPerSecond;

    boolean blackhole() {
        return blackhole;
    }

    void blackhole(boolean on) {
        blackhole = on;
    }

    long delayNanos() {
        return delayNanos;
    }

    void delayNanos(long nanos) {
        delayNanos = nanos;
    }

    /** The throughput limit per direction, or 0 for none. */
    int bytesPerSecond() {
        return bytesPerSecond;
    }

    void bytesPerSecond(int rate) {
        bytesPerSecond = rate;
    }

    void clear() {
        blackhole = false;
        delayNanos = 0;
        bytesPerSecond = 0;
    }
}
