package dev.stator.driver.modbus;

import dev.stator.driver.api.AddressException;
import dev.stator.driver.api.ConfigException;
import dev.stator.driver.api.DataType;
import dev.stator.driver.api.DeviceConfig;
import dev.stator.driver.api.DriverContext;
import dev.stator.driver.api.Endpoint;
import dev.stator.driver.api.EndpointConfig;
import dev.stator.driver.api.Deadband;
import dev.stator.driver.api.EngineeringRange;
import dev.stator.driver.api.Options;
import dev.stator.driver.api.Scaling;
import dev.stator.driver.api.Secrets;
import dev.stator.driver.api.TagBinding;
import dev.stator.driver.api.TagDefinition;
import dev.stator.driver.api.TagValue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** Builds a Modbus endpoint for tests and records every reading it publishes, with the time it arrived. */
final class TestEndpoint implements AutoCloseable {

    static final DriverContext CONTEXT = new DriverContext() {
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
            return Path.of(System.getProperty("java.io.tmpdir"));
        }
    };

    /** A reading and when it reached the listener (System.nanoTime). */
    record Received(String tag, TagValue value, long nanos) {
    }

    final Endpoint endpoint;
    final Map<String, TagValue> latest = new ConcurrentHashMap<>();
    final List<Received> received = new CopyOnWriteArrayList<>();

    private TestEndpoint(Endpoint endpoint) {
        this.endpoint = endpoint;
    }

    /** Builder-style description of one endpoint with one device. */
    static final class Spec {
        private final String protocol;
        private final Map<String, String> endpointOptions = new LinkedHashMap<>();
        private final Map<String, String> deviceOptions = new LinkedHashMap<>();
        private final List<TagBinding> tags = new ArrayList<>();

        Spec(String protocol, int port) {
            this.protocol = protocol;
            endpointOptions.put("host", "127.0.0.1");
            endpointOptions.put("port", String.valueOf(port));
            endpointOptions.put("timeout", "300ms");
            endpointOptions.put("reconnect-delay", "100ms");
            endpointOptions.put("reconnect-max", "400ms");
        }

        /** For a serial endpoint: no host and port. */
        Spec withoutTcp() {
            endpointOptions.remove("host");
            endpointOptions.remove("port");
            return this;
        }

        Spec endpoint(String key, String value) {
            endpointOptions.put(key, value);
            return this;
        }

        Spec device(String key, String value) {
            deviceOptions.put(key, value);
            return this;
        }

        Spec tag(String name, String address) throws AddressException {
            return tag(name, address, false, Duration.ofMillis(100));
        }

        Spec writable(String name, String address) throws AddressException {
            return tag(name, address, true, Duration.ofMillis(100));
        }

        Spec tag(String name, String address, boolean writable, Duration rate) throws AddressException {
            return tag(name, address, writable, rate, null);
        }

        Spec scaled(String name, String address, Scaling scaling) throws AddressException {
            return tag(name, address, true, Duration.ofMillis(100), scaling);
        }

        Spec withDeadband(String name, String address, Deadband deadband, EngineeringRange range)
                throws AddressException {
            ModbusAddress a = ModbusAddress.parse(address);
            tags.add(new TagBinding(new TagDefinition(name, "", "", range, a.dataType(), false), a, "g50",
                    Duration.ofMillis(50), null, deadband));
            return this;
        }

        private Spec tag(String name, String address, boolean writable, Duration rate, Scaling scaling)
                throws AddressException {
            ModbusAddress a = ModbusAddress.parse(address);
            DataType type = a.dataType();
            tags.add(new TagBinding(new TagDefinition(name, "", "", null, type, writable), a, "g" + rate.toMillis(),
                    rate, scaling));
            return this;
        }

        TestEndpoint start() throws ConfigException {
            TestEndpoint t = create();
            t.endpoint.start((tag, value) -> {
                t.latest.put(tag, value);
                t.received.add(new Received(tag, value, System.nanoTime()));
            });
            return t;
        }

        TestEndpoint create() throws ConfigException {
            EndpointConfig config = new EndpointConfig("plc-link", protocol,
                    new Options("endpoint 'plc-link'", endpointOptions),
                    List.of(new DeviceConfig("plc", new Options("device 'plc'", deviceOptions), tags)));
            return new TestEndpoint(new ModbusDriverProvider().createEndpoint(config, CONTEXT));
        }
    }

    static Spec tcp(int port) {
        return new Spec(ModbusDriverProvider.TCP, port);
    }

    /** Waits (at most 10 s) for the latest reading of {@code tag} to meet {@code condition}. */
    TagValue await(String tag, Predicate<TagValue> condition) throws InterruptedException {
        return await(tag, condition, Duration.ofSeconds(10));
    }

    TagValue await(String tag, Predicate<TagValue> condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            TagValue v = latest.get(tag);
            if (v != null && condition.test(v)) {
                return v;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("tag " + tag + " never met the condition within " + timeout + "; last "
                + latest.get(tag));
    }

    /** The first reading of {@code tag} after {@code sinceNanos} that meets {@code condition}, or null. */
    Received firstAfter(String tag, long sinceNanos, Predicate<TagValue> condition) {
        for (Received r : received) {
            if (r.tag().equals(tag) && r.nanos() - sinceNanos >= 0 && condition.test(r.value())) {
                return r;
            }
        }
        return null;
    }

    Object value(String tag) throws InterruptedException {
        return await(tag, TagValue::hasValue).value();
    }

    static long millis(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }

    @Override
    public void close() {
        endpoint.close();
    }
}
