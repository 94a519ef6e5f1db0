package dev.stator.driver.modbus;

import com.ghgande.j2mod.modbus.procimg.SimpleDigitalIn;
import com.ghgande.j2mod.modbus.procimg.SimpleDigitalOut;
import com.ghgande.j2mod.modbus.procimg.SimpleInputRegister;
import com.ghgande.j2mod.modbus.procimg.SimpleProcessImage;
import com.ghgande.j2mod.modbus.procimg.SimpleRegister;
import com.ghgande.j2mod.modbus.slave.ModbusSlave;
import com.ghgande.j2mod.modbus.slave.ModbusSlaveFactory;
import dev.stator.driver.api.ConfigException;
import dev.stator.driver.api.DeviceConfig;
import dev.stator.driver.api.DeviceStatus;
import dev.stator.driver.api.DriverContext;
import dev.stator.driver.api.Endpoint;
import dev.stator.driver.api.EndpointConfig;
import dev.stator.driver.api.Options;
import dev.stator.driver.api.Quality;
import dev.stator.driver.api.Secrets;
import dev.stator.driver.api.TagBinding;
import dev.stator.driver.api.TagValue;
import dev.stator.driver.api.WriteException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The endpoint against a real j2mod slave on loopback, with register patterns written straight into its image. */
class ModbusEndpointTest {

    private static final DriverContext CONTEXT = new DriverContext() {
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

    private ModbusSlave slave;
    private Endpoint endpoint;
    private final Map<String, TagValue> latest = new ConcurrentHashMap<>();

    @AfterEach
    void tearDown() {
        if (endpoint != null) {
            endpoint.close();
        }
        if (slave != null) {
            ModbusSlaveFactory.close(slave);
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private ModbusSlave startSlave(int port, SimpleProcessImage image) throws Exception {
        ModbusSlave s = ModbusSlaveFactory.createTCPSlave(InetAddress.getLoopbackAddress(), port, 2, false);
        s.addProcessImage(1, image);
        s.open();
        return s;
    }

    private static SimpleProcessImage image() {
        SimpleProcessImage image = new SimpleProcessImage(1);
        // float32 1.5 = 0x3FC00000, ABCD: 0x3FC0 then 0x0000
        image.addInputRegister(new SimpleInputRegister(0x3FC0));
        image.addInputRegister(new SimpleInputRegister(0x0000));
        image.addInputRegister(new SimpleInputRegister(0xFFFE)); // int16 -2, uint16 65534
        image.addInputRegister(new SimpleInputRegister(0x0005)); // bits 0 and 2 set
        // holding: float32 -12.25 = 0xC1440000, then uint32 0x00012345 = 74565, then int32 -100 = 0xFFFFFF9C
        image.addRegister(new SimpleRegister(0xC144));
        image.addRegister(new SimpleRegister(0x0000));
        image.addRegister(new SimpleRegister(0x0001));
        image.addRegister(new SimpleRegister(0x2345));
        image.addRegister(new SimpleRegister(0xFFFF));
        image.addRegister(new SimpleRegister(0xFF9C));
        image.addDigitalOut(new SimpleDigitalOut(true));
        image.addDigitalOut(new SimpleDigitalOut(false));
        image.addDigitalIn(new SimpleDigitalIn(false));
        image.addDigitalIn(new SimpleDigitalIn(true));
        return image;
    }

    private Endpoint endpoint(int port, Map<String, String> tags) throws Exception {
        ModbusDriverProvider provider = new ModbusDriverProvider();
        List<TagBinding> bindings = tags.entrySet().stream().map(e -> {
            try {
                return BlockPlannerTest.tag(e.getKey(), e.getValue());
            } catch (Exception ex) {
                throw new IllegalArgumentException(ex);
            }
        }).toList();
        List<TagBinding> writable = bindings.stream().map(b -> new TagBinding(
                new dev.stator.driver.api.TagDefinition(b.name(), "", "", null, b.tag().dataType(),
                        b.name().startsWith("w")), b.address(), "fast", Duration.ofMillis(100))).toList();
        EndpointConfig config = new EndpointConfig("plc-link", ModbusDriverProvider.TCP,
                new Options("endpoint 'plc-link'", Map.of("host", "127.0.0.1", "port", String.valueOf(port),
                        "timeout", "500ms", "reconnect-delay", "100ms")),
                List.of(new DeviceConfig("plc", new Options("device 'plc'", Map.of("unit-id", "1", "max-gap", "0")),
                        writable)));
        return provider.createEndpoint(config, CONTEXT);
    }

    private TagValue await(String tag, Predicate<TagValue> condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            TagValue v = latest.get(tag);
            if (v != null && condition.test(v)) {
                return v;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("tag " + tag + " never met the condition; last " + latest.get(tag));
    }

    @Test
    void decodesEveryTypeFromKnownRegisterPatterns() throws Exception {
        int port = freePort();
        slave = startSlave(port, image());
        endpoint = endpoint(port, Map.of("level", "ir:0:float32", "signed", "ir:2:int16", "unsigned", "ir:2",
                "bit0", "ir:3.0", "bit1", "ir:3.1", "sp", "hr:0:float32", "u32", "hr:2:uint32", "i32", "hr:4:int32",
                "run", "coil:0", "fb", "di:1"));
        endpoint.start(latest::put);
        assertThat(await("level", TagValue::hasValue).value()).isEqualTo(1.5);
        assertThat(await("signed", TagValue::hasValue).value()).isEqualTo(-2L);
        assertThat(await("unsigned", TagValue::hasValue).value()).isEqualTo(65534L);
        assertThat(await("bit0", TagValue::hasValue).value()).isEqualTo(true);
        assertThat(await("bit1", TagValue::hasValue).value()).isEqualTo(false);
        assertThat(await("sp", TagValue::hasValue).value()).isEqualTo(-12.25);
        assertThat(await("u32", TagValue::hasValue).value()).isEqualTo(74565L);
        assertThat(await("i32", TagValue::hasValue).value()).isEqualTo(-100L);
        assertThat(await("run", TagValue::hasValue).value()).isEqualTo(true);
        assertThat(await("fb", TagValue::hasValue).value()).isEqualTo(true);
        assertThat(latest.get("level").quality()).isEqualTo(Quality.GOOD);
        DeviceStatus status = endpoint.deviceStatus().get(0);
        assertThat(status.state()).isEqualTo(DeviceStatus.LinkState.CONNECTED);
        assertThat(status.requests()).isGreaterThanOrEqualTo(4);
    }

    @Test
    void anExceptionResponseMarksOnlyItsOwnRequestBad() throws Exception {
        int port = freePort();
        slave = startSlave(port, image());
        // ir:50 is outside the image: its request gets exception 02; the rest keeps updating.
        endpoint = endpoint(port, Map.of("level", "ir:0:float32", "missing", "ir:50"));
        endpoint.start(latest::put);
        TagValue missing = await("missing", v -> !v.isNoValueYet());
        assertThat(missing.quality()).isEqualTo(Quality.BAD_CONFIGURATION_ERROR);
        assertThat(missing.detail()).isEqualTo("Modbus exception 02: illegal data address");
        assertThat(await("level", TagValue::hasValue).quality().isGood()).isTrue();
    }

    @Test
    void aDeviceThatIsNotThereIsBadWithAReasonThenRecoversByItself() throws Exception {
        int port = freePort();
        endpoint = endpoint(port, Map.of("level", "ir:0:float32"));
        endpoint.start(latest::put);
        TagValue bad = await("level", v -> v.quality().isBad() && !v.isNoValueYet());
        assertThat(bad.quality()).isEqualTo(Quality.BAD_NOT_CONNECTED);
        assertThat(bad.detail()).contains("cannot connect to 127.0.0.1:" + port);
        assertThat(endpoint.deviceStatus().get(0).state()).isEqualTo(DeviceStatus.LinkState.DISCONNECTED);

        slave = startSlave(port, image());
        assertThat(await("level", TagValue::hasValue).value()).isEqualTo(1.5);
        assertThat(endpoint.deviceStatus().get(0).lastError()).contains("cannot connect");
    }

    @Test
    void writesGoOutWithTheTypesEncodingAndBadInputSendsNothing() throws Exception {
        int port = freePort();
        SimpleProcessImage image = image();
        slave = startSlave(port, image);
        endpoint = endpoint(port, Map.of("wsp", "hr:0:float32", "wrun", "coil:1", "level", "ir:0:float32",
                "sp", "hr:0:float32"));
        endpoint.start(latest::put);
        endpoint.write("wsp", 3.25).get(5, TimeUnit.SECONDS);
        assertThat(image.getRegister(0).toUnsignedShort()).isEqualTo(0x4050); // 3.25f = 0x40500000
        assertThat(image.getRegister(1).toUnsignedShort()).isEqualTo(0x0000);
        endpoint.write("wrun", true).get(5, TimeUnit.SECONDS);
        assertThat(image.getDigitalOut(1).isSet()).isTrue();

        long before = endpoint.deviceStatus().get(0).requests();
        assertThatThrownBy(() -> endpoint.write("sp", 1.0).get()).hasCauseInstanceOf(WriteException.class)
                .hasMessageContaining("read-only");
        assertThatThrownBy(() -> endpoint.write("wrun", 2.5).get()).hasMessageContaining("true or false");
        assertThatThrownBy(() -> endpoint.write("nope", 1).get()).hasMessageContaining("'nope'");
        assertThat(endpoint.deviceStatus().get(0).requests() - before)
                .as("refused writes never reach the wire").isLessThanOrEqualTo(5); // only scans in between
    }

    @Test
    void misspeltOptionsAreRejectedWithTheirName() {
        ModbusDriverProvider provider = new ModbusDriverProvider();
        EndpointConfig config = new EndpointConfig("plc-link", ModbusDriverProvider.TCP,
                new Options("endpoint 'plc-link'", Map.of("host", "127.0.0.1", "prot", "502")), List.of());
        assertThatThrownBy(() -> provider.createEndpoint(config, CONTEXT)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("unknown option 'prot'");
    }

    @Test
    void closeStopsTheScanThread() throws Exception {
        int port = freePort();
        slave = startSlave(port, image());
        endpoint = endpoint(port, Map.of("level", "ir:0:float32"));
        endpoint.start(latest::put);
        await("level", TagValue::hasValue);
        endpoint.close();
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("stator-modbus-plc-link"));
        assertThatThrownBy(() -> endpoint.write("level", 1.0).get()).isInstanceOf(ExecutionException.class);
    }
}
