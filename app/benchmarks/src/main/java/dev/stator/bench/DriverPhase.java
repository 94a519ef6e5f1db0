package dev.stator.bench;

import dev.stator.driver.api.AddressException;
import dev.stator.driver.api.ConfigException;
import dev.stator.driver.api.DeviceConfig;
import dev.stator.driver.api.DeviceStatus;
import dev.stator.driver.api.DriverContext;
import dev.stator.driver.api.DriverProvider;
import dev.stator.driver.api.DriverRegistry;
import dev.stator.driver.api.Endpoint;
import dev.stator.driver.api.EndpointConfig;
import dev.stator.driver.api.Options;
import dev.stator.driver.api.Secrets;
import dev.stator.driver.api.TagAddress;
import dev.stator.driver.api.TagBinding;
import dev.stator.driver.api.TagDefinition;
import dev.stator.driver.api.TagValue;
import dev.stator.driver.api.TagValueListener;
import dev.stator.historian.Historian;
import dev.stator.historian.HistoryException;
import dev.stator.runtime.TagState;
import dev.stator.runtime.TagTable;
import dev.stator.runtime.project.TagSpec;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Measures the Stator Modbus driver from the wire to the tag table: one {@code modbus-tcp} endpoint per device, built
 * through the driver SPI as the workstation builds it, every tag in one scan group, and every reading stored in a real
 * runtime {@link TagTable} by the endpoint's listener, which a pulse drains as the console's UI throttle does.
 *
 * <p>With a history database, every reading is also recorded in a {@link Historian}, as the workstation does.
 *
 * <p>A scan of a device is counted when its last tag (the last one its scan reads) arrives Good. Requests come from
 * the driver's own counters ({@link DeviceStatus#requests()}). During the warm-up the driver's frame trace records
 * which register ranges it puts on the wire; the raw baseline reads the same ranges.
 */
final class DriverPhase {

    static final String PROTOCOL = "modbus-tcp";
    /** The console's pulse: how often the UI throttle collects changed tags. */
    static final long PULSE_MILLIS = 200;
    private static final long TRACE_MILLIS = 500;
    private static final long STOP_DRAIN_MILLIS = 5_000;

    /** The outcome of the phase. */
    record Outcome(PhaseResult result, List<List<BlockRange>> wirePlans, int tagsChecked, int tagsWrong,
                   double worstP50Millis, double worstP99Millis, HistoryFigures history) {
    }

    /**
     * What reached the historian in the measured seconds: samples recorded, dropped, and how long writing what was
     * recorded took after the run ({@code flushMillis}: the backlog).
     */
    record HistoryFigures(long recorded, long dropped, long flushMillis, long databaseBytes) {
    }

    private final BenchSettings settings;
    private final RegisterLayout layout;
    private final SlaveProcess slaves;

    /** The history database of the phase, or null: readings go to the tag table alone. */
    private final Path history;

    DriverPhase(BenchSettings settings, RegisterLayout layout, SlaveProcess slaves, Path history) {
        this.settings = settings;
        this.layout = layout;
        this.slaves = slaves;
        this.history = history;
    }

    static String tagName(int device, RegisterLayout.Entry e) {
        return String.format("d%02d.t%03d", device, e.index());
    }

    static String deviceName(int device) {
        return String.format("dev-%02d", device);
    }

    Outcome run() throws ConfigException, AddressException, InterruptedException, HistoryException {
        DriverProvider provider = DriverRegistry.load(DriverPhase.class.getClassLoader()).provider(PROTOCOL);
        if (provider == null) {
            throw new IllegalStateException("no driver for '" + PROTOCOL + "' on the class path");
        }
        int devices = settings.devices();
        List<TagSpec> specs = new ArrayList<>();
        List<Endpoint> endpoints = new ArrayList<>();
        ScheduledExecutorService pulse = null;
        Historian historian = history == null ? null : Historian.open(history);
        try {
            for (int d = 0; d < devices; d++) {
                specs.addAll(tagSpecs(provider, d));
            }
            // As the workstation does: each binding carries its tag's slot in the table.
            TagTable table = new TagTable(specs);
            for (int d = 0; d < devices; d++) {
                endpoints.add(provider.createEndpoint(endpointConfig(provider, d, table), context()));
            }
            pulse = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "bench-ui-pulse");
                t.setDaemon(true);
                return t;
            });
            pulse.scheduleAtFixedRate(() -> table.drainChanged(s -> { }), PULSE_MILLIS, PULSE_MILLIS,
                    TimeUnit.MILLISECONDS);

            List<TableFeed> feeds = new ArrayList<>();
            RegisterLayout.Entry last = layout.entries().get(layout.tagCount() - 1);
            for (int d = 0; d < devices; d++) {
                TableFeed feed = new TableFeed(table, historian, tagName(d, last));
                feeds.add(feed);
                endpoints.get(d).start(feed);
            }

            // Warm-up, with a short frame trace of every device to learn its wire plan.
            long warmupEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(settings.warmup());
            Thread.sleep(Math.min(1_000, settings.warmup() * 500L));
            List<List<BlockRange>> plans = traceWirePlans(endpoints);
            sleepUntil(warmupEnd);
            checkRunning(endpoints, feeds);

            long[] values0 = new long[devices];
            long[] other0 = new long[devices];
            long[] scans0 = new long[devices];
            long[] requests0 = new long[devices];
            long[] errors0 = new long[devices];
            snapshot(endpoints, feeds, values0, other0, scans0, requests0, errors0);
            long dropped0 = historian == null ? 0 : historian.droppedSamples();
            ResourceMeter meter = new ResourceMeter(slaves::cpuNanos);
            meter.start();
            Thread.sleep(TimeUnit.SECONDS.toMillis(settings.seconds()));
            long[] values1 = new long[devices];
            long[] other1 = new long[devices];
            long[] scans1 = new long[devices];
            long[] requests1 = new long[devices];
            long[] errors1 = new long[devices];
            snapshot(endpoints, feeds, values1, other1, scans1, requests1, errors1);
            ResourceMeter.Usage usage = meter.stop();
            HistoryFigures historyFigures = null;
            if (historian != null) {
                closeAll(endpoints);
                long flushStart = System.nanoTime();
                historian.flush(java.time.Duration.ofMinutes(5));
                long flushMillis = (System.nanoTime() - flushStart) / 1_000_000;
                historyFigures = new HistoryFigures(sum(values1, values0) + sum(other1, other0),
                        historian.droppedSamples() - dropped0, flushMillis, historian.health().databaseBytes());
            }

            double p50 = -1;
            double p99 = -1;
            for (Endpoint e : endpoints) {
                for (DeviceStatus s : e.deviceStatus()) {
                    p50 = Math.max(p50, s.p50Millis());
                    p99 = Math.max(p99, s.p99Millis());
                }
            }
            PhaseResult result = new PhaseResult("Stator driver", sum(values1, values0), sum(other1, other0),
                    sum(scans1, scans0), sum(requests1, requests0), sum(errors1, errors0),
                    slowest(scans1, scans0), usage);

            closeAll(endpoints);
            int wrong = 0;
            for (int d = 0; d < devices; d++) {
                for (RegisterLayout.Entry e : layout.entries()) {
                    TagState state = table.get(tagName(d, e));
                    TagValue good = state.lastGood();
                    if (good == null || !RegisterLayout.matches(d, e, good.value())) {
                        wrong++;
                    }
                }
            }
            return new Outcome(result, plans, devices * layout.tagCount(), wrong, p50, p99, historyFigures);
        } finally {
            closeAll(endpoints);
            if (historian != null) {
                historian.close();
            }
            if (pulse != null) {
                pulse.shutdownNow();
                pulse.awaitTermination(STOP_DRAIN_MILLIS, TimeUnit.MILLISECONDS);
            }
        }
    }

    private List<TagSpec> tagSpecs(DriverProvider provider, int device) throws AddressException {
        List<TagSpec> specs = new ArrayList<>();
        for (RegisterLayout.Entry e : layout.entries()) {
            TagAddress address = provider.parseAddress(PROTOCOL, e.address());
            TagDefinition definition = new TagDefinition(tagName(device, e), "benchmark register", "", null,
                    address.dataType(), false);
            specs.add(new TagSpec(definition, deviceName(device), address, "fast", -1, null, null));
        }
        return specs;
    }

    private EndpointConfig endpointConfig(DriverProvider provider, int device, TagTable table)
            throws AddressException {
        String deviceName = deviceName(device);
        List<TagBinding> bindings = new ArrayList<>();
        for (TagSpec spec : tagSpecs(provider, device)) {
            bindings.add(new TagBinding(spec.definition(), spec.address(), "fast", settings.rate(), null, null,
                    table.get(spec.name())));
        }
        Map<String, String> endpointOptions = new LinkedHashMap<>();
        endpointOptions.put("host", "127.0.0.1");
        endpointOptions.put("port", String.valueOf(slaves.ports().get(device)));
        endpointOptions.put("timeout", "1s");
        Map<String, String> deviceOptions = new LinkedHashMap<>();
        deviceOptions.put("unit-id", String.valueOf(SlaveHost.UNIT_ID));
        deviceOptions.put("max-gap", String.valueOf(settings.maxGap()));
        deviceOptions.put("stale-after", String.valueOf(settings.staleAfter()));
        String endpointName = String.format("bench-%02d", device);
        return new EndpointConfig(endpointName, PROTOCOL, new Options("endpoint '" + endpointName + "'",
                endpointOptions), List.of(new DeviceConfig(deviceName, new Options("device '" + deviceName + "'",
                deviceOptions), bindings)));
    }

    static DriverContext context() {
        return new DriverContext() {
            @Override
            public Clock clock() {
                return Clock.systemUTC();
            }

            @Override
            public Secrets secrets() {
                return Secrets.NONE;
            }

            @Override
            public Path dataDirectory() {
                // The benchmark runs in target/: nothing is written anywhere else.
                return Path.of("").toAbsolutePath();
            }
        };
    }

    /** The distinct register ranges each device's scans put on the wire, from a short frame trace. */
    private List<List<BlockRange>> traceWirePlans(List<Endpoint> endpoints) throws InterruptedException {
        List<ConcurrentLinkedQueue<String>> lines = new ArrayList<>();
        List<AutoCloseable> traces = new ArrayList<>();
        for (int d = 0; d < endpoints.size(); d++) {
            ConcurrentLinkedQueue<String> q = new ConcurrentLinkedQueue<>();
            lines.add(q);
            traces.add(endpoints.get(d).trace(deviceName(d), q::add));
        }
        Thread.sleep(TRACE_MILLIS);
        for (AutoCloseable t : traces) {
            try {
                t.close();
            } catch (Exception e) {
                throw new IllegalStateException("could not stop a frame trace", e);
            }
        }
        List<List<BlockRange>> plans = new ArrayList<>();
        for (int d = 0; d < endpoints.size(); d++) {
            TreeSet<BlockRange> ranges = new TreeSet<>();
            for (String line : lines.get(d)) {
                BlockRange r = BlockRange.fromTraceLine(line);
                if (r != null) {
                    ranges.add(r);
                }
            }
            if (ranges.isEmpty()) {
                throw new IllegalStateException("device '" + deviceName(d) + "' sent no read request in "
                        + TRACE_MILLIS + " ms of trace");
            }
            plans.add(List.copyOf(ranges));
        }
        return plans;
    }

    private static void checkRunning(List<Endpoint> endpoints, List<TableFeed> feeds) {
        for (int d = 0; d < endpoints.size(); d++) {
            for (DeviceStatus s : endpoints.get(d).deviceStatus()) {
                if (s.state() != DeviceStatus.LinkState.CONNECTED || feeds.get(d).scans.get() == 0) {
                    throw new IllegalStateException("device '" + s.device() + "' is " + s.state() + " after the "
                            + "warm-up" + (s.lastError() != null ? ": " + s.lastError() : ""));
                }
            }
        }
    }

    private static void snapshot(List<Endpoint> endpoints, List<TableFeed> feeds, long[] values, long[] other,
                                 long[] scans, long[] requests, long[] errors) {
        for (int d = 0; d < endpoints.size(); d++) {
            TableFeed f = feeds.get(d);
            values[d] = f.good.get();
            other[d] = f.other.get();
            scans[d] = f.scans.get();
            for (DeviceStatus s : endpoints.get(d).deviceStatus()) {
                requests[d] += s.requests();
                errors[d] += s.errors();
            }
        }
    }

    static long sum(long[] after, long[] before) {
        long n = 0;
        for (int i = 0; i < after.length; i++) {
            n += after[i] - before[i];
        }
        return n;
    }

    static long slowest(long[] after, long[] before) {
        long min = Long.MAX_VALUE;
        for (int i = 0; i < after.length; i++) {
            min = Math.min(min, after[i] - before[i]);
        }
        return min;
    }

    private static void sleepUntil(long deadlineNanos) throws InterruptedException {
        long left = deadlineNanos - System.nanoTime();
        if (left > 0) {
            TimeUnit.NANOSECONDS.sleep(left);
        }
    }

    private static void closeAll(List<Endpoint> endpoints) {
        for (Endpoint e : endpoints) {
            e.close();
        }
    }

    /**
     * The listener of one endpoint: stores every reading in the tag table, as the workstation's listener does, and
     * counts. Called on the endpoint's thread, and on its stale watch for stale marks.
     *
     * <p>Good readings come from the endpoint's thread alone (scans, and read-backs, which the benchmark does not
     * make), so their counters have one writer and are bumped without an atomic instruction: the benchmark should
     * not add its own fences to the per-value cost it measures. Other readings may come from the stale watch too.
     */
    private static final class TableFeed implements TagValueListener {
        private final TagTable table;
        private final Historian historian;
        private final String scanMarker;
        final AtomicLong good = new AtomicLong();
        final AtomicLong scans = new AtomicLong();
        final AtomicLong other = new AtomicLong();

        TableFeed(TagTable table, Historian historian, String scanMarker) {
            this.table = table;
            this.historian = historian;
            this.scanMarker = scanMarker;
        }

        @Override
        public void onValue(TagBinding tag, TagValue value) {
            table.update((TagState) tag.attachment(), value);
            if (historian != null) {
                historian.record(tag.name(), value);
            }
            count(tag.name(), value);
        }

        @Override
        public void onValue(String tag, TagValue value) {
            table.update(tag, value);
            if (historian != null) {
                historian.record(tag, value);
            }
            count(tag, value);
        }

        private void count(String tag, TagValue value) {
            if (value.quality().isGood()) {
                good.lazySet(good.get() + 1);
                if (tag.equals(scanMarker)) {
                    scans.lazySet(scans.get() + 1);
                }
            } else {
                other.incrementAndGet();
            }
        }
    }
}
