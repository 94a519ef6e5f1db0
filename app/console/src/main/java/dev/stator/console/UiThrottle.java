package dev.stator.console;

import dev.stator.driver.api.DeviceStatus;
import dev.stator.runtime.TagState;
import dev.stator.runtime.TagTable;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Carries value changes from the acquisition threads to the screen: on its own thread ({@code stator-ui-throttle})
 * it collects the tags that changed since the last pulse and hands them to the FX thread in one batch, never queueing
 * a second batch before the first has been applied. Screens therefore see at most one update per pulse however fast
 * the plant changes, and the FX thread never waits on acquisition.
 */
public final class UiThrottle implements AutoCloseable {

    /** Time between pulses. */
    public static final long PULSE_MILLIS = 200;
    /** Every this many pulses, device status and ages are refreshed. */
    private static final int SLOW_EVERY = 5;

    private final TagTable tags;
    private final Supplier<List<DeviceStatus>> devices;
    private final Executor fx;
    private final Consumer<List<TagState>> onTags;
    private final Consumer<List<DeviceStatus>> onDevices;
    private final Runnable onSecond;
    private final Set<TagState> pending = new LinkedHashSet<>();
    private List<DeviceStatus> pendingDevices;
    private boolean slowPending;
    private boolean scheduled;
    private long pulses;
    private ScheduledExecutorService thread;

    /**
     * @param fx        runs work on the FX thread ({@code Platform::runLater})
     * @param onTags    called on the FX thread with the tags that changed
     * @param onDevices called on the FX thread with every device's status, about once a second
     * @param onSecond  called on the FX thread about once a second, to refresh ages and clocks
     */
    public UiThrottle(TagTable tags, Supplier<List<DeviceStatus>> devices, Executor fx,
                      Consumer<List<TagState>> onTags, Consumer<List<DeviceStatus>> onDevices, Runnable onSecond) {
        this.tags = tags;
        this.devices = devices;
        this.fx = fx;
        this.onTags = onTags;
        this.onDevices = onDevices;
        this.onSecond = onSecond;
    }

    public synchronized void start() {
        if (thread != null) {
            return;
        }
        thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "stator-ui-throttle");
            t.setDaemon(true);
            return t;
        });
        thread.scheduleAtFixedRate(this::pulse, 0, PULSE_MILLIS, TimeUnit.MILLISECONDS);
    }

    private void pulse() {
        List<TagState> changed = new ArrayList<>();
        tags.drainChanged(changed::add);
        boolean slow = pulses++ % SLOW_EVERY == 0;
        List<DeviceStatus> status = slow ? devices.get() : null;
        synchronized (this) {
            pending.addAll(changed);
            if (status != null) {
                pendingDevices = status;
                slowPending = true;
            }
            if (scheduled || (pending.isEmpty() && !slowPending)) {
                return;
            }
            scheduled = true;
        }
        fx.execute(this::apply);
    }

    /** On the FX thread: applies everything collected since the last batch. */
    private void apply() {
        List<TagState> batch;
        List<DeviceStatus> status;
        boolean slow;
        synchronized (this) {
            batch = new ArrayList<>(pending);
            pending.clear();
            status = pendingDevices;
            pendingDevices = null;
            slow = slowPending;
            slowPending = false;
            scheduled = false;
        }
        if (!batch.isEmpty()) {
            onTags.accept(batch);
        }
        if (status != null) {
            onDevices.accept(status);
        }
        if (slow) {
            onSecond.run();
        }
    }

    @Override
    public synchronized void close() {
        if (thread != null) {
            thread.shutdownNow();
            try {
                thread.awaitTermination(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            thread = null;
        }
    }
}
