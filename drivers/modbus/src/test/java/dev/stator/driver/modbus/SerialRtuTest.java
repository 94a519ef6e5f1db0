package dev.stator.driver.modbus;

import com.ghgande.j2mod.modbus.Modbus;
import com.ghgande.j2mod.modbus.procimg.SimpleProcessImage;
import com.ghgande.j2mod.modbus.slave.ModbusSlave;
import com.ghgande.j2mod.modbus.slave.ModbusSlaveFactory;
import com.ghgande.j2mod.modbus.util.SerialParameters;
import dev.stator.driver.api.Quality;
import dev.stator.driver.api.TagValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Modbus RTU on a serial line through j2mod: a pair of linked pseudo-terminals made by socat stands in for an RS-485
 * cable, with a j2mod RTU slave at one end and the driver at the other. Needs socat (CI installs it): skipped where it
 * is missing, unless STATOR_REQUIRE_SOCAT is set.
 */
class SerialRtuTest {

    @TempDir
    Path dir;

    private Process socat;
    private ModbusSlave slave;
    private TestEndpoint endpoint;

    @AfterEach
    void stop() throws InterruptedException {
        if (endpoint != null) {
            endpoint.close();
        }
        if (slave != null) {
            ModbusSlaveFactory.close(slave);
        }
        if (socat != null) {
            socat.destroy();
            socat.waitFor(5, TimeUnit.SECONDS);
        }
    }

    private static boolean socatAvailable() {
        for (String p : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(p, "socat"))) {
                return true;
            }
        }
        return false;
    }

    @Test
    void readsAndWritesOverALineOfTwoPseudoTerminals() throws Exception {
        boolean required = System.getenv("STATOR_REQUIRE_SOCAT") != null;
        if (required) {
            assertThat(socatAvailable()).as("socat is required here (install it: apt-get install socat)").isTrue();
        } else {
            Assumptions.assumeTrue(socatAvailable(), "socat is not installed");
        }
        Path a = dir.resolve("ttyA");
        Path b = dir.resolve("ttyB");
        socat = new ProcessBuilder("socat", "pty,raw,echo=0,link=" + a, "pty,raw,echo=0,link=" + b)
                .redirectErrorStream(true).redirectOutput(dir.resolve("socat.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!(Files.exists(a) && Files.exists(b)) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(Files.exists(a) && Files.exists(b)).as("socat made the line").isTrue();

        SerialParameters params = new SerialParameters();
        params.setPortName(a.toRealPath().toString());
        params.setBaudRate(19200);
        params.setDatabits(8);
        params.setParity("Even");
        params.setStopbits(1);
        params.setEncoding(Modbus.SERIAL_ENCODING_RTU);
        params.setEcho(false);
        SimpleProcessImage image = TestSlave.image(1, 10);
        image.getRegister(0).setValue(0x4049);
        image.getRegister(1).setValue(0x0FDB);
        slave = ModbusSlaveFactory.createSerialSlave(params);
        slave.addProcessImage(1, image);
        slave.open();

        endpoint = new TestEndpoint.Spec(ModbusDriverProvider.RTU, 0).endpoint("serial-port",
                        b.toRealPath().toString()).endpoint("baud", "19200").endpoint("parity", "even")
                .endpoint("timeout", "500ms").withoutTcp().tag("pi", "hr:0:float32").writable("word", "hr:4").start();
        TagValue pi = endpoint.await("pi", TagValue::hasValue);
        assertThat(pi.value()).isEqualTo((double) 3.1415927f);
        assertThat(pi.quality()).isEqualTo(Quality.GOOD);
        endpoint.endpoint.write("word", 4660).get(5, TimeUnit.SECONDS);
        assertThat(image.getRegister(4).toUnsignedShort()).isEqualTo(0x1234);
        assertThat(endpoint.endpoint.deviceStatus().get(0).address()).startsWith(b.toRealPath() + " 19200 8E1");
    }
}
