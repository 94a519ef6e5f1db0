package dev.stator.simulator;

import com.ghgande.j2mod.modbus.ModbusException;
import com.ghgande.j2mod.modbus.facade.ModbusTCPMaster;
import com.ghgande.j2mod.modbus.procimg.InputRegister;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;

/** Shared test plumbing: free ports, simulators, masters, bounded waits. */
final class SimTesting {

    static final String LOOPBACK = "127.0.0.1";

    private SimTesting() {
    }

    /** A port free on 127.0.0.1 a moment ago: bind port 0, read it, release it. */
    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A started simulator on a free port; retries with another port if one was grabbed in between. */
    static PlantSimulator startSimulator(UnaryOperator<PlantSimulator.Builder> config) throws IOException {
        IOException last = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            PlantSimulator sim = config.apply(PlantSimulator.builder().modbusPort(freePort())).build();
            try {
                sim.start();
                return sim;
            } catch (IOException e) {
                sim.close();
                last = e;
            }
        }
        throw last;
    }

    /** A master on one persistent connection (reconnect=false: j2mod would otherwise reconnect per request). */
    static ModbusTCPMaster connect(int port) throws Exception {
        ModbusTCPMaster master = new ModbusTCPMaster(LOOPBACK, port, 2000, false);
        master.connect();
        return master;
    }

    static float readFloat(ModbusTCPMaster master, int unit, int address) throws ModbusException {
        InputRegister[] words = master.readInputRegisters(unit, address, 2);
        return RegisterMap.toFloat(words[0].getValue(), words[1].getValue());
    }

    static float floatAt(InputRegister[] words, int address) {
        return RegisterMap.toFloat(words[address].getValue(), words[address + 1].getValue());
    }

    /** Polls {@code condition} every 10 ms until it holds or {@code timeout} passes, then fails with {@code what}. */
    static void await(Duration timeout, String what, Condition condition) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.holds()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for " + what);
            }
            Thread.sleep(10);
        }
    }

    /** A condition that may read over Modbus. */
    @FunctionalInterface
    interface Condition {
        boolean holds() throws Exception;
    }

    /** Names of the live threads this module starts (all named "stator-sim..."). */
    static Set<String> simulatorThreads() {
        Set<String> names = new TreeSet<>();
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.isAlive() && thread.getName().startsWith("stator-sim")) {
                names.add(thread.getName());
            }
        }
        return names;
    }
}
