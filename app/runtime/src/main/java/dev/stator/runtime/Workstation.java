package dev.stator.runtime;

import dev.stator.driver.api.CertificateTrust;
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
import dev.stator.driver.api.TagBinding;
import dev.stator.driver.api.TagValue;
import dev.stator.driver.api.TagValueListener;
import dev.stator.historian.Historian;
import dev.stator.historian.HistoryException;
import dev.stator.historian.HistorianHealth;
import dev.stator.historian.JournalEntry;
import dev.stator.historian.JournalKind;
import dev.stator.historian.JournalQuery;
import dev.stator.runtime.project.DeviceSpec;
import dev.stator.runtime.project.EndpointSpec;
import dev.stator.runtime.project.Project;
import dev.stator.runtime.project.ProjectException;
import dev.stator.runtime.project.TagSpec;
import dev.stator.simulator.PlantSimulator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A running project: its endpoints acquiring data into the {@link TagTable}, every reading recorded in the
 * {@link Historian}, and, when the project asks for it, the built-in plant simulator.
 *
 * <p>{@link #start} either starts everything or nothing: every endpoint is created and checked before any thread or
 * socket is opened. {@link #close} stops acquisition first, then flushes and closes the historian, then stops the
 * simulator, and leaves no thread or socket behind. Instances are independent: a JVM may start and stop several in
 * turn.
 *
 * <p>The historian's journals record what happens: the workstation starting and stopping and every device going
 * down or coming up (system events, from a check of {@link #deviceStatus()} every
 * {@value #DEVICE_WATCH_MILLIS} ms on the thread {@value #DEVICE_WATCH_THREAD}), and what an operator does through
 * {@link #setDeviceEnabled}, {@link #setTagEnabled} and {@link #write} (operator actions, with the user's name).
 */
public final class Workstation implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Workstation.class);

    /** The thread that watches the devices' links for the system journal. */
    public static final String DEVICE_WATCH_THREAD = "stator-device-watch";
    /** The source of the system journal's entries about the history itself. */
    public static final String HISTORY_SOURCE = "history";
    /** How often the devices' links are checked. */
    public static final long DEVICE_WATCH_MILLIS = 500;
    /** The source of the workstation's own system events. */
    public static final String WORKSTATION_SOURCE = "workstation";

    private final Project project;
    private final Path dataDirectory;
    private final TagTable tags;
    private final List<Endpoint> endpoints;
    private final Historian historian;
    private final PlantSimulator simulator;
    private final List<CertificateTrust> certificates;
    private final ScheduledExecutorService deviceWatch;
    /** What the journal last said of each device: true up, false down; absent when nothing yet. Watch thread. */
    private final Map<String, Boolean> reported = new HashMap<>();
    private boolean closed;

    private Workstation(Project project, Path dataDirectory, TagTable tags, List<Endpoint> endpoints,
                        Historian historian, PlantSimulator simulator, List<CertificateTrust> certificates) {
        this.project = project;
        this.dataDirectory = dataDirectory;
        this.tags = tags;
        this.endpoints = endpoints;
        this.historian = historian;
        this.simulator = simulator;
        this.certificates = List.copyOf(certificates);
        this.deviceWatch = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, DEVICE_WATCH_THREAD);
            t.setDaemon(true);
            return t;
        });
    }

    /** The name operator actions carry when the caller gives none: the user of the operating system. */
    public static String defaultUser() {
        String user = System.getProperty("user.name");
        return user == null ? "" : user;
    }

    /**
     * Starts {@code project} with its data in {@code dataDirectory}.
     *
     * @throws ProjectException a configuration problem, naming file and line; nothing was started
     * @throws IOException      the data folder or the simulator's port could not be opened; nothing was left
     *                          running
     * @throws HistoryException the history database could not be opened (in use, damaged); nothing was left running
     */
    public static Workstation start(Project project, Path dataDirectory, DriverRegistry drivers, Clock clock)
            throws ProjectException, IOException, HistoryException {
        Files.createDirectories(dataDirectory);
        Secrets secrets = SecretsFile.load(DataDirectory.secretsFile(dataDirectory));
        DriverContext context = new DriverContext() {
            @Override
            public Clock clock() {
                return clock;
            }

            @Override
            public Secrets secrets() {
                return secrets;
            }

            @Override
            public Path dataDirectory() {
                return dataDirectory;
            }
        };
        PlantSimulator simulator = project.simulator() == null ? null : buildSimulator(project, dataDirectory);
        List<CertificateTrust> certificates = certificateStores(drivers, dataDirectory);
        TagTable tags = new TagTable(project.tags());
        List<Endpoint> endpoints = createEndpoints(project, drivers, context, simulator, tags);
        Historian historian = null;
        try {
            historian = Historian.open(DataDirectory.historyDatabase(dataDirectory, project.id()),
                    project.history());
            for (TagSpec tag : project.tags()) {
                if (tag.history() != null) {
                    historian.configure(tag.name(), tag.history());
                }
            }
            if (simulator != null) {
                simulator.start();
                LOG.info("built-in simulator serving Modbus TCP on 127.0.0.1:{}{}", simulator.modbusPort(),
                        simulator.hasOpcUa() ? " and OPC UA at " + simulator.opcUaEndpointUrl() : "");
            }
        } catch (IOException | HistoryException | RuntimeException e) {
            endpoints.forEach(Endpoint::close);
            if (simulator != null) {
                simulator.close();
            }
            if (historian != null) {
                historian.close();
            }
            throw e;
        }

        Workstation w = new Workstation(project, dataDirectory, tags, endpoints, historian, simulator, certificates);
        Historian h = historian;
        TagValueListener listener = new TagValueListener() {
            @Override
            public void onValue(String tag, TagValue value) {
                tags.update(tag, value);
                h.record(tag, value);
            }

            @Override
            public void onValue(TagBinding tag, TagValue value) {
                // The binding carries the tag's slot in the table: no lookup per reading.
                tags.update((TagState) tag.attachment(), value);
                h.record(tag.name(), value);
            }
        };
        for (Endpoint e : endpoints) {
            e.start(listener);
        }
        historian.journal(new JournalEntry(Instant.now(), JournalKind.SYSTEM, WORKSTATION_SOURCE, defaultUser(),
                "start", "project '" + project.name() + "' started: " + endpoints.size() + " endpoints, "
                + project.devices().size() + " devices, " + project.tags().size() + " tags"));
        w.deviceWatch.scheduleWithFixedDelay(w::watchDevices, 0, DEVICE_WATCH_MILLIS, TimeUnit.MILLISECONDS);
        LOG.info("project '{}' running: {} endpoints, {} devices, {} tags; data in {}", project.name(),
                endpoints.size(), project.devices().size(), project.tags().size(), dataDirectory);
        return w;
    }

    private static List<CertificateTrust> certificateStores(DriverRegistry drivers, Path dataDirectory)
            throws IOException {
        List<CertificateTrust> stores = new ArrayList<>();
        java.util.Set<DriverProvider> seen = new java.util.HashSet<>();
        for (String protocol : drivers.protocols()) {
            DriverProvider p = drivers.provider(protocol);
            if (seen.add(p)) {
                p.certificates(dataDirectory).ifPresent(stores::add);
            }
        }
        return stores;
    }

    /**
     * The built-in simulator, not started: Modbus on a free loopback port, and OPC UA on another when an endpoint
     * reads it that way. Its OPC UA certificate is kept in the data folder, so it stays the same across runs.
     */
    private static PlantSimulator buildSimulator(Project project, Path dataDirectory) throws IOException {
        PlantSimulator.Builder builder = PlantSimulator.builder()
                .bindAddress(InetAddress.getLoopbackAddress())
                .modbusPort(freeLoopbackPort())
                .timeScale(project.simulator().timeScale())
                .seed(project.simulator().seed());
        if (project.endpoints().stream().anyMatch(EndpointSpec::usesSimulatorOpcUa)) {
            builder.opcUaPort(freeLoopbackPort())
                    .opcUaPkiDirectory(dataDirectory.resolve("simulator").resolve("pki"));
        }
        return builder.build();
    }

    /** Builds every endpoint without starting any; on a problem closes those built and reports all problems. */
    private static List<Endpoint> createEndpoints(Project project, DriverRegistry drivers, DriverContext context,
                                                  PlantSimulator simulator, TagTable table) throws ProjectException {
        List<Endpoint> created = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (EndpointSpec spec : project.endpoints()) {
            Map<String, String> options = new LinkedHashMap<>(spec.options());
            if (spec.usesSimulatorOpcUa()) {
                options.put("url", simulator.opcUaEndpointUrl());
            } else if (spec.usesSimulator()) {
                if (options.containsKey("port")) {
                    problems.add(project.sources().describe(spec.owner(), "port",
                            "the built-in simulator chooses the port; remove 'port' or give a real host"));
                    continue;
                }
                options.put("host", "127.0.0.1");
                options.put("port", String.valueOf(simulator.modbusPort()));
            }
            List<DeviceConfig> devices = new ArrayList<>();
            for (DeviceSpec device : project.devices()) {
                if (!device.endpoint().equals(spec.name())) {
                    continue;
                }
                List<TagBinding> bindings = new ArrayList<>();
                for (TagSpec tag : project.tags()) {
                    if (tag.device().equals(device.name())) {
                        bindings.add(new TagBinding(tag.definition(), tag.address(), tag.scanGroup(),
                                project.scanGroup(tag.scanGroup()).rate(), tag.scaling(), tag.deadband(),
                                table.get(tag.name())));
                    }
                }
                devices.add(new DeviceConfig(device.name(), new Options(device.owner(), device.options()), bindings));
            }
            DriverProvider provider = drivers.provider(spec.driver());
            try {
                created.add(provider.createEndpoint(new EndpointConfig(spec.name(), spec.driver(),
                        new Options(spec.owner(), options), devices), context));
            } catch (ConfigException e) {
                problems.add(project.sources().describe(e.owner(), e.key(), e.getMessage()));
            }
        }
        if (!problems.isEmpty()) {
            created.forEach(Endpoint::close);
            throw new ProjectException(problems);
        }
        return created;
    }

    private static int freeLoopbackPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    public Project project() {
        return project;
    }

    public Path dataDirectory() {
        return dataDirectory;
    }

    /** The latest value of every tag. */
    public TagTable tags() {
        return tags;
    }

    /** The history of every tag. */
    public Historian historian() {
        return historian;
    }

    /** The built-in simulator, or {@code null} when the project does not use it. */
    public PlantSimulator simulator() {
        return simulator;
    }

    /** The certificate stores of the secure drivers (OPC UA), to list and trust server certificates. */
    public List<CertificateTrust> certificates() {
        return certificates;
    }

    /** Every device's link state and counters; cheap, from any thread. */
    public List<DeviceStatus> deviceStatus() {
        List<DeviceStatus> all = new ArrayList<>();
        for (Endpoint e : endpoints) {
            all.addAll(e.deviceStatus());
        }
        return all;
    }

    /**
     * The journal entries {@code query} selects: alarm events, operator actions, system events. Any thread but the
     * JavaFX application thread (it reads the database).
     */
    public List<JournalEntry> journal(JournalQuery query) throws HistoryException {
        return historian.journal(query);
    }

    /** The history's alarm states last journaled: disk space low, buffer full; and samples dropped so far. */
    private boolean diskLowReported;
    private boolean bufferFullReported;
    private long droppedReported;

    /**
     * Records in the system journal when the history is at risk and when it is no longer: free disk space below the
     * floor, the store-and-forward buffer full, samples dropped. On the watch thread.
     */
    private void watchHistory() {
        HistorianHealth h = historian.health();
        if (h.diskSpaceLow() != diskLowReported) {
            diskLowReported = h.diskSpaceLow();
            historian.journal(new JournalEntry(Instant.now(), JournalKind.SYSTEM, HISTORY_SOURCE, "",
                    diskLowReported ? "disk-space-low" : "disk-space-ok", diskLowReported
                    ? "free disk space for history is below the floor: " + ValueFormat.bytes(h.freeDiskBytes())
                    + " free; history is kept in memory and the log only up to a few segments"
                    : "free disk space for history is back above the floor: " + ValueFormat.bytes(h.freeDiskBytes()),
                    null, null));
        }
        if (h.storeAndForwardFull() != bufferFullReported) {
            bufferFullReported = h.storeAndForwardFull();
            historian.journal(new JournalEntry(Instant.now(), JournalKind.SYSTEM, HISTORY_SOURCE, "",
                    bufferFullReported ? "buffer-full" : "buffer-ok", bufferFullReported
                    ? "the history's store-and-forward buffer reached its cap: the oldest samples not yet written "
                    + "are dropped" : "the history's store-and-forward buffer is below half its cap again",
                    null, null));
        }
        long dropped = h.droppedSamples();
        if (dropped > droppedReported && Instant.now().isAfter(lastDropReport.plusSeconds(60))) {
            historian.journal(new JournalEntry(Instant.now(), JournalKind.SYSTEM, HISTORY_SOURCE, "",
                    "samples-dropped", String.format(java.util.Locale.ROOT, "%,d samples were not recorded "
                    + "(%,d since the start)", dropped - droppedReported, dropped), null, null));
            droppedReported = dropped;
            lastDropReport = Instant.now();
        }
    }

    private Instant lastDropReport = Instant.EPOCH;

    /** Records a device going down or coming up in the system journal. On the watch thread. */
    private void watchDevices() {
        try {
            watchHistory();
            for (DeviceStatus d : deviceStatus()) {
                Boolean last = reported.get(d.device());
                switch (d.state()) {
                    case CONNECTED -> {
                        if (!Boolean.TRUE.equals(last)) {
                            reported.put(d.device(), true);
                            historian.journal(new JournalEntry(Instant.now(), JournalKind.SYSTEM, d.device(), "",
                                    "device-up", "device '" + d.device() + "' at " + d.address() + " answers",
                                    last == null ? null : "down", "up"));
                        }
                    }
                    case DISCONNECTED -> {
                        if (!Boolean.FALSE.equals(last)) {
                            reported.put(d.device(), false);
                            String reason = d.lastError() == null ? "no answer" : d.lastError();
                            historian.journal(new JournalEntry(Instant.now(), JournalKind.SYSTEM, d.device(), "",
                                    "device-down", "device '" + d.device() + "' at " + d.address() + " is down: "
                                    + reason, last == null ? null : "up", "down"));
                        }
                    }
                    // Out of service: the operator's action says so; its return is told afresh.
                    case DISABLED -> reported.remove(d.device());
                    default -> {
                    }
                }
            }
        } catch (RuntimeException e) {
            // Never let one bad status end the watch.
            LOG.warn("checking the devices for the journal failed", e);
        }
    }

    /** Stops acquisition, records the last readings, closes the history and stops the simulator. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        deviceWatch.shutdownNow();
        try {
            if (!deviceWatch.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("the device watch did not stop within 5 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        historian.journal(new JournalEntry(Instant.now(), JournalKind.SYSTEM, WORKSTATION_SOURCE, defaultUser(),
                "stop", "project '" + project.name() + "' stopped"));
        for (Endpoint e : endpoints) {
            try {
                e.close();
            } catch (RuntimeException ex) {
                LOG.warn("endpoint '{}' did not close cleanly", e.name(), ex);
            }
        }
        try {
            historian.close();
        } catch (RuntimeException ex) {
            LOG.warn("history did not close cleanly", ex);
        }
        if (simulator != null) {
            simulator.close();
        }
        LOG.info("project '{}' stopped", project.name());
    }

    private Endpoint endpointOfDevice(String device) {
        DeviceSpec spec = project.device(device);
        if (spec == null) {
            throw new IllegalArgumentException("unknown device '" + device + "'");
        }
        return endpoints.stream().filter(e -> e.name().equals(spec.endpoint())).findFirst().orElseThrow();
    }

    private Endpoint endpointOfTag(String tag) {
        TagSpec spec = project.tag(tag);
        if (spec == null) {
            throw new IllegalArgumentException("unknown tag '" + tag + "'");
        }
        return endpointOfDevice(spec.device());
    }

    /** Takes a device out of service for maintenance, or back, as the operating system's user. */
    public void setDeviceEnabled(String device, boolean enabled) {
        setDeviceEnabled(device, enabled, defaultUser());
    }

    /**
     * Takes a device out of service for maintenance, or back, and records it as an operator action of {@code user}.
     * Returns at once; any thread.
     */
    public void setDeviceEnabled(String device, boolean enabled, String user) {
        endpointOfDevice(device).setDeviceEnabled(device, enabled);
        historian.journal(new JournalEntry(Instant.now(), JournalKind.OPERATOR, device, user,
                enabled ? "in-service" : "out-of-service", enabled ? "device '" + device + "' returned to service"
                        : "device '" + device + "' taken out of service", null, enabled ? "enabled" : "disabled"));
    }

    /** Takes a tag out of service, or back, as the operating system's user. */
    public void setTagEnabled(String tag, boolean enabled) {
        setTagEnabled(tag, enabled, defaultUser());
    }

    /**
     * Takes a tag out of service, or back, and records it as an operator action of {@code user}. Returns at once;
     * any thread.
     */
    public void setTagEnabled(String tag, boolean enabled, String user) {
        endpointOfTag(tag).setTagEnabled(tag, enabled);
        historian.journal(new JournalEntry(Instant.now(), JournalKind.OPERATOR, tag, user,
                enabled ? "in-service" : "out-of-service", enabled ? "tag '" + tag + "' returned to service"
                        : "tag '" + tag + "' taken out of service", null, enabled ? "enabled" : "disabled"));
    }

    /** Reads every tag of a device now. Returns at once; any thread. */
    public void readNow(String device) {
        endpointOfDevice(device).readNow(device);
    }

    /** Traces the frames exchanged with a device; lines reach {@code sink} on the endpoint's thread. */
    public AutoCloseable trace(String device, Consumer<String> sink) {
        return endpointOfDevice(device).trace(device, sink);
    }

    /** {@link #write(String, Object, String)} as the operating system's user. */
    public CompletableFuture<TagValue> write(String tag, Object value) {
        return write(tag, value, defaultUser());
    }

    /**
     * Writes a value to a tag straight through its driver and reads it back. This is the driver-level write: the
     * operator's supervised write (role, limits, confirmation) is built on it. Once it completes, records an
     * operator action of {@code user}: {@code write} with the value before, the value asked for and what was read
     * back, or {@code write-failed} with the error. Returns at once; any thread.
     */
    public CompletableFuture<TagValue> write(String tag, Object value, String user) {
        Endpoint endpoint = endpointOfTag(tag);
        TagValue before = value(tag);
        String old = before.hasValue() ? String.valueOf(before.value()) : null;
        String asked = String.valueOf(value);
        // The future returned completes once the journal has the entry, so whoever waits for the write can rely on it.
        return endpoint.write(tag, value).whenComplete((readBack, error) -> {
            JournalEntry entry;
            if (error == null) {
                entry = new JournalEntry(Instant.now(), JournalKind.OPERATOR, tag, user, "write", "wrote " + asked
                        + "; read back " + (readBack == null ? "nothing" : readBack.hasValue()
                        ? readBack.value() + " (" + readBack.quality().name() + ")" : readBack.quality().name()),
                        old, asked);
            } else {
                Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                        ? error.getCause() : error;
                entry = new JournalEntry(Instant.now(), JournalKind.OPERATOR, tag, user, "write-failed",
                        "writing " + asked + " failed: " + (cause.getMessage() == null ? cause.toString()
                        : cause.getMessage()), old, asked);
            }
            historian.journal(entry);
        });
    }

    /** Reads a tag's latest value; {@link TagValue#NO_VALUE_YET} for an unknown name. */
    public TagValue value(String tag) {
        TagState s = tags.get(tag);
        return s == null ? TagValue.NO_VALUE_YET : s.value();
    }
}
