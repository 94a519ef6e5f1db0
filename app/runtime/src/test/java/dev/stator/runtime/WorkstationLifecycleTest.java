package dev.stator.runtime;

import dev.stator.driver.api.TagValue;
import dev.stator.runtime.project.Project;
import dev.stator.runtime.project.ProjectException;
import dev.stator.runtime.project.ProjectLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WorkstationLifecycleTest {

    @TempDir
    Path data;

    @TempDir
    Path projectDir;

    @Test
    void startAndStopTwiceLeavesNoThreadOrSocketBehind() throws Exception {
        Project demo = new ProjectLoader(ProjectLoaderTest.DRIVERS).load(ProjectLoaderTest.DEMO);
        // Load classes and JVM-wide helpers once, so the baseline holds them.
        runOnce(demo);
        Set<String> baselineThreads = ResourceProbe.threads();
        long baselineSockets = ResourceProbe.sockets();

        for (int round = 1; round <= 2; round++) {
            runOnce(demo);
            assertThat(ResourceProbe.extraThreadsAfter(baselineThreads, 5_000))
                    .as("threads left after stop #%d", round).isEmpty();
            if (baselineSockets >= 0) {
                assertThat(ResourceProbe.socketsAfter(baselineSockets, 5_000))
                        .as("sockets open after stop #%d", round).isLessThanOrEqualTo(baselineSockets);
            }
        }
    }

    private void runOnce(Project demo) throws Exception {
        try (Workstation w = Workstation.start(demo, data, ProjectLoaderTest.DRIVERS, Clock.systemUTC())) {
            long deadline = System.currentTimeMillis() + 10_000;
            while (!w.value("LT-101").hasValue() && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
            TagValue level = w.value("LT-101");
            assertThat(level.hasValue()).as("level read from the built-in simulator: %s", level).isTrue();
            assertThat(level.quality().isGood()).isTrue();
            assertThat(ResourceProbe.threads()).anyMatch(t -> t.startsWith("stator-modbus-station-link#"));
        }
    }

    @Test
    void aConfigurationErrorStartsNothing() throws Exception {
        Files.writeString(projectDir.resolve("project.yaml"), ProjectLoaderTest.minimal("""
                tags:
                  - name: LT-101
                    device: plc
                    address: ir:0:float32
                """).replace("    port: 1502\n", "    port: 1502\n    prot: 1503\n"));
        Project project = new ProjectLoader(ProjectLoaderTest.DRIVERS).load(projectDir);
        Set<String> before = ResourceProbe.threads();
        assertThatThrownBy(() -> Workstation.start(project, data, ProjectLoaderTest.DRIVERS, Clock.systemUTC()))
                .isInstanceOf(ProjectException.class)
                .hasMessage(projectDir.resolve("project.yaml") + " line 11: endpoint 'link': unknown option 'prot' "
                        + "(known: host, port, reconnect-delay, reconnect-max, timeout)");
        assertThat(ResourceProbe.extraThreadsAfter(before, 1_000)).isEmpty();
        assertThat(Files.exists(DataDirectory.historyDatabase(data, "test-station").resolveSibling(
                "test-station.mv.db"))).as("no history database was created").isFalse();
    }

    @Test
    void eachTagsHistoryIsKeptAsTheProjectSays() throws Exception {
        // The same constant register twice: every reading kept for one, only changes for the other.
        Files.writeString(projectDir.resolve("project.yaml"), """
                format: 1
                name: History station
                simulator: {time-scale: 1}
                scan-groups:
                  - {name: fast, rate: 100ms}
                endpoints:
                  - {name: link, driver: modbus-tcp, host: simulator}
                devices:
                  - {name: plc, endpoint: link}
                tags:
                  - {name: STARTS-ALL, device: plc, address: "ir:26:uint16"}
                  - {name: STARTS-CHANGES, device: plc, address: "ir:26:uint16", history: on-change}
                """);
        Project project = new ProjectLoader(ProjectLoaderTest.DRIVERS).load(projectDir);
        try (Workstation w = Workstation.start(project, data, ProjectLoaderTest.DRIVERS, Clock.systemUTC())) {
            long deadline = System.currentTimeMillis() + 10_000;
            while (w.historian().query("STARTS-ALL", java.time.Instant.MIN, java.time.Instant.MAX).size() < 10
                    && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
            assertThat(w.historian().flush(java.time.Duration.ofSeconds(10))).isTrue();
            java.util.List<TagValue> all = w.historian().query("STARTS-ALL", java.time.Instant.MIN,
                    java.time.Instant.MAX);
            java.util.List<TagValue> changes = w.historian().query("STARTS-CHANGES", java.time.Instant.MIN,
                    java.time.Instant.MAX);
            assertThat(all).hasSizeGreaterThanOrEqualTo(10).allMatch(v -> v.quality().isGood());
            assertThat(all.stream().map(TagValue::value).distinct()).hasSize(1);
            assertThat(changes).as("a constant value read %d times", all.size()).hasSize(1);
            assertThat(changes.get(0).value()).isEqualTo(all.get(0).value());
        }
    }

    @Test
    void historyAtRiskIsJournaledAsASystemEvent() throws Exception {
        // A floor of free disk space no disk has: the history reports the disk as low at once.
        Files.writeString(projectDir.resolve("project.yaml"), """
                format: 1
                name: Full disk station
                simulator: {time-scale: 1}
                history: {disk-space-floor: 1000000TB, journal-retention: 10y}
                scan-groups:
                  - {name: fast, rate: 100ms}
                endpoints:
                  - {name: link, driver: modbus-tcp, host: simulator}
                devices:
                  - {name: plc, endpoint: link}
                tags:
                  - {name: LT-101, device: plc, address: "ir:0:float32"}
                """);
        Project project = new ProjectLoader(ProjectLoaderTest.DRIVERS).load(projectDir);
        assertThat(project.history().journalRetention()).isEqualTo(java.time.Duration.ofDays(3650));
        try (Workstation w = Workstation.start(project, data, ProjectLoaderTest.DRIVERS, Clock.systemUTC())) {
            dev.stator.historian.JournalQuery query = dev.stator.historian.JournalQuery.all()
                    .withSource(Workstation.HISTORY_SOURCE);
            long deadline = System.currentTimeMillis() + 10_000;
            while (w.journal(query).isEmpty() && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
            assertThat(w.journal(query)).hasSize(1).first().satisfies(e -> {
                assertThat(e.kind()).isEqualTo(dev.stator.historian.JournalKind.SYSTEM);
                assertThat(e.action()).isEqualTo("disk-space-low");
                assertThat(e.message()).startsWith("free disk space for history is below the floor: ");
            });
        }
    }
}
