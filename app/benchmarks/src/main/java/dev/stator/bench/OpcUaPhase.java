package dev.stator.bench;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * One client measured at one point of the OPC UA benchmark; the steps are the same for the Stator driver
 * ({@link OpcUaDriverPhase}) and for raw Milo ({@link OpcUaRawPhase}): the server starts changing {@code items}
 * variables; the client connects and subscribes; once every item has had its first Good value (the setup time), it
 * warms up for {@code bench.warmup} seconds and is then measured for {@code bench.seconds}: Good notifications and
 * their latency (recorded by the client's listener into {@link #window} while it is open), notifications that were not
 * Good, the CPU of both JVMs, allocation, GC and the heap after a full GC; then it is closed and its last values are
 * checked.
 */
abstract class OpcUaPhase {

    private static final Duration SETUP_TIMEOUT = Duration.ofSeconds(120);
    private static final long POLL_MILLIS = 50;

    /** The secure channel of a phase. */
    enum Security {
        NONE("None"),
        SIGN_AND_ENCRYPT("Basic256Sha256/SignAndEncrypt");

        final String text;

        Security(String text) {
            this.text = text;
        }
    }

    /** What the last values of the items said, after the phase. */
    record Check(int wrong, int stale) {
    }

    protected final OpcUaBenchSettings settings;
    protected final OpcUaServerProcess server;
    protected final int items;
    protected final Security security;
    /** The histogram of the measured window, or null outside it: listeners record Good notifications into it. */
    protected volatile LatencyHistogram window;
    /** Notifications that were not Good, counted by the listeners all along. */
    protected final LongAdder otherValues = new LongAdder();

    OpcUaPhase(OpcUaBenchSettings settings, OpcUaServerProcess server, int items, Security security) {
        this.settings = settings;
        this.server = server;
        this.items = items;
        this.security = security;
    }

    /** The name in the report. */
    abstract String name();

    /** Connects and subscribes to variables 1 to {@link #items}; returns without waiting for values. */
    protected abstract void open() throws Exception;

    /** How many items have had a Good value so far. */
    protected abstract int itemsWithValue();

    /** Why the client has no values yet, for the message when the setup times out. */
    protected abstract String state();

    /** Disconnects; idempotent, and safe after a failed {@link #open()}. */
    protected abstract void close();

    /** Checks each item's last value, after {@link #close()}: its variable's, Good, and changed in the window. */
    protected abstract Check check(long windowStartEpochNanos);

    /** Index 0-based of the variable a value came from, as the server encodes it in the value. */
    static long variableOf(double value) {
        return Math.round((value - Math.floor(value)) * OpcUaServerHost.INDEX_SCALE);
    }

    final OpcUaPhaseResult run() throws Exception {
        server.change(items);
        long t0 = System.nanoTime();
        try {
            open();
            long deadline = t0 + SETUP_TIMEOUT.toNanos();
            while (itemsWithValue() < items) {
                if (System.nanoTime() - deadline > 0) {
                    throw new IllegalStateException(name() + ": " + itemsWithValue() + " of " + items + " items had "
                            + "a value after " + SETUP_TIMEOUT.toSeconds() + " s: " + state());
                }
                Thread.sleep(POLL_MILLIS);
            }
            double setupSeconds = (System.nanoTime() - t0) / 1e9;
            Thread.sleep(TimeUnit.SECONDS.toMillis(settings.warmup()));

            long other0 = otherValues.sum();
            OpcUaServerProcess.Stats stats0 = server.stats();
            LatencyHistogram histogram = new LatencyHistogram();
            ResourceMeter meter = new ResourceMeter(server::cpuNanos);
            long windowStart = LatencyHistogram.nowEpochNanos();
            meter.start();
            window = histogram;
            Thread.sleep(TimeUnit.SECONDS.toMillis(settings.seconds()));
            window = null;
            // The server's count first: the meter's full GC at its end must not stretch the server's window.
            OpcUaServerProcess.Stats stats1 = server.stats();
            ResourceMeter.Usage usage = meter.stop();
            long other = otherValues.sum() - other0;

            close();
            Check check = check(windowStart);
            return new OpcUaPhaseResult(name(), items, histogram.snapshot(), other, usage,
                    stats1.changes() - stats0.changes(), setupSeconds, check.wrong(), check.stale());
        } finally {
            close();
        }
    }
}
