package dev.stator.driver.opcua;

import dev.stator.driver.api.DeviceStatus;
import dev.stator.driver.api.Quality;
import dev.stator.driver.api.Scaling;
import dev.stator.driver.api.TagValue;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Values arrive through subscriptions on a real server: every supported type, changes as they happen, quality and
 * both timestamps, addresses by namespace URI, and the per-tag refusals (unknown node, arrays, structures, a type the
 * tag cannot take). Also batching within the server's limits, scaling, maintenance and diagnostics.
 */
class SubscriptionTest extends OneServerTest {

    @Test
    void everySupportedTypeArrivesWithQualityAndBothTimestamps() throws Exception {
        Instant before = Instant.now().minusMillis(100);
        // A fresh source timestamp, set by the "plant" now.
        server.set("Plain/Double", 21.5);
        endpoint = spec()
                .tag("bool", ns + "Plain/Boolean;bool")
                .tag("sbyte", ns + "Plain/SByte;int16")
                .tag("byte", ns + "Plain/Byte;uint16")
                .tag("int16", ns + "Plain/Int16;int16")
                .tag("uint16", ns + "Plain/UInt16;uint16")
                .tag("int32", ns + "Plain/Int32;int32")
                .tag("uint32", ns + "Plain/UInt32;uint32")
                .tag("int64", ns + "Plain/Int64;int64")
                .tag("uint64", ns + "Plain/UInt64;int64")
                .tag("float", ns + "Plain/Float;float32")
                .tag("double", ns + "Plain/Double")
                .tag("string", ns + "Plain/String;string")
                .tag("int-as-double", ns + "Plain/Int32")
                .start();
        assertThat(endpoint.good("bool").value()).isEqualTo(false);
        assertThat(endpoint.good("sbyte").value()).isEqualTo(-5L);
        assertThat(endpoint.good("byte").value()).isEqualTo(200L);
        assertThat(endpoint.good("int16").value()).isEqualTo(-300L);
        assertThat(endpoint.good("uint16").value()).isEqualTo(60000L);
        assertThat(endpoint.good("int32").value()).isEqualTo(123456L);
        assertThat(endpoint.good("uint32").value()).isEqualTo(4_000_000_000L);
        assertThat(endpoint.good("int64").value()).isEqualTo(1L << 40);
        assertThat(endpoint.good("uint64").value()).isEqualTo(Long.MAX_VALUE);
        assertThat(endpoint.good("float").value()).isEqualTo(1.5);
        assertThat(endpoint.good("string").value()).isEqualTo("hello");
        assertThat(endpoint.good("int-as-double").value()).as("an integer node read by a float64 tag")
                .isEqualTo(123456.0);
        TagValue d = endpoint.good("double");
        assertThat(d.value()).isEqualTo(21.5);
        assertThat(d.quality()).isEqualTo(Quality.GOOD);
        assertThat(d.sourceTime()).as("the server's source timestamp").isAfter(before).isBefore(Instant.now());
        assertThat(d.serverTime()).as("the server timestamp is kept").isNotNull().isAfter(before);
    }

    @Test
    void aChangingNodeIsSeenChangingAtTheGroupsRate() throws Exception {
        endpoint = spec().tag("ramp", ns + "Dynamic/Ramp", false, Duration.ofMillis(100), null, null, null).start();
        double first = (Double) endpoint.good("ramp").value();
        long t0 = System.nanoTime();
        endpoint.await("ramp", v -> v.hasValue() && (Double) v.value() >= first + 10);
        List<TagValue> seen = endpoint.since("ramp", t0);
        assertThat(seen).hasSizeGreaterThanOrEqualTo(4);
        assertThat(seen).allMatch(v -> v.quality().isGood());
        // In order, each newer than the last: notifications, not repeated polls of one value.
        for (int i = 1; i < seen.size(); i++) {
            assertThat((Double) seen.get(i).value()).isGreaterThan((Double) seen.get(i - 1).value());
            assertThat(seen.get(i).sourceTime()).isAfter(seen.get(i - 1).sourceTime());
        }
        assertThat(endpoint.trace).anyMatch(l -> l.contains("<- Publish group 'g100' (100 ms): 1 change: ramp="));
        assertThat(endpoint.trace).noneMatch(l -> l.contains("-> Read 1 values"));
    }

    @Test
    void aNamespaceUriIsResolvedAgainstTheServersNamespaceArray() throws Exception {
        endpoint = spec()
                .tag("by-uri", "nsu=" + TestServer.NAMESPACE + ";s=Plain/Double")
                .tag("no-such-namespace", "nsu=urn:nobody:here;s=Plain/Double")
                .start();
        assertThat(endpoint.good("by-uri").value()).isEqualTo(21.5);
        TagValue bad = endpoint.await("no-such-namespace", v -> v.quality().isBad());
        assertThat(bad.quality()).isEqualTo(Quality.BAD_NODE_ID_UNKNOWN);
        assertThat(bad.detail()).contains("namespace 'urn:nobody:here' is not in the server's namespace array")
                .contains(TestServer.NAMESPACE);
    }

    @Test
    void eachTagThatCannotBeReadSaysWhyWhileTheOthersKeepWorking() throws Exception {
        endpoint = spec()
                .tag("ok", ns + "Plain/Double")
                .tag("unknown", ns + "Nope/Nothing")
                .tag("array", ns + "Plain/Array")
                .tag("structure", ns + "Plain/Range")
                .tag("bool-as-number", ns + "Plain/Boolean")
                .tag("text-as-int", ns + "Plain/String;int32")
                .tag("folder", ns + "Plain")
                .start();
        assertThat(endpoint.good("ok").value()).isEqualTo(21.5);

        TagValue unknown = endpoint.await("unknown", v -> v.quality().isBad());
        assertThat(unknown.quality()).isEqualTo(Quality.BAD_NODE_ID_UNKNOWN);
        assertThat(unknown.detail()).isEqualTo("Bad_NodeIdUnknown: node " + ns + "Nope/Nothing does not exist on "
                + "the server");

        TagValue array = endpoint.await("array", v -> v.quality().isBad());
        assertThat(array.quality()).isEqualTo(Quality.BAD_NOT_SUPPORTED);
        assertThat(array.detail()).startsWith("arrays and structures are not supported yet");

        TagValue structure = endpoint.await("structure", v -> v.quality().isBad());
        assertThat(structure.quality()).isEqualTo(Quality.BAD_NOT_SUPPORTED);
        assertThat(structure.detail()).startsWith("arrays and structures are not supported yet");

        TagValue mismatch = endpoint.await("bool-as-number", v -> v.quality().isBad());
        assertThat(mismatch.quality()).isEqualTo(Quality.BAD_TYPE_MISMATCH);
        assertThat(mismatch.detail()).contains("holds Boolean values, which a float64 tag cannot take")
                .contains(ns + "Plain/Boolean;bool");
        assertThat(endpoint.await("text-as-int", v -> v.quality().isBad()).detail())
                .contains("holds String values, which a int32 tag cannot take");

        assertThat(endpoint.await("folder", v -> v.quality().isBad()).detail())
                .isEqualTo("node " + ns + "Plain is an Object, not a variable: address a variable");
        assertThat(endpoint.latest.get("ok").quality().isGood()).isTrue();
    }

    @Test
    void monitoredItemsAreCreatedInBatchesTheServerAllows() throws Exception {
        server.createdBatches.clear();
        TestEndpoint.Spec spec = spec();
        for (int i = 0; i < 12; i++) {
            spec.tag(String.format("wide-%02d", i), ns + String.format("Wide/Item%02d", i));
        }
        endpoint = spec.start();
        for (int i = 0; i < 12; i++) {
            assertThat(endpoint.good(String.format("wide-%02d", i)).value()).isEqualTo((double) i);
        }
        // The server advertises MaxMonitoredItemsPerCall = 5: 12 items take three calls of 5, 5 and 2.
        assertThat(server.createdBatches).containsExactly(5, 5, 2);
        assertThat(endpoint.trace.stream().filter(l -> l.contains("-> CreateMonitoredItems"))).hasSize(3);
    }

    @Test
    void eachScanGroupHasItsOwnSubscriptionAtItsRate() throws Exception {
        endpoint = spec()
                .tag("fast", ns + "Dynamic/Ramp", false, Duration.ofMillis(100), null, null, null)
                .tag("slow", ns + "Plain/Double", false, Duration.ofMillis(1000), null, null, null)
                .start();
        endpoint.good("fast");
        endpoint.good("slow");
        assertThat(endpoint.trace).anyMatch(l -> l.contains("-> CreateSubscription group 'g100' (100 ms)"))
                .anyMatch(l -> l.contains("-> CreateSubscription group 'g1000' (1000 ms)"))
                .anyMatch(l -> l.contains("-> CreateMonitoredItems 1 items in group 'g1000' (1000 ms)"));
    }

    @Test
    void scalingTurnsRawValuesIntoEngineeringUnits() throws Exception {
        endpoint = spec().tag("scaled", ns + "Plain/Int16;int16", false, Duration.ofMillis(100),
                new Scaling(0.1, 40, Double.NaN, Double.NaN), null, null).start();
        assertThat(endpoint.good("scaled").value()).isEqualTo(10.0);
    }

    @Test
    void aTagOrTheDeviceTakenOutOfServiceStopsBeingMonitoredAndComesBack() throws Exception {
        endpoint = spec()
                .tag("ramp", ns + "Dynamic/Ramp")
                .tag("double", ns + "Plain/Double")
                .start();
        endpoint.good("ramp");
        endpoint.good("double");

        endpoint.endpoint.setTagEnabled("ramp", false);
        TagValue out = endpoint.await("ramp", v -> v.quality().isBad());
        assertThat(out.quality()).isEqualTo(Quality.BAD_OUT_OF_SERVICE);
        assertThat(out.detail()).isEqualTo("tag taken out of service");
        awaitTrace("-> SetMonitoringMode Disabled for 1 items");
        long t0 = System.nanoTime();
        Thread.sleep(400);
        assertThat(endpoint.since("ramp", t0)).as("nothing arrives for a disabled item").isEmpty();

        endpoint.endpoint.setTagEnabled("ramp", true);
        assertThat(endpoint.good("ramp").value()).isNotNull();
        awaitTrace("-> SetMonitoringMode Reporting for 1 items");

        endpoint.endpoint.setDeviceEnabled("server", false);
        assertThat(endpoint.await("double", v -> v.quality().isBad()).detail())
                .isEqualTo("device taken out of service");
        assertThat(endpoint.await("ramp", v -> v.quality().isBad()).quality()).isEqualTo(Quality.BAD_OUT_OF_SERVICE);
        assertThat(endpoint.status().state()).isEqualTo(DeviceStatus.LinkState.DISABLED);
        endpoint.endpoint.setDeviceEnabled("server", true);
        assertThat(endpoint.good("double").value()).isEqualTo(21.5);
        assertThat(endpoint.good("ramp").quality()).isEqualTo(Quality.GOOD);
        assertThat(endpoint.status().state()).isEqualTo(DeviceStatus.LinkState.CONNECTED);
    }

    @Test
    void readNowReadsEveryTagOfTheDevice() throws Exception {
        endpoint = spec().tag("a", ns + "Plain/Double").tag("b", ns + "Plain/Int32;int32").start();
        endpoint.good("a");
        endpoint.good("b");
        long t0 = System.nanoTime();
        endpoint.endpoint.readNow("server");
        awaitTrace("-> Read 2 values read now");
        endpoint.await("b", v -> !endpoint.since("b", t0).isEmpty());
        assertThat(endpoint.since("a", t0)).extracting(TagValue::value).contains(21.5);
    }

    @Test
    void diagnosticsCountServiceCallsAndTheTraceShowsThem() throws Exception {
        endpoint = spec().tag("a", ns + "Plain/Double").tag("gone", ns + "Nope").start();
        endpoint.good("a");
        DeviceStatus s = endpoint.status();
        assertThat(s.state()).isEqualTo(DeviceStatus.LinkState.CONNECTED);
        assertThat(s.address()).isEqualTo(server.url() + " (None, None, anonymous)");
        // GetEndpoints, CreateSession, operation limits, namespace array, attributes, subscription, items.
        assertThat(s.requests()).isGreaterThanOrEqualTo(7);
        assertThat(s.errors()).isZero();
        assertThat(s.p50Millis()).isPositive();
        assertThat(s.p99Millis()).isGreaterThanOrEqualTo(s.p50Millis());
        assertThat(s.overruns()).isZero();
        assertThat(endpoint.trace).anyMatch(l -> l.matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} -> GetEndpoints .*"))
                .anyMatch(l -> l.contains("-> Read 1 namespace array"))
                .anyMatch(l -> l.matches(".* <- Read Good \\d+\\.\\d ms"))
                .anyMatch(l -> l.contains("-> CreateSubscription group 'g100' (100 ms)"));
    }

    private void awaitTrace(String text) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() < deadline) {
            if (endpoint.trace.stream().anyMatch(l -> l.contains(text))) {
                return;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("no trace line with '" + text + "':\n" + String.join("\n", endpoint.trace));
    }
}
