package dev.stator.simulator;

import static dev.stator.simulator.SimTesting.await;
import static dev.stator.simulator.SimTesting.connect;
import static dev.stator.simulator.SimTesting.simulatorThreads;
import static dev.stator.simulator.SimTesting.startSimulator;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.ghgande.j2mod.modbus.facade.ModbusTCPMaster;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LifecycleTest {

    // Every thread name carries the port, so threads of earlier tests still winding down cannot pass for ours.
    @Test
    void closeStopsEveryThreadItStartedAndFreesThePort() throws Exception {
        Set<String> before = simulatorThreads();
        PlantSimulator sim = startSimulator(b -> b);
        int port = sim.modbusPort();
        ModbusTCPMaster master = connect(port);
        master.readInputRegisters(1, RegisterMap.IR_HEARTBEAT, 1);

        assertThat(simulatorThreads()).contains("stator-sim-plant-" + port, "stator-sim-modbus-" + port,
                "stator-sim-modbus-" + port + " Handler");
        assertThat(sim.isRunning()).isTrue();

        master.disconnect();
        sim.close();
        sim.close();

        assertThat(sim.isRunning()).isFalse();
        await(Duration.ofSeconds(5), "the simulator threads to end", () -> before.containsAll(simulatorThreads()));
        try (ServerSocket again = new ServerSocket(port, 1, InetAddress.getByName(SimTesting.LOOPBACK))) {
            assertThat(again.getLocalPort()).isEqualTo(port);
        }
        // And a new simulator can serve the same port in the same JVM.
        try (PlantSimulator second = PlantSimulator.builder().modbusPort(port).build()) {
            second.start();
            ModbusTCPMaster other = connect(port);
            assertThat(other.readCoils(1, RegisterMap.COIL_P101_RUN, 1).getBit(0)).isTrue();
            other.disconnect();
        }
        await(Duration.ofSeconds(5), "the second simulator's threads to end",
                () -> before.containsAll(simulatorThreads()));
    }

    @Test
    void aClientStillConnectedWhenTheSimulatorStopsLosesItsConnectionAndTheHandlerEnds() throws Exception {
        Set<String> before = simulatorThreads();
        PlantSimulator sim = startSimulator(b -> b);
        int port = sim.modbusPort();
        ModbusTCPMaster master = connect(port);
        master.readInputRegisters(1, RegisterMap.IR_HEARTBEAT, 1);

        sim.close();

        // A stopped PLC does not answer: the next request fails instead of reading a frozen image.
        assertThatThrownBy(() -> master.readInputRegisters(1, RegisterMap.IR_HEARTBEAT, 1))
                .isInstanceOf(com.ghgande.j2mod.modbus.ModbusException.class);
        master.disconnect();
        await(Duration.ofSeconds(5), "the simulator threads to end", () -> before.containsAll(simulatorThreads()));
    }

    @Test
    void startOnATakenPortFailsWithAClearMessageAndLeavesNothingBehind() throws Exception {
        Set<String> before = simulatorThreads();
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName(SimTesting.LOOPBACK))) {
            int port = taken.getLocalPort();
            PlantSimulator sim = PlantSimulator.builder().modbusPort(port).build();

            assertThatThrownBy(sim::start).isInstanceOf(IOException.class)
                    .hasMessageContaining("127.0.0.1:" + port);
            assertThat(sim.isRunning()).isFalse();
            sim.close();

            taken.close();
            // j2mod's slave cache must not keep the failed port: the same port works once it is free.
            try (PlantSimulator retry = PlantSimulator.builder().modbusPort(port).build()) {
                retry.start();
                assertThat(retry.isRunning()).isTrue();
            }
        }
        await(Duration.ofSeconds(5), "the simulator threads to end", () -> before.containsAll(simulatorThreads()));
    }

    @Test
    void aSecondSimulatorOnTheSamePortIsRefusedInsteadOfSharingTheSlave() throws Exception {
        try (PlantSimulator first = startSimulator(b -> b)) {
            PlantSimulator second = PlantSimulator.builder().modbusPort(first.modbusPort()).build();

            assertThatThrownBy(second::start).isInstanceOf(IOException.class)
                    .hasMessageContaining(String.valueOf(first.modbusPort()));
            second.close();
            assertThat(first.isRunning()).isTrue();
        }
    }

    @Test
    void startTwiceIsAnError() throws Exception {
        try (PlantSimulator sim = startSimulator(b -> b)) {
            assertThatThrownBy(sim::start).isInstanceOf(IllegalStateException.class);
        }
    }
}
