package dev.stator.driver.modbus;

import dev.stator.driver.api.ConfigException;
import dev.stator.driver.api.DeviceStatus;
import dev.stator.driver.api.EndpointConfig;
import dev.stator.driver.api.Options;
import dev.stator.driver.api.Quality;
import dev.stator.driver.api.TagValue;
import dev.stator.driver.api.WriteException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The endpoint against a real j2mod slave on loopback: what the tags show and what went over the wire. */
class ModbusEndpointTest {

    private TestSlave slave;
    private TestEndpoint endpoint;

    @AfterEach
    void tearDown() {
        if (endpoint != null) {
            endpoint.close();
        }
        if (slave != null) {
            slave.close();
        }
    }

    private DeviceStatus status() {
        return endpoint.endpoint.deviceStatus().get(0);
    }

    /** The function codes of the requests in a trace, e.g. "05", "10". */
    private static List<String> functionCodes(List<String> trace) {
        List<String> codes = new ArrayList<>();
        for (String line : trace) {
            if (line.contains(" TX ")) {
                // MBAP header: transaction(2) protocol(2) length(2) unit(1), then the function code.
                String[] bytes = line.substring(line.indexOf(" TX ") + 4).trim().split(" ");
                codes.add(bytes[7]);
            }
        }
        return codes;
    }

    /** "start x count" of each read request in a trace. */
    private static List<String> requestedRanges(List<String> trace) {
        List<String> ranges = new ArrayList<>();
        for (String line : trace) {
            if (line.contains(" TX ")) {
                String[] b = line.substring(line.indexOf(" TX ") + 4).trim().split(" ");
                ranges.add(Integer.parseInt(b[8] + b[9], 16) + "x" + Integer.parseInt(b[10] + b[11], 16));
            }
        }
        return ranges;
    }

    @Test
    void aRefusedAddressIsIsolatedAndTheRestOfItsBlockKeepsUpdating() throws Exception {
        slave = TestSlave.start(TestSlave.image(1, 30), false);
        slave.input(0, 0x4049, 0x0FDB);
        slave.input(20, 7);
        // ir:30 lies past the slave's table; with max-gap 40 all four tags would be one request.
        endpoint = TestEndpoint.tcp(slave.port).device("max-gap", "40").tag("pi", "ir:0:float32")
                .tag("seven", "ir:20").tag("missing", "ir:30").tag("zero", "ir:25").start();
        TagValue missing = endpoint.await("missing", v -> !v.isNoValueYet());
        assertThat(missing.quality()).isEqualTo(Quality.BAD_CONFIGURATION_ERROR);
        assertThat(missing.detail()).isEqualTo("Modbus exception 02: illegal data address");
        assertThat(endpoint.value("pi")).isEqualTo((double) 3.1415927f);
        assertThat(endpoint.value("seven")).isEqualTo(7L);
        assertThat(endpoint.value("zero")).isEqualTo(0L);

        // Later scans read around the refused address, and the others keep updating.
        slave.input(20, 8);
        assertThat(endpoint.await("seven", v -> Long.valueOf(8).equals(v.value())).quality().isGood()).isTrue();
        assertThat(status().errorsByKind()).containsKey("exception 02 illegal data address");
        List<String> trace = new CopyOnWriteArrayList<>();
        try (AutoCloseable t = endpoint.endpoint.trace("plc", trace::add)) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (trace.stream().filter(l -> l.contains(" TX ")).count() < 6 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
        }
        // Each scan now reads the good tags in one request and the refused one alone.
        assertThat(trace.stream().filter(l -> l.contains(" RX ")).count()).isGreaterThan(0);
        assertThat(endpoint.latest.get("missing").quality()).isEqualTo(Quality.BAD_CONFIGURATION_ERROR);
    }

    @Test
    void aDeviceThatIsNotThereIsBadWithAReasonThenRecoversByItself() throws Exception {
        int port = TestSlave.freePort();
        endpoint = TestEndpoint.tcp(port).tag("pi", "hr:0:float32").start();
        TagValue bad = endpoint.await("pi", v -> v.quality().isBad() && !v.isNoValueYet());
        assertThat(bad.quality()).isEqualTo(Quality.BAD_NOT_CONNECTED);
        assertThat(bad.detail()).contains("cannot connect to 127.0.0.1:" + port);
        assertThat(status().state()).isEqualTo(DeviceStatus.LinkState.DISCONNECTED);

        slave = TestSlave.start(TestSlave.image(1, 10), port, false);
        slave.holding(0, 0x4049, 0x0FDB);
        assertThat(endpoint.await("pi", TagValue::hasValue).value()).isEqualTo((double) 3.1415927f);
        assertThat(status().state()).isEqualTo(DeviceStatus.LinkState.CONNECTED);
        assertThat(status().lastError()).contains("cannot connect");
        assertThat(status().errorsByKind()).containsKey("not connected");
    }

    @Test
    void writesUseTheFunctionCodeTheValueNeedsAndReadBack() throws Exception {
        slave = TestSlave.start(TestSlave.image(1, 20), false);
        endpoint = TestEndpoint.tcp(slave.port).writable("sp", "hr:0:float32").writable("run", "coil:1")
                .writable("word", "hr:4").writable("flag", "hr:5.3").writable("three", "hr:6:int16[3]")
                .writable("coils", "coil:8:bool[3]").writable("text", "hr:10:string[6]").start();
        endpoint.value("sp");
        List<String> trace = new CopyOnWriteArrayList<>();
        AutoCloseable t = endpoint.endpoint.trace("plc", trace::add);

        TagValue readBack = endpoint.endpoint.write("sp", 3.25).get(5, TimeUnit.SECONDS);
        assertThat(readBack.value()).isEqualTo(3.25);
        assertThat(readBack.quality()).isEqualTo(Quality.GOOD);
        assertThat(slave.holdingValue(0)).isEqualTo(0x4050);   // 3.25f = 0x40500000, one FC16 of two registers
        assertThat(slave.holdingValue(1)).isEqualTo(0x0000);
        assertThat(functionCodes(trace)).contains("10");
        trace.clear();

        endpoint.endpoint.write("run", true).get(5, TimeUnit.SECONDS);
        assertThat(slave.image.getDigitalOut(1).isSet()).isTrue();
        endpoint.endpoint.write("word", 4660).get(5, TimeUnit.SECONDS);
        assertThat(slave.holdingValue(4)).isEqualTo(0x1234);
        assertThat(functionCodes(trace)).containsSubsequence("05", "06");
        trace.clear();

        slave.holding(5, 0x0101);
        assertThat(endpoint.endpoint.write("flag", true).get(5, TimeUnit.SECONDS).value()).isEqualTo(true);
        assertThat(slave.holdingValue(5)).as("read-modify-write keeps the other bits").isEqualTo(0x0109);
        assertThat(functionCodes(trace)).containsSubsequence("03", "06");

        endpoint.endpoint.write("three", List.of(1, -1, 300)).get(5, TimeUnit.SECONDS);
        assertThat(List.of(slave.holdingValue(6), slave.holdingValue(7), slave.holdingValue(8)))
                .containsExactly(1, 0xFFFF, 300);
        endpoint.endpoint.write("coils", List.of(true, false, true)).get(5, TimeUnit.SECONDS);
        assertThat(slave.image.getDigitalOut(10).isSet()).isTrue();
        assertThat(endpoint.endpoint.write("text", "P-101").get(5, TimeUnit.SECONDS).value()).isEqualTo("P-101");
        assertThat(slave.holdingValue(10)).isEqualTo(0x502D);   // 'P' '-'
        assertThat(functionCodes(trace)).contains("0F");
        t.close();
    }

    @Test
    void devicesThatRefuseSingleWritesGetFc16AndFc15() throws Exception {
        slave = TestSlave.start(TestSlave.image(1, 10), false);
        endpoint = TestEndpoint.tcp(slave.port).device("force-multiple-writes", "true").writable("word", "hr:4")
                .writable("run", "coil:1").start();
        endpoint.value("word");
        List<String> trace = new CopyOnWriteArrayList<>();
        try (AutoCloseable t = endpoint.endpoint.trace("plc", trace::add)) {
            endpoint.endpoint.write("word", 7).get(5, TimeUnit.SECONDS);
            endpoint.endpoint.write("run", true).get(5, TimeUnit.SECONDS);
        }
        assertThat(slave.holdingValue(4)).isEqualTo(7);
        assertThat(functionCodes(trace)).contains("10", "0F").doesNotContain("06", "05");
    }

    @Test
    void badWritesAreRefusedWithAClearErrorAndNothingIsSent() throws Exception {
        slave = TestSlave.start(TestSlave.image(1, 10), false);
        endpoint = TestEndpoint.tcp(slave.port).writable("run", "coil:1").writable("word", "hr:4")
                .tag("sp", "hr:0:float32").writable("level", "ir:0:float32").writable("arr", "hr:6:int16[2]")
                .start();
        endpoint.value("run");
        List<String> trace = new CopyOnWriteArrayList<>();
        try (AutoCloseable t = endpoint.endpoint.trace("plc", trace::add)) {
            assertThatThrownBy(() -> endpoint.endpoint.write("run", 2.5).get()).hasCauseInstanceOf(
                    WriteException.class).hasMessageContaining("a coil takes true or false, not '2.5'");
            assertThatThrownBy(() -> endpoint.endpoint.write("word", 70000).get())
                    .hasMessageContaining("outside the uint16 range");
            assertThatThrownBy(() -> endpoint.endpoint.write("sp", 1.0).get()).hasMessageContaining("read-only");
            assertThatThrownBy(() -> endpoint.endpoint.write("level", 1.0).get())
                    .hasMessageContaining("which Modbus cannot write");
            assertThatThrownBy(() -> endpoint.endpoint.write("arr", List.of(1)).get())
                    .hasMessageContaining("an array of 2 values");
            assertThatThrownBy(() -> endpoint.endpoint.write("nope", 1).get()).hasMessageContaining("'nope'");
        }
        assertThat(trace.stream().filter(l -> l.contains(" TX ")).filter(l -> !functionCodes(List.of(l)).get(0)
                .matches("0[1-4]"))).as("no write request went out").isEmpty();
    }

    @Test
    void scanGroupsRunAtTheirOwnRatesAndOverrunsAreCountedNotPiledUp() throws Exception {
        slave = TestSlave.start(TestSlave.image(1, 10), false);
        // Each request waits 60 ms before it goes out: a 20 ms group cannot keep its rate.
        endpoint = TestEndpoint.tcp(slave.port).device("request-delay", "60ms")
                .tag("fast", "hr:0", false, Duration.ofMillis(20)).tag("slow", "hr:1", false, Duration.ofMillis(500))
                .start();
        endpoint.value("fast");
        long t0 = System.nanoTime();
        Thread.sleep(1_500);
        long elapsedMs = TestEndpoint.millis(System.nanoTime() - t0);
        long fastReads = endpoint.received.stream().filter(r -> r.tag().equals("fast") && r.nanos() >= t0
                && r.value().quality().isGood()).count();
        long slowReads = endpoint.received.stream().filter(r -> r.tag().equals("slow") && r.nanos() >= t0
                && r.value().quality().isGood()).count();
        // At most one request per 60 ms can go out: reads never exceed that, and nothing is queued up to catch up.
        assertThat(fastReads + slowReads).isLessThanOrEqualTo(elapsedMs / 60 + 1);
        assertThat(slowReads).as("the slow group keeps its own rate").isBetween(2L, elapsedMs / 500 + 1);
        assertThat(status().overruns()).isGreaterThan(10);
    }

    @Test
    void outOfServiceAndReadNow() throws Exception {
        slave = TestSlave.start(TestSlave.image(1, 10), false);
        endpoint = TestEndpoint.tcp(slave.port).tag("a", "hr:0", false, Duration.ofSeconds(30))
                .tag("b", "hr:1", false, Duration.ofSeconds(30)).start();
        endpoint.value("a");
        slave.holding(0, 42);
        endpoint.endpoint.readNow("plc");
        assertThat(endpoint.await("a", v -> Long.valueOf(42).equals(v.value())).quality()).isEqualTo(Quality.GOOD);

        endpoint.endpoint.setTagEnabled("b", false);
        assertThat(endpoint.await("b", v -> v.quality().isBad()).quality()).isEqualTo(Quality.BAD_OUT_OF_SERVICE);
        endpoint.endpoint.setDeviceEnabled("plc", false);
        assertThat(endpoint.await("a", v -> v.quality().isBad()).quality()).isEqualTo(Quality.BAD_OUT_OF_SERVICE);
        long requests = status().requests();
        endpoint.endpoint.readNow("plc");
        Thread.sleep(200);
        assertThat(status().requests()).as("a device out of service is not polled").isEqualTo(requests);
        assertThat(status().state()).isEqualTo(DeviceStatus.LinkState.DISABLED);

        endpoint.endpoint.setDeviceEnabled("plc", true);
        endpoint.endpoint.setTagEnabled("b", true);
        assertThat(endpoint.await("b", TagValue::hasValue).quality()).isEqualTo(Quality.GOOD);
        assertThat(endpoint.await("a", TagValue::hasValue).quality()).isEqualTo(Quality.GOOD);
    }

    @Test
    void diagnosticsCountRequestsAndResponseTimes() throws Exception {
        slave = TestSlave.start(TestSlave.image(1, 10), false);
        endpoint = TestEndpoint.tcp(slave.port).tag("a", "hr:0").start();
        endpoint.await("a", TagValue::hasValue);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (status().requests() < 10 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        DeviceStatus s = status();
        assertThat(s.requests()).isGreaterThanOrEqualTo(10);
        assertThat(s.errors()).isZero();
        assertThat(s.p50Millis()).isPositive();
        assertThat(s.p99Millis()).isGreaterThanOrEqualTo(s.p50Millis());
        assertThat(s.address()).isEqualTo("127.0.0.1:" + slave.port + " unit 1");
    }

    @Test
    void misspeltOptionsAreRejectedWithTheirName() {
        ModbusDriverProvider provider = new ModbusDriverProvider();
        EndpointConfig config = new EndpointConfig("plc-link", ModbusDriverProvider.TCP,
                new Options("endpoint 'plc-link'", Map.of("host", "127.0.0.1", "prot", "502")), List.of());
        assertThatThrownBy(() -> provider.createEndpoint(config, TestEndpoint.CONTEXT))
                .isInstanceOf(ConfigException.class).hasMessageContaining("unknown option 'prot'");
        assertThatThrownBy(() -> TestEndpoint.tcp(502).device("byte-order", "big").create())
                .hasMessageContaining("'byte-order' is abcd, cdab, badc or dcba, not 'big'");
        assertThatThrownBy(() -> TestEndpoint.tcp(502).device("address-base", "1").tag("x", "hr:0").create())
                .hasMessageContaining("numbers its addresses from 1");
    }

    @Test
    void closeStopsTheThreadAndRefusesWrites() throws Exception {
        slave = TestSlave.start(TestSlave.image(1, 10), false);
        endpoint = TestEndpoint.tcp(slave.port).writable("a", "hr:0").start();
        endpoint.value("a");
        endpoint.close();
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("stator-modbus-plc-link"));
        assertThatThrownBy(() -> endpoint.endpoint.write("a", 1).get()).isInstanceOf(ExecutionException.class)
                .hasMessageContaining("not running");
        assertThat(status().state()).isEqualTo(DeviceStatus.LinkState.STOPPED);
    }
}
