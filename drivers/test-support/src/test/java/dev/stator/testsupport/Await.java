package dev.stator.testsupport;

import static org.assertj.core.api.Assertions.fail;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Bounded polling for state another thread changes; a timeout fails the test with what was awaited. */
final class Await {

    private Await() {
    }

    static void until(Duration timeout, String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("Timed out after %d ms waiting for %s", timeout.toMillis(), what);
            }
            Thread.sleep(10);
        }
    }
}
