package dev.stator.bench;

import dev.stator.driver.api.CertificateTrust;
import dev.stator.driver.api.DeviceConfig;
import dev.stator.driver.api.DeviceStatus;
import dev.stator.driver.api.DriverProvider;
import dev.stator.driver.api.DriverRegistry;
import dev.stator.driver.api.Endpoint;
import dev.stator.driver.api.EndpointConfig;
import dev.stator.driver.api.Options;
import dev.stator.driver.api.TagAddress;
import dev.stator.driver.api.TagBinding;
import dev.stator.driver.api.TagDefinition;
import dev.stator.driver.api.TagValue;
import dev.stator.driver.api.TagValueListener;
import dev.stator.runtime.TagState;
import dev.stator.runtime.TagState;
import dev.stator.runtime.TagTable;
import dev.stator.runtime.project.TagSpec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Measures the Stator OPC UA driver from the wire to the tag table: one {@code opcua} endpoint, built through the
 * driver SPI as the workstation builds it ({@code DriverRegistry} -> {@code createEndpoint}), every variable a tag
 * of one device in one scan group at {@code bench.period} (so one subscription, that publishing and sampling
 * interval, and the endpoint's {@code queue-size}), and every reading stored in a real runtime {@link TagTable} by the
 * endpoint's listener, which a pulse drains every 200 ms as the console's UI throttle does. The latency of a Good
 * reading is taken in the listener right after the table has stored it.
 *
 * <p>Security None, or Basic256Sha256/SignAndEncrypt with the driver's own PKI folders: the workstation certificate
 * the driver creates is trusted by the server, and the server's certificate is put into {@code trusted/certs}.
 */
final class OpcUaDriverPhase extends OpcUaPhase {

    static final String PROTOCOL = "opcua";
    private static final String ENDPOINT = "bench-opcua";
    private static final String DEVICE = "bench-server";
    private static final String GROUP = "fast";
    private static final long STOP_MILLIS = 5_000;

    private Endpoint endpoint;
    private TagTable table;
    private ScheduledExecutorService pulse;

    OpcUaDriverPhase(OpcUaBenchSettings settings, OpcUaServerProcess server, int items, Security security) {
        super(settings, server, items, security);
    }

    @Override
    String name() {
        return "Stator driver";
    }

    static String tagName(int variable) {
        return String.format("v%05d", variable);
    }

    @Override
    protected void open() throws Exception {
        DriverProvider provider = DriverRegistry.load(OpcUaDriverPhase.class.getClassLoader()).provider(PROTOCOL);
        if (provider == null) {
            throw new IllegalStateException("no driver for '" + PROTOCOL + "' on the class path");
        }
        if (security == Security.SIGN_AND_ENCRYPT) {
            trustEachOther(provider);
        }
        List<TagBinding> bindings = new ArrayList<>();
        List<TagSpec> specs = new ArrayList<>();
        for (int i = 1; i <= items; i++) {
            TagAddress address = provider.parseAddress(PROTOCOL, "nsu=" + OpcUaServerHost.NAMESPACE + ";i=" + i);
            TagDefinition definition = new TagDefinition(tagName(i), "benchmark variable", "", null,
                    address.dataType(), false);
            specs.add(new TagSpec(definition, DEVICE, address, GROUP, -1, null, null));
        }
        // As the workstation does: each binding carries its tag's slot in the table.
        TagTable t = new TagTable(specs);
        for (TagSpec spec : specs) {
            bindings.add(new TagBinding(spec.definition(), spec.address(), GROUP, settings.period(), null, null,
                    t.get(spec.name())));
        }
        Map<String, String> options = new LinkedHashMap<>();
        options.put("url", server.url());
        if (security == Security.NONE) {
            options.put("security-policy", "None");
        } else {
            options.put("security-policy", "Basic256Sha256");
            options.put("security-mode", "SignAndEncrypt");
        }
        options.put("queue-size", String.valueOf(settings.queueSize()));
        EndpointConfig config = new EndpointConfig(ENDPOINT, PROTOCOL, new Options("endpoint '" + ENDPOINT + "'",
                options), List.of(new DeviceConfig(DEVICE, new Options("device '" + DEVICE + "'", Map.of()),
                bindings)));
        endpoint = provider.createEndpoint(config, DriverPhase.context());
        table = t;
        pulse = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "bench-ui-pulse");
            thread.setDaemon(true);
            return thread;
        });
        pulse.scheduleAtFixedRate(() -> t.drainChanged(s -> { }), DriverPhase.PULSE_MILLIS, DriverPhase.PULSE_MILLIS,
                TimeUnit.MILLISECONDS);
        endpoint.start(new TableFeed(t));
    }

    /**
     * The secure channel needs trust both ways: the server accepts the workstation certificate (created by the driver
     * on first use), and the driver trusts the server's, copied into its trusted folder as an administrator would.
     */
    private void trustEachOther(DriverProvider provider) throws IOException, InterruptedException {
        Path data = DriverPhase.context().dataDirectory();
        CertificateTrust trust = provider.certificates(data).orElseThrow(() -> new IllegalStateException(
                "the OPC UA driver keeps no certificates"));
        trust.own();
        Path opcua = data.resolve("pki").resolve("opcua");
        server.trust(opcua.resolve("own").resolve("certs").resolve("stator-workstation.der"));
        Path trusted = Files.createDirectories(opcua.resolve("trusted").resolve("certs"));
        Files.copy(server.certificate(), trusted.resolve("opcua-bench-server.der"),
                StandardCopyOption.REPLACE_EXISTING);
    }

    @Override
    protected int itemsWithValue() {
        int n = 0;
        for (TagState s : table.all()) {
            if (s.lastGood() != null) {
                n++;
            }
        }
        return n;
    }

    @Override
    protected String state() {
        StringBuilder s = new StringBuilder();
        for (DeviceStatus d : endpoint.deviceStatus()) {
            s.append(d.state()).append(d.lastError() == null ? "" : " (" + d.lastError() + ")");
        }
        return s.toString();
    }

    @Override
    protected void close() {
        if (endpoint != null) {
            endpoint.close();
        }
        if (pulse != null) {
            pulse.shutdownNow();
            try {
                pulse.awaitTermination(STOP_MILLIS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    protected Check check(long windowStartEpochNanos) {
        int wrong = 0;
        int stale = 0;
        for (int i = 1; i <= items; i++) {
            TagValue v = table.get(tagName(i)).value();
            if (!v.hasValue() || !v.quality().isGood() || !(v.value() instanceof Double d)
                    || variableOf(d) != i - 1) {
                wrong++;
            } else if (LatencyHistogram.epochNanos(v.sourceTime()) < windowStartEpochNanos) {
                stale++;
            }
        }
        return new Check(wrong, stale);
    }

    /**
     * The endpoint's listener: stores every reading in the tag table, as the workstation's listener does, then
     * records the latency of a Good one. Called on Milo's threads.
     */
    private final class TableFeed implements TagValueListener {
        private final TagTable table;

        TableFeed(TagTable table) {
            this.table = table;
        }

        @Override
        public void onValue(TagBinding tag, TagValue value) {
            table.update((TagState) tag.attachment(), value);
            count(value);
        }

        @Override
        public void onValue(String tag, TagValue value) {
            table.update(tag, value);
            count(value);
        }

        private void count(TagValue value) {
            if (value.quality().isGood()) {
                LatencyHistogram w = window;
                if (w != null) {
                    w.recordSince(LatencyHistogram.epochNanos(value.sourceTime()));
                }
            } else {
                otherValues.increment();
            }
        }
    }
}
