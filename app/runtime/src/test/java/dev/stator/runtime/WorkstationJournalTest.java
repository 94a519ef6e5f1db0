package dev.stator.runtime;

import dev.stator.driver.api.DeviceStatus;
import dev.stator.historian.HistoryReader;
import dev.stator.historian.Historian;
import dev.stator.historian.JournalEntry;
import dev.stator.historian.JournalKind;
import dev.stator.historian.JournalQuery;
import dev.stator.runtime.project.Project;
import dev.stator.runtime.project.ProjectLoader;
import dev.stator.simulator.PlantSimulator;
import dev.stator.testsupport.FaultProxy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The journals a running workstation keeps: a device losing its link and getting it back (through a fault proxy in
 * front of the simulator), the workstation starting and stopping, and operator actions.
 */
class WorkstationJournalTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path data;

    @TempDir
    Path projectDir;

    @Test
    void deviceDownAndUpStartStopAndOperatorActionsAreJournaled() throws Exception {
        int simulatorPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            simulatorPort = s.getLocalPort();
        }
        try (PlantSimulator simulator = PlantSimulator.builder().bindAddress(InetAddress.getLoopbackAddress())
                .modbusPort(simulatorPort).build()) {
            simulator.start();
            try (FaultProxy proxy = FaultProxy.start(new InetSocketAddress("127.0.0.1", simulatorPort))) {
                Files.writeString(projectDir.resolve("project.yaml"), """
                        format: 1
                        id: journal-station
                        name: Journal station
                        scan-groups:
                          - name: fast
                            rate: 200ms
                        endpoints:
                          - name: link
                            driver: modbus-tcp
                            host: 127.0.0.1
                            port: %d
                            timeout: 500ms
                            reconnect-delay: 200ms
                            reconnect-max: 200ms
                        devices:
                          - name: plc-7
                            endpoint: link
                            unit-id: 1
                        tags:
                          - name: LT-101
                            device: plc-7
                            address: ir:0:float32
                          - name: LIC-101.SP
                            device: plc-7
                            address: hr:0:float32
                            writable: true
                        """.formatted(proxy.port()));
                Project project = new ProjectLoader(ProjectLoaderTest.DRIVERS).load(projectDir);
                try (Workstation w = Workstation.start(project, data, ProjectLoaderTest.DRIVERS, Clock.systemUTC())) {
                    assertThat(eventually(() -> state(w) == DeviceStatus.LinkState.CONNECTED)).isTrue();
                    assertThat(eventually(() -> journal(w, "device-up").size() == 1)).isTrue();

                    // The PLC goes away: connections are refused and the open one is reset.
                    proxy.refuseConnections(true);
                    proxy.resetConnections();
                    assertThat(eventually(() -> journal(w, "device-down").size() == 1))
                            .as("device-down in %s", journal(w, null)).isTrue();
                    JournalEntry down = journal(w, "device-down").get(0);
                    assertThat(down.kind()).isEqualTo(JournalKind.SYSTEM);
                    assertThat(down.source()).isEqualTo("plc-7");
                    assertThat(down.message()).contains("plc-7").contains("is down: ");
                    assertThat(down.oldValue()).isEqualTo("up");
                    assertThat(down.newValue()).isEqualTo("down");

                    proxy.refuseConnections(false);
                    assertThat(eventually(() -> journal(w, "device-up").size() == 2)).isTrue();
                    assertThat(journal(w, "device-up").get(1).time()).isAfter(down.time());

                    w.setDeviceEnabled("plc-7", false, "maria");
                    w.setDeviceEnabled("plc-7", true);
                    w.setTagEnabled("LT-101", false, "jan");
                    w.write("LIC-101.SP", 2.5, "maria").get(10, TimeUnit.SECONDS);
                    assertThat(w.historian().flush(WAIT)).isTrue();

                    List<JournalEntry> actions = w.journal(JournalQuery.all().withKinds(JournalKind.OPERATOR));
                    assertThat(actions).extracting(JournalEntry::action, JournalEntry::source, JournalEntry::user)
                            .containsExactly(
                                    org.assertj.core.groups.Tuple.tuple("out-of-service", "plc-7", "maria"),
                                    org.assertj.core.groups.Tuple.tuple("in-service", "plc-7",
                                            Workstation.defaultUser()),
                                    org.assertj.core.groups.Tuple.tuple("out-of-service", "LT-101", "jan"),
                                    org.assertj.core.groups.Tuple.tuple("write", "LIC-101.SP", "maria"));
                    JournalEntry write = actions.get(3);
                    assertThat(write.newValue()).isEqualTo("2.5");
                    assertThat(write.message()).startsWith("wrote 2.5; read back 2.5 (Good");
                }
                try (HistoryReader reader = Historian.openForReading(
                        DataDirectory.historyDatabase(data, "journal-station"))) {
                    List<JournalEntry> system = reader.journal(JournalQuery.all().withSource("workstation"));
                    assertThat(system).extracting(JournalEntry::action).containsExactly("start", "stop");
                    assertThat(system.get(0).message()).contains("Journal station");
                }
            }
        }
    }

    private static DeviceStatus.LinkState state(Workstation w) {
        return w.deviceStatus().get(0).state();
    }

    private static List<JournalEntry> journal(Workstation w, String action) {
        try {
            w.historian().flush(WAIT);
            return w.journal(JournalQuery.all().withKinds(JournalKind.SYSTEM)).stream()
                    .filter(e -> action == null || e.action().equals(action)).toList();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean eventually(BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - end >= 0) {
                return false;
            }
            Thread.sleep(50);
        }
        return true;
    }
}
