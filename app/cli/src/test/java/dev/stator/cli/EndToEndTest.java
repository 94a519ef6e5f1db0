package dev.stator.cli;

import dev.stator.simulator.InitialState;
import dev.stator.simulator.PlantParameters;
import dev.stator.simulator.PlantSimulator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The whole path: a plant simulator polled over Modbus TCP by a headless run, every reading recorded in the
 * historian, and the history printed by the export command, following the physics of the plant.
 */
class EndToEndTest {

    private static final double TIME_SCALE = 20;
    private static final double VALVE_PERCENT = 50;

    @TempDir
    Path data;

    @TempDir
    Path projectDir;

    private PlantSimulator simulator;

    @AfterEach
    void stop() {
        if (simulator != null) {
            simulator.close();
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    static void writeProject(Path dir, int port) throws IOException {
        Files.writeString(dir.resolve("project.yaml"), """
                format: 1
                id: e2e
                name: End-to-end station
                scan-groups:
                  - name: fast
                    rate: 200ms
                endpoints:
                  - name: link
                    driver: modbus-tcp
                    host: 127.0.0.1
                    port: %d
                devices:
                  - name: plc
                    endpoint: link
                tags:
                  - name: LT-101
                    description: Wet well level
                    device: plc
                    address: ir:0:float32
                    units: m
                    range: [0, 4]
                  - name: FT-101
                    description: Inflow
                    device: plc
                    address: ir:2:float32
                    units: m³/h
                  - name: P-101.RUNNING
                    device: plc
                    address: di:0
                """.formatted(port));
    }

    @Test
    void withBothPumpsStoppedTheHistoryShowsTheLevelRisingAtTheMassBalanceRate() throws Exception {
        int port = freePort();
        simulator = PlantSimulator.builder().bindAddress(InetAddress.getLoopbackAddress()).modbusPort(port)
                .timeScale(TIME_SCALE)
                .initialState(InitialState.DEFAULT.withLevel(1.0).withPumps(false, false)
                        .withController(false, VALVE_PERCENT).withValvePosition(VALVE_PERCENT))
                .build();
        simulator.start();
        writeProject(projectDir, port);

        CliRun run = CliRun.of("run", "--headless", "--duration", "4s", "--project", projectDir.toString(),
                "--data", data.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("running headless").contains("samples recorded");

        CliRun export = CliRun.of("history", "export", "--tag", "LT-101", "--from", "-10m", "--project",
                projectDir.toString(), "--data", data.toString());
        assertThat(export.exitCode()).as(export.err()).isZero();
        List<String> lines = export.out().lines().toList();
        assertThat(lines.get(0)).isEqualTo("time,value,quality");
        List<double[]> points = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",");
            assertThat(f[2]).as(line).isEqualTo("Good");
            points.add(new double[] {Instant.parse(f[0]).toEpochMilli() / 1000.0, Double.parseDouble(f[1])});
        }
        // 4 s at 200 ms: about 20 readings; allow for connecting and scheduling.
        assertThat(points).hasSizeGreaterThanOrEqualTo(12);

        // Mass balance: dL/dt = Qin / 3600 / area, with Qin = valve fraction x the valve's full flow, in simulated
        // seconds; the simulator runs TIME_SCALE simulated seconds per real second.
        PlantParameters p = PlantParameters.DEFAULTS;
        double expected = p.valveMaxFlow() * VALVE_PERCENT / 100 / 3600 / p.tankArea() * TIME_SCALE;
        assertThat(slope(points)).isCloseTo(expected, within(expected * 0.10));
        assertThat(points.get(points.size() - 1)[1]).isGreaterThan(points.get(0)[1]);

        CliRun inflow = CliRun.of("history", "export", "--tag", "FT-101", "--from", "-10m", "--project",
                projectDir.toString(), "--data", data.toString());
        String last = inflow.out().lines().reduce((a, b) -> b).orElseThrow();
        assertThat(Double.parseDouble(last.split(",")[1]))
                .isCloseTo(p.valveMaxFlow() * VALVE_PERCENT / 100, within(1.5));
    }

    /** Least-squares slope of value over time. */
    static double slope(List<double[]> points) {
        double n = points.size();
        double t0 = points.get(0)[0];
        double st = 0;
        double sv = 0;
        double stt = 0;
        double stv = 0;
        for (double[] p : points) {
            double t = p[0] - t0;
            st += t;
            sv += p[1];
            stt += t * t;
            stv += t * p[1];
        }
        return (n * stv - st * sv) / (n * stt - st * st);
    }

    @Test
    void badInputGivesOneLineNamingTheProblemAndANonZeroExit() throws IOException {
        CliRun missing = CliRun.of("run", "--headless", "--project", projectDir.resolve("nope").toString(),
                "--data", data.toString());
        assertThat(missing.exitCode()).isEqualTo(CliException.BAD_INPUT);
        assertThat(missing.err().strip()).startsWith("stator: project folder '").contains("does not exist")
                .doesNotContain("\n");

        Files.writeString(projectDir.resolve("project.yaml"), "format: 1\ntags:\n  - name: [oops\n");
        CliRun syntax = CliRun.of("run", "--headless", "--project", projectDir.toString(), "--data",
                data.toString());
        assertThat(syntax.exitCode()).isEqualTo(CliException.BAD_INPUT);
        assertThat(syntax.err()).startsWith("stator: " + projectDir.resolve("project.yaml") + " line ");

        writeProject(projectDir, 1502);
        CliRun unknownTag = CliRun.of("history", "export", "--tag", "NOPE", "--project", projectDir.toString(),
                "--data", data.toString());
        assertThat(unknownTag.exitCode()).isEqualTo(CliException.BAD_INPUT);
        assertThat(unknownTag.err().strip()).isEqualTo("stator: unknown tag 'NOPE': not in project 'e2e'");

        CliRun badTime = CliRun.of("history", "export", "--tag", "LT-101", "--from", "yesterday-ish",
                "--project", projectDir.toString(), "--data", data.toString());
        assertThat(badTime.exitCode()).isEqualTo(CliException.BAD_INPUT);
        assertThat(badTime.err()).contains("'yesterday-ish' is not a time");
    }
}
