package dev.stator.cli;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * How a long-running command ends: after its {@code --duration}, or when the process is asked to stop (Ctrl+C,
 * SIGTERM), whichever comes first. Either way {@code stop} runs exactly once before {@link #run} returns or the JVM
 * exits.
 */
final class Lifetime {

    private Lifetime() {
    }

    /** Waits for the duration ({@code null}: until stopped), then runs {@code stop}; called on the main thread. */
    static void run(Duration duration, Runnable stop) throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            stop.run();
            stopped.countDown();
        }, "stator-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        if (duration == null) {
            stopped.await();
        } else {
            stopped.await(duration.toNanos(), TimeUnit.NANOSECONDS);
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // The JVM is already shutting down: the hook runs (or ran) stop.
            return;
        }
        stop.run();
    }
}
