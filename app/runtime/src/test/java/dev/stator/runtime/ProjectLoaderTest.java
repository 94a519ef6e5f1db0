package dev.stator.runtime;

import dev.stator.driver.api.DataType;
import dev.stator.driver.api.DriverRegistry;
import dev.stator.historian.Interpolation;
import dev.stator.historian.TagHistorySettings;
import dev.stator.runtime.project.Project;
import dev.stator.runtime.project.ProjectException;
import dev.stator.runtime.project.ProjectLoader;
import dev.stator.runtime.project.TagSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class ProjectLoaderTest {

    static final DriverRegistry DRIVERS = DriverRegistry.load(ProjectLoaderTest.class.getClassLoader());
    static final Path DEMO = Path.of("..", "demo-project");

    @TempDir
    Path dir;

    private final ProjectLoader loader = new ProjectLoader(DRIVERS);

    static String minimal(String tagsAndMore) {
        return """
                format: 1
                name: Test station
                scan-groups:
                  - name: fast
                    rate: 250ms
                endpoints:
                  - name: link
                    driver: modbus-tcp
                    host: 127.0.0.1
                    port: 1502
                devices:
                  - name: plc
                    endpoint: link
                """ + tagsAndMore;
    }

    private Path write(String yaml) throws IOException {
        Files.writeString(dir.resolve("project.yaml"), yaml);
        return dir;
    }

    @Test
    void theDemoProjectLoads() throws ProjectException {
        Project p = loader.load(DEMO);
        assertThat(p.id()).isEqualTo("demo");
        assertThat(p.simulator()).isNotNull();
        assertThat(p.tags()).hasSizeGreaterThan(20);
        TagSpec level = p.tag("LT-101");
        assertThat(level.definition().units()).isEqualTo("m");
        assertThat(level.definition().range().high()).isEqualTo(4.0);
        assertThat(level.definition().dataType()).isEqualTo(DataType.FLOAT32);
        assertThat(p.scanGroup(level.scanGroup()).rate()).isEqualTo(Duration.ofMillis(500));
        assertThat(p.tag("LIC-101.SP").definition().writable()).isTrue();
    }

    @Test
    void aSyntaxErrorNamesFileAndLine() throws IOException {
        write(minimal("""
                tags:
                  - name: LT-101
                    device: plc
                    address: [ir:0:float32
                """));
        assertThatThrownBy(() -> loader.load(dir)).isInstanceOf(ProjectException.class)
                .hasMessageStartingWith(dir.resolve("project.yaml") + " line ")
                .hasMessageContaining("YAML syntax error");
    }

    @Test
    void aTagOnAnUnknownDeviceNamesFileLineAndTag() throws IOException {
        write(minimal("""
                tags:
                  - name: LT-101
                    device: plc
                    address: ir:0:float32
                  - name: TT-101
                    device: plc9
                    address: ir:2:float32
                """));
        assertThatThrownBy(() -> loader.load(dir)).isInstanceOf(ProjectException.class)
                .hasMessage(dir.resolve("project.yaml") + " line 19: tag 'TT-101': unknown device 'plc9' "
                        + "(known: plc)");
    }

    @Test
    void everyProblemIsReportedAtOnce() throws IOException {
        write(minimal("""
                tags:
                  - name: A
                    device: plc
                    address: ir:0:real
                    units: m
                  - name: A
                    device: plc
                    address: hr:1
                  - name: B
                    device: plc
                    address: ir:4
                    writable: true
                    scan-group: slow
                  - name: C
                    device: plc
                    adress: hr:9
                """));
        ProjectException e = org.junit.jupiter.api.Assertions.assertThrows(ProjectException.class,
                () -> loader.load(dir));
        String file = dir.resolve("project.yaml").toString();
        assertThat(e.problems()).containsExactly(
                file + " line 17: tag 'A': 'ir:0:real': unknown data type 'real' (known: bool, int16, uint16, "
                        + "int32, uint32, int64, float32, float64, string)",
                file + " line 19: tag 'A' is already defined at line 15",
                file + " line 26: tag 'B': unknown scan group 'slow' (known: fast)",
                file + " line 25: tag 'B': writable is true, but ir:4:uint16 cannot be written (Modbus writes "
                        + "coils and holding registers only)",
                file + " line 29: tag 'C': unknown key 'adress' (known: address, deadband, decimals, description, "
                        + "device, history, name, range, scaling, scan-group, units, writable)",
                file + " line 27: tag 'C': 'address' is required");
    }

    @Test
    void endpointsAndDevicesAreChecked() throws IOException {
        write("""
                format: 1
                endpoints:
                  - name: link
                    driver: modbus-rtu-over-pigeon
                  - name: sim
                    driver: modbus-tcp
                    host: simulator
                devices:
                  - name: plc
                    endpoint: nowhere
                """);
        ProjectException e = org.junit.jupiter.api.Assertions.assertThrows(ProjectException.class,
                () -> loader.load(dir));
        String file = dir.resolve("project.yaml").toString();
        assertThat(e.problems()).containsExactly(
                file + " line 4: endpoint 'link': unknown driver 'modbus-rtu-over-pigeon' (known: modbus-rtu, modbus-rtu-tcp, "
                        + "modbus-tcp, opcua)",
                file + " line 7: endpoint 'sim': host 'simulator' means the built-in simulator, but the project has "
                        + "no 'simulator:' section",
                file + " line 10: device 'plc': unknown endpoint 'nowhere' (known: sim)");
    }

    @Test
    void historySettingsAreReadForTheProjectAndEachTag() throws Exception {
        write(minimal("""
                tags:
                  - name: LT-1
                    device: plc
                    address: ir:0:float32
                    range: [0, 4]
                    history: {deadband: 0.5%, max-interval: 10m, retention: 90d}
                  - name: PT-1
                    device: plc
                    address: ir:2:float32
                    history: {mode: swinging-door, deviation: 0.02}
                  - name: RUN
                    device: plc
                    address: di:0
                    history: on-change
                  - name: FT-1
                    device: plc
                    address: ir:4:float32
                  - name: ALARM
                    device: plc
                    address: di:1
                history:
                  retention: 2y
                  journal-retention: forever
                  store-and-forward-cap: 256MiB
                  disk-space-floor: 2GB
                """));
        Project p = loader.load(dir);
        assertThat(p.history().retention()).isEqualTo(Duration.ofDays(730));
        assertThat(p.history().journalRetention()).as("journal kept forever").isNull();
        assertThat(p.history().storeAndForwardCap()).isEqualTo(256L << 20);
        assertThat(p.history().diskSpaceFloor()).isEqualTo(2_000_000_000L);
        TagHistorySettings level = p.tag("LT-1").history();
        assertThat(level.mode()).isEqualTo(TagHistorySettings.Mode.DEADBAND);
        assertThat(level.deadband().absolute(level.range())).isCloseTo(0.02, within(1e-12));
        assertThat(level.maxInterval()).isEqualTo(Duration.ofMinutes(10));
        assertThat(level.retention()).isEqualTo(Duration.ofDays(90));
        assertThat(level.interpolation()).isEqualTo(Interpolation.STEP);
        TagHistorySettings pressure = p.tag("PT-1").history();
        assertThat(pressure.mode()).isEqualTo(TagHistorySettings.Mode.SWINGING_DOOR);
        assertThat(pressure.interpolation()).isEqualTo(Interpolation.LINEAR);
        assertThat(p.tag("RUN").history().mode()).isEqualTo(TagHistorySettings.Mode.ON_CHANGE);
        // Without the key every reading is kept; booleans are read back as steps, numbers as lines.
        assertThat(p.tag("FT-1").history()).isEqualTo(TagHistorySettings.LOSSLESS);
        assertThat(p.tag("ALARM").history().mode()).isEqualTo(TagHistorySettings.Mode.LOSSLESS);
        assertThat(p.tag("ALARM").history().interpolation()).isEqualTo(Interpolation.STEP);

        write(minimal("""
                tags:
                  - name: A
                    device: plc
                    address: ir:0:float32
                    history: {deadband: 1%}
                  - name: B
                    device: plc
                    address: di:0
                    history: swinging-door
                  - name: C
                    device: plc
                    address: ir:2:float32
                    history: {mode: sometimes, retention: forever}
                history:
                  retention: 1 fortnight
                """));
        ProjectException e = org.junit.jupiter.api.Assertions.assertThrows(ProjectException.class,
                () -> loader.load(dir));
        assertThat(e.problems()).anySatisfy(m -> assertThat(m).contains("line 28: history: 'retention'")
                .contains("'1 fortnight' is not a duration"));
        assertThat(e.problems()).anySatisfy(m -> assertThat(m).contains("line 18: tag 'A': history:")
                .contains("a percent deadband is a percentage of the tag's range"));
        assertThat(e.problems()).anySatisfy(m -> assertThat(m).contains("line 22: tag 'B'")
                .contains("a bool tag cannot use the swinging-door history mode"));
        assertThat(e.problems()).anySatisfy(m -> assertThat(m).contains("line 26: tag 'C'")
                .contains("history mode 'sometimes' is not known"));
    }

    @Test
    void scalingIsReadInBothFormsAndCheckedLikeEverythingElse() throws Exception {
        write(minimal("""
                tags:
                  - name: TT-100
                    device: plc
                    address: ir:28:int16
                    scaling: {factor: 0.1, offset: -40}
                  - name: AI-1
                    device: plc
                    address: ir:0:int16
                    scaling: {raw: [0, 27648], eng: [0, 100], clamp: true}
                """));
        Project p = loader.load(dir);
        assertThat(p.tag("TT-100").scaling().toEngineering(215)).isCloseTo(-18.5, within(1e-9));
        assertThat(p.tag("AI-1").scaling().toEngineering(13824)).isCloseTo(50.0, within(1e-9));
        assertThat(p.tag("AI-1").scaling().toEngineering(30000)).isEqualTo(100.0);

        write(minimal("""
                tags:
                  - name: RUN
                    device: plc
                    address: coil:0
                    scaling: {factor: 2}
                  - name: X
                    device: plc
                    address: hr:0
                    scaling: {factor: 2, raw: [0, 1]}
                  - name: Y
                    device: plc
                    address: hr:1
                    scaling: {factor: 0}
                """));
        ProjectException e = org.junit.jupiter.api.Assertions.assertThrows(ProjectException.class,
                () -> loader.load(dir));
        assertThat(e.problems()).hasSize(3);
        assertThat(e.problems().get(0)).contains("line 18: tag 'RUN': a bool tag cannot be scaled");
        assertThat(e.problems().get(1)).contains("tag 'X': scaling is either raw");
        assertThat(e.problems().get(2)).contains("tag 'Y': scaling: scaling needs a finite, non-zero factor");
    }

    @Test
    void aNonCanonicalAddressLoadsWithAWarningShowingTheCanonicalForm() throws Exception {
        String yaml = minimal("""
                tags:
                  - name: A
                    device: plc
                    address: HR:4
                """);
        write(yaml);
        Project p = loader.load(dir);
        assertThat(p.tag("A").address().format()).isEqualTo("hr:4:uint16");
        assertThat(p.warnings()).containsExactly(dir.resolve("project.yaml")
                + " line 17: tag 'A': address 'HR:4' is written canonically as 'hr:4:uint16'");
        assertThat(java.nio.file.Files.readString(dir.resolve("project.yaml"))).as("the file is not rewritten")
                .isEqualTo(yaml);
    }

    @Test
    void aMissingFolderOrFileIsNamed() throws IOException {
        assertThatThrownBy(() -> loader.load(dir.resolve("nope"))).hasMessageContaining("does not exist");
        assertThatThrownBy(() -> loader.load(dir)).hasMessageContaining("project.yaml: not found");
        write("format: 2\n");
        assertThatThrownBy(() -> loader.load(dir)).hasMessageContaining("line 1: project format 2 is not known");
    }
}
