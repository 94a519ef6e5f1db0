package dev.stator.driver.opcua;

import dev.stator.driver.api.AddressException;
import dev.stator.driver.api.ConfigException;
import dev.stator.driver.api.Deadband;
import dev.stator.driver.api.DeviceConfig;
import dev.stator.driver.api.DeviceStatus;
import dev.stator.driver.api.DriverContext;
import dev.stator.driver.api.Endpoint;
import dev.stator.driver.api.EndpointConfig;
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
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/** Builds an OPC UA endpoint for tests and records every reading it publishes, with the time it arrived. */
final class TestEndpoint implements AutoCloseable {

    /** A reading and when it reached the listener (System.nanoTime). */
    record Received(String tag, TagValue value, long nanos) {
    }

    final Endpoint endpoint;
    final Map<String, TagValue> latest = new ConcurrentHashMap<>();
    final List<Received> received = new CopyOnWriteArrayList<>();
    final List<String> trace = new CopyOnWriteArrayList<>();

    private TestEndpoint(Endpoint endpoint) {
        this.endpoint = endpoint;
    }

    /** A context with a data folder and, optionally, the test server's password as the endpoint's secret. */
    static DriverContext context(Path dataDirectory, Map<String, String> secrets) {
        return new DriverContext() {
            @Override
            public Clock clock() {
                return Clock.systemUTC();
            }

            @Override
            public Secrets secrets() {
                return (endpoint, key) -> Optional.ofNullable(secrets.get(endpoint + "/" + key));
            }

            @Override
            public Path dataDirectory() {
                return dataDirectory;
            }
        };
    }

    /** Builder-style description of one endpoint with one device. */
    static final class Spec {
        private final Map<String, String> endpointOptions = new LinkedHashMap<>();
        private final List<TagBinding> tags = new ArrayList<>();
        private final Map<String, String> secrets = new LinkedHashMap<>();
        private final Path dataDirectory;
        private String device = "server";

        Spec(String url, Path dataDirectory) {
            this.dataDirectory = dataDirectory;
            endpointOptions.put("url", url);
            endpointOptions.put("security-policy", "None");
            endpointOptions.put("request-timeout", "1s");
            endpointOptions.put("keep-alive-interval", "500ms");
            endpointOptions.put("session-timeout", "20s");
            endpointOptions.put("reconnect-delay", "100ms");
            endpointOptions.put("reconnect-max", "500ms");
        }

        Spec endpoint(String key, String value) {
            endpointOptions.put(key, value);
            return this;
        }

        Spec without(String key) {
            endpointOptions.remove(key);
            return this;
        }

        Spec password(String password) {
            secrets.put("plc-opc/password", password);
            return this;
        }

        Spec tag(String name, String address) throws AddressException {
            return tag(name, address, false, Duration.ofMillis(100), null, null, null);
        }

        Spec writable(String name, String address) throws AddressException {
            return tag(name, address, true, Duration.ofMillis(100), null, null, null);
        }

        Spec tag(String name, String address, boolean writable, Duration rate, Scaling scaling, Deadband deadband,
                 EngineeringRange range) throws AddressException {
            OpcUaAddress a = OpcUaAddress.parse(address);
            tags.add(new TagBinding(new TagDefinition(name, "", "", range, a.dataType(), writable), a,
                    "g" + rate.toMillis(), rate, scaling, deadband));
            return this;
        }

        TestEndpoint start() throws ConfigException {
            TestEndpoint t = create();
            t.endpoint.trace(device, t.trace::add);
            t.endpoint.start((tag, value) -> {
                t.latest.put(tag, value);
                t.received.add(new Received(tag, value, System.nanoTime()));
            });
            return t;
        }

        TestEndpoint create() throws ConfigException {
            EndpointConfig config = new EndpointConfig("plc-opc", OpcUaDriverProvider.PROTOCOL,
                    new Options("endpoint 'plc-opc'", endpointOptions),
                    List.of(new DeviceConfig(device, new Options("device '" + device + "'", Map.of()), tags)));
            return new TestEndpoint(new OpcUaDriverProvider().createEndpoint(config,
                    context(dataDirectory, secrets)));
        }
    }

    static Spec spec(String url, Path dataDirectory) {
        return new Spec(url, dataDirectory);
    }

    /** Waits (at most 15 s) for the latest reading of {@code tag} to meet {@code condition}. */
    TagValue await(String tag, Predicate<TagValue> condition) throws InterruptedException {
        return await(tag, condition, Duration.ofSeconds(15));
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
                + latest.get(tag) + "\ntrace:\n" + String.join("\n", tail(trace, 40)));
    }

    TagValue good(String tag) throws InterruptedException {
        return await(tag, v -> v.quality().isGood());
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

    /** Readings of {@code tag} received after {@code sinceNanos}. */
    List<TagValue> since(String tag, long sinceNanos) {
        return received.stream().filter(r -> r.tag().equals(tag) && r.nanos() - sinceNanos >= 0)
                .map(Received::value).toList();
    }

    DeviceStatus status() {
        return endpoint.deviceStatus().get(0);
    }

    static long millis(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }

    /** Names of live threads starting with {@code prefix}, with their ids. */
    static Set<String> threads(String prefix) {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
                .filter(t -> t.getName().startsWith(prefix)).map(t -> t.getName() + "#" + t.getId())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static List<String> tail(List<String> list, int n) {
        List<String> copy = new ArrayList<>(list);
        return copy.subList(Math.max(0, copy.size() - n), copy.size());
    }

    @Override
    public void close() {
        endpoint.close();
    }
}
