package dev.stator.historian;

import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;

/** Shared bits of the historian tests. */
final class TestSupport {

    static final Instant T0 = Instant.parse("2026-11-25T12:00:00Z");
    /** Generous: the tests share a 2-core machine with other builds. */
    static final Duration WAIT = Duration.ofSeconds(30);

    private TestSupport() {
    }

    static Instant at(double seconds) {
        return T0.plusNanos(Math.round(seconds * 1_000_000_000L));
    }

    static HistorianSettings settings(int queueCapacity, Duration flushInterval) {
        return new HistorianSettings(queueCapacity, flushInterval, 100, Duration.ofSeconds(5), WAIT);
    }

    /** Polls {@code condition} until it holds or {@code timeout} passes; returns its last answer. */
    static boolean eventually(Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - end >= 0) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }
}
