package dev.stator.historian;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** Lets a repeated log message through at most once per period. Thread-safe and lock-free. */
final class LogThrottle {

    private final long periodNanos;
    private final AtomicLong nextAllowed;

    LogThrottle(Duration period) {
        this.periodNanos = period.toNanos();
        this.nextAllowed = new AtomicLong(System.nanoTime());
    }

    /** True for the first call and then at most once per period. */
    boolean tryAcquire() {
        long now = System.nanoTime();
        long next = nextAllowed.get();
        return now - next >= 0 && nextAllowed.compareAndSet(next, now + periodNanos);
    }
}
