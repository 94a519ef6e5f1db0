package dev.stator.cli;

import dev.stator.simulator.InitialState;
import dev.stator.simulator.PlantSimulator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The commissioning commands against the plant simulator, as an engineer would use them on a new PLC. */
class ModbusCommandTest {

    private PlantSimulator simulator;
    private String port;

    @BeforeEach
    void start() throws Exception {
        int p = EndToEndTest.freePort();
        simulator = PlantSimulator.builder().bindAddress(InetAddress.getLoopbackAddress()).modbusPort(p).noise(false)
                .initialState(InitialState.DEFAULT.withSetpoint(2.5)).build();
        simulator.start();
        port = String.valueOf(p);
    }

    @AfterEach
    void stop() {
        simulator.close();
    }

    @Test
    void readDecodesAValueAndShowsItInEveryByteOrderSideBySide() {
        CliRun run = CliRun.of("modbus", "read", "--host", "127.0.0.1", "--port", port, "hr:0:float32",
                "--all-orders");
        assertThat(run.exitCode()).as(run.err()).isZero();
        List<String> lines = run.out().lines().toList();
        assertThat(lines.get(0)).startsWith("127.0.0.1:" + port + " unit 1: hr:0:float32 x1, answered in ");
        assertThat(lines.get(1).split("\\s+")).containsExactly("address", "registers", "abcd", "cdab", "badc",
                "dcba");
        // 2.5f = 0x40200000: right in abcd, nonsense in the other orders, which is how the right one is found.
        assertThat(lines.get(2).split("\\s+")).startsWith("hr:0:float32", "4020", "0000", "2.5");
    }

    @Test
    void conventionalAddressesAndCounts() {
        CliRun run = CliRun.of("modbus", "read", "--host", "127.0.0.1", "--port", port, "10001", "--count", "2");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("di:0 ").contains("di:1 ");
        assertThat(run.out().lines().filter(l -> l.startsWith("di:0")).findFirst().orElseThrow())
                .endsWith("true");   // P-101 runs in the default state
    }

    @Test
    void writeNeedsConfirmationThenWritesAndReadsBack() {
        CliRun refused = CliRun.of("modbus", "write", "--host", "127.0.0.1", "--port", port, "hr:0:float32", "3.0");
        assertThat(refused.exitCode()).isEqualTo(CliException.BAD_INPUT);
        assertThat(refused.err()).contains("was not confirmed");
        assertThat(simulator.snapshot().setpoint()).isEqualTo(2.5);

        CliRun run = CliRun.of("modbus", "write", "--host", "127.0.0.1", "--port", port, "hr:0:float32", "3.0",
                "--yes");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out().strip()).isEqualTo("wrote 3.0 to hr:0:float32; read back 3.0");
        assertThat(simulator.snapshot().setpoint()).isEqualTo(3.0);
    }

    @Test
    void badInputIsRefusedBeforeAnythingIsSent() {
        CliRun onInput = CliRun.of("modbus", "write", "--host", "127.0.0.1", "--port", port, "ir:0:float32", "1",
                "--yes");
        assertThat(onInput.exitCode()).isEqualTo(CliException.BAD_INPUT);
        assertThat(onInput.err()).contains("cannot be written");
        CliRun floatOnCoil = CliRun.of("modbus", "write", "--host", "127.0.0.1", "--port", port, "coil:0", "2.5",
                "--yes");
        assertThat(floatOnCoil.exitCode()).isEqualTo(CliException.BAD_INPUT);
        assertThat(floatOnCoil.err()).contains("a bool is true or false");
        CliRun badAddress = CliRun.of("modbus", "read", "--host", "127.0.0.1", "--port", port, "hr:x");
        assertThat(badAddress.exitCode()).isEqualTo(CliException.BAD_INPUT);
        assertThat(badAddress.err()).contains("is not a Modbus address");
        CliRun refusedAddress = CliRun.of("modbus", "read", "--host", "127.0.0.1", "--port", port, "hr:500");
        assertThat(refusedAddress.exitCode()).isEqualTo(CliException.FAILURE);
        assertThat(refusedAddress.err()).contains("Modbus exception 02: illegal data address");
    }
}
