package dev.stator.simulator;

import static dev.stator.simulator.OpcUaTesting.connectAnonymously;
import static dev.stator.simulator.OpcUaTesting.disconnect;
import static dev.stator.simulator.OpcUaTesting.node;
import static dev.stator.simulator.OpcUaTesting.startWithOpcUa;
import static dev.stator.simulator.SimTesting.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaMonitoredItem;
import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaSubscription;
import org.eclipse.milo.opcua.stack.core.Stack;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.enumerated.TimestampsToReturn;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The OPC UA server starts and stops with the simulator: threads, ports and the temporary PKI directory. */
class OpcUaLifecycleTest {

    // Threads Milo and Netty keep for the whole JVM, shared by every OPC UA client and server in it: the client side of
    // these tests starts most of them, the server side only the wheel timer. Stack.releaseSharedResources() ends them.
    private static final List<String> JVM_WIDE_THREADS = List.of("milo-shared-thread-pool-",
            "milo-shared-scheduled-executor-", "milo-netty-event-loop-", "milo-netty-wheel-timer",
            "milo-nonce-util-secure-random", "globalEventExecutor-");

    @AfterAll
    static void releaseMilo() {
        // Safe here: every client and server of this class is closed, and test classes run one after another.
        Stack.releaseSharedResources();
    }

    @Test
    void closeStopsTheServerThreadsAndFreesBothPortsAndTheTemporaryPki() throws Exception {
        Set<Thread> before = Set.copyOf(Thread.getAllStackTraces().keySet());
        PlantSimulator sim = startWithOpcUa(b -> b.timeScale(0));
        int modbusPort = sim.modbusPort();
        int opcUaPort = sim.opcUaPort();
        Path pki = sim.opcUaPkiDirectoryInUse();
        assertThat(pki.resolve("own/stator-simulator.pfx")).isRegularFile();

        OpcUaClient client = connectAnonymously(sim);
        OpcUaSubscription subscription = new OpcUaSubscription(client, 100.0);
        subscription.create();
        OpcUaMonitoredItem item = OpcUaMonitoredItem.newDataItem(node(client, "LT-101"));
        Queue<DataValue> values = new ConcurrentLinkedQueue<>();
        item.setDataValueListener((i, v) -> values.add(v));
        subscription.addMonitoredItem(item);
        subscription.synchronizeMonitoredItems();
        await(Duration.ofSeconds(5), "a data change", () -> values.size() >= 2);
        assertThat(newThreadNames(before)).contains("stator-sim-opcua-" + opcUaPort + "-io-1",
                "stator-sim-opcua-" + opcUaPort + "-worker-1", "stator-sim-opcua-" + opcUaPort + "-timer-1",
                "milo-trust-list-watcher");

        disconnect(client);

        // A connection still open when the simulator closes is dropped by the server, not left hanging.
        try (Socket stillOpen = new Socket(SimTesting.LOOPBACK, opcUaPort)) {
            stillOpen.setSoTimeout(5000);
            sim.close();
            assertThat(endOfStream(stillOpen)).isTrue();
        }

        await(Duration.ofSeconds(10), "the server's threads to end",
                () -> newThreadNames(before).stream().allMatch(OpcUaLifecycleTest::jvmWide));
        assertThat(newThreadNames(before)).noneMatch(name -> name.startsWith("stator-sim"))
                .doesNotContain("milo-trust-list-watcher");
        assertThat(pki).doesNotExist();
        bindAndRelease(modbusPort);
        bindAndRelease(opcUaPort);

        // The same two ports serve again in the same JVM.
        try (PlantSimulator again = PlantSimulator.builder().modbusPort(modbusPort).opcUaPort(opcUaPort).build()) {
            again.start();
            OpcUaClient second = connectAnonymously(again);
            try {
                assertThat(second.readValue(0.0, TimestampsToReturn.Both, node(second, "PLC.HEARTBEAT"))
                        .statusCode().isGood()).isTrue();
            } finally {
                disconnect(second);
            }
        }

        // What is left is Milo's JVM-wide share, and only the program's last act may release it.
        Stack.releaseSharedResources();
        await(Duration.ofSeconds(10), "Milo's shared threads to end",
                () -> newThreadNames(before).stream().noneMatch(name -> name.startsWith("milo-")));
    }

    @Test
    void aTakenOpcUaPortFailsTheStartAndLeavesTheModbusPortFree() throws Exception {
        Set<Thread> before = Set.copyOf(Thread.getAllStackTraces().keySet());
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName(SimTesting.LOOPBACK))) {
            int opcUaPort = taken.getLocalPort();
            int modbusPort = SimTesting.freePort();
            PlantSimulator sim = PlantSimulator.builder().modbusPort(modbusPort).opcUaPort(opcUaPort).build();

            assertThatThrownBy(sim::start).isInstanceOf(IOException.class)
                    .hasMessageContaining("OPC UA").hasMessageContaining("127.0.0.1:" + opcUaPort);
            assertThat(sim.isRunning()).isFalse();
            bindAndRelease(modbusPort);
            sim.close();
        }
        await(Duration.ofSeconds(10), "the server's threads to end",
                () -> newThreadNames(before).stream().allMatch(OpcUaLifecycleTest::jvmWide));
    }

    @Test
    void withoutAnOpcUaPortThereIsNoOpcUaServer() throws Exception {
        try (PlantSimulator sim = SimTesting.startSimulator(b -> b)) {
            assertThat(sim.opcUaPort()).isZero();
            assertThat(sim.opcUaNamespaceUri()).isEqualTo("urn:stator:simulator:pumping-station");
            assertThatThrownBy(sim::opcUaEndpointUrl).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(sim::opcUaServerCertificate).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> sim.trustOpcUaClient(certificate())).isInstanceOf(IllegalStateException.class);
            assertThat(SimTesting.simulatorThreads()).noneMatch(name -> name.startsWith("stator-sim-opcua"));
        }
    }

    @Test
    void theBuilderRefusesImpossibleOpcUaSettings() {
        assertThatThrownBy(() -> PlantSimulator.builder().modbusPort(5020).opcUaPort(5020).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("5020");
        assertThatThrownBy(() -> PlantSimulator.builder().opcUaPort(4840).opcUaAnonymous(false).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("opcUaUser");
        assertThatThrownBy(() -> PlantSimulator.builder().opcUaPort(65536))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PlantSimulator.builder().opcUaUser("", "x"))
                .isInstanceOf(IllegalArgumentException.class);
        PlantSimulator planned = PlantSimulator.builder().opcUaPort(4840).build();
        assertThat(planned.opcUaEndpointUrl()).isEqualTo("opc.tcp://127.0.0.1:4840/stator");
        assertThatThrownBy(planned::opcUaServerCertificate).isInstanceOf(IllegalStateException.class);
        planned.close();
    }

    private static X509Certificate certificate() throws Exception {
        return OpcUaTesting.ClientIdentity.create().certificate();
    }

    // Closed by the peer: an orderly end of stream, or a reset if the server closed before accepting.
    private static boolean endOfStream(Socket socket) throws IOException {
        try {
            return socket.getInputStream().read() == -1;
        } catch (SocketException reset) {
            return true;
        }
    }

    private static boolean jvmWide(String threadName) {
        return JVM_WIDE_THREADS.stream().anyMatch(threadName::startsWith);
    }

    private static Set<String> newThreadNames(Set<Thread> before) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && !before.contains(t))
                .map(Thread::getName)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static void bindAndRelease(int port) throws IOException {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getByName(SimTesting.LOOPBACK))) {
            assertThat(socket.getLocalPort()).isEqualTo(port);
        }
    }
}
