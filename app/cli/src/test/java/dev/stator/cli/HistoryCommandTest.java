package dev.stator.cli;

import dev.stator.driver.api.Quality;
import dev.stator.driver.api.TagValue;
import dev.stator.historian.Historian;
import dev.stator.runtime.DataDirectory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.zip.ZipFile;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code stator history export | import | backup} on a history written beforehand, no plant needed. */
class HistoryCommandTest {

    private static final Instant T0 = Instant.parse("2026-11-25T12:00:00Z");
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path data;

    @TempDir
    Path projectDir;

    @TempDir
    Path work;

    @BeforeEach
    void recordHistory() throws Exception {
        EndToEndTest.writeProject(projectDir, 1502);
        try (Historian h = Historian.open(DataDirectory.historyDatabase(data, "e2e"))) {
            for (int i = 0; i < 120; i++) {
                h.record("LT-101", TagValue.good(1.0 + i / 4.0, T0.plusSeconds(i)));
                h.record("FT-101", TagValue.good((long) i, T0.plusSeconds(i).plusMillis(500)));
            }
            h.record("FT-101", TagValue.bad(Quality.BAD_TIMEOUT, T0.plusSeconds(200), "no answer"));
            assertThat(h.flush(WAIT)).isTrue();
        }
    }

    private CliRun run(String... args) {
        String[] all = new String[args.length + 4];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--project";
        all[args.length + 1] = projectDir.toString();
        all[args.length + 2] = "--data";
        all[args.length + 3] = data.toString();
        return CliRun.of(all);
    }

    @Test
    void oneTagTheOldWayKeepsTheSingleTagLayout() {
        CliRun export = run("history", "export", "--tag", "LT-101", "--from", "2026-11-25T12:00:00Z", "--to",
                "2026-11-25T12:00:02Z");

        assertThat(export.exitCode()).as(export.err()).isZero();
        assertThat(export.out()).isEqualTo("time,value,quality\n"
                + "2026-11-25T12:00:00.000Z,1,Good\n"
                + "2026-11-25T12:00:01.000Z,1.25,Good\n");
    }

    @Test
    void manyTagsByGlobOrListInEachMode() throws Exception {
        CliRun raw = run("history", "export", "--tag", "*T-101", "--from", "2026-11-25T12:00:00Z", "--to",
                "2026-11-25T12:00:01Z");
        assertThat(raw.exitCode()).as(raw.err()).isZero();
        assertThat(raw.out()).isEqualTo("""
                time,tag,value,quality
                2026-11-25T12:00:00.000Z,LT-101,1.0,Good
                2026-11-25T12:00:00.500Z,FT-101,0,Good
                """);

        Path file = work.resolve("out/binned.csv");
        CliRun binned = run("history", "export", "--tags", "LT-101,FT-101", "--mode", "binned", "--step", "1m",
                "--separator", ";", "--decimal", ",", "--zone", "Europe/Berlin", "--from", "2026-11-25T12:00:00Z",
                "--to", "2026-11-25T12:02:00Z", "--output", file.toString());
        assertThat(binned.exitCode()).as(binned.err()).isZero();
        assertThat(binned.out()).isEmpty();
        assertThat(binned.err()).contains("4 rows written to " + file);
        assertThat(Files.readString(file)).isEqualTo("""
                start;tag;count;min;max;avg;first;last
                2026-11-25T13:00:00.000+01:00;LT-101;60;1,0;15,75;8,375;1,0;15,75
                2026-11-25T13:00:00.000+01:00;FT-101;60;0,0;59,0;29,5;0,0;59,0
                2026-11-25T13:01:00.000+01:00;LT-101;60;16,0;30,75;23,375;16,0;30,75
                2026-11-25T13:01:00.000+01:00;FT-101;60;60,0;119,0;89,5;60,0;119,0
                """);
        assertThat(Files.list(file.getParent())).containsExactly(file);

        // A start between steps is moved back to a whole step: the rows start at 12:00:00, not 12:00:20.
        CliRun wide = run("history", "export", "--tag", "LT-101", "--tag", "FT-101", "--mode", "interpolated",
                "--step", "30s", "--interpolation", "step", "--from", "2026-11-25T12:00:20Z", "--to",
                "2026-11-25T12:01:00Z");
        assertThat(wide.exitCode()).as(wide.err()).isZero();
        assertThat(wide.out()).isEqualTo("""
                time,LT-101,FT-101
                2026-11-25T12:00:00.000Z,1.0,
                2026-11-25T12:00:30.000Z,8.5,29.0
                """);
    }

    @Test
    void badOptionsAreOneLineAndExitTwo() {
        CliRun comma = run("history", "export", "--tag", "LT-101", "--decimal", ",");
        assertThat(comma.exitCode()).isEqualTo(CliException.BAD_INPUT);
        assertThat(comma.err().strip()).startsWith("stator: --separator , --decimal ,: a decimal comma needs"
                + " another separator than the comma").doesNotContain("\n");

        CliRun noStep = run("history", "export", "--tag", "LT-101", "--mode", "binned");
        assertThat(noStep.exitCode()).isEqualTo(CliException.BAD_INPUT);
        assertThat(noStep.err().strip()).isEqualTo("stator: --mode binned needs --step, e.g. --step 1m");

        CliRun noMatch = run("history", "export", "--tag", "XX-*");
        assertThat(noMatch.exitCode()).isEqualTo(CliException.BAD_INPUT);
        assertThat(noMatch.err()).contains("no tag with history matches 'XX-*'");
    }

    @Test
    void anExportImportedIntoAnotherDataFolderExportsTheSame() throws Exception {
        Path csv = work.resolve("all.csv");
        String[] range = {"--from", "2026-11-25T11:00:00Z", "--to", "2026-11-25T13:00:00Z"};
        CliRun export = run(concat(new String[] {"history", "export", "--tag", "*", "--output", csv.toString()},
                range));
        assertThat(export.exitCode()).as(export.err()).isZero();

        Path other = work.resolve("other-data");
        CliRun imported = CliRun.of("history", "import", csv.toString(), "--project", projectDir.toString(),
                "--data", other.toString());
        assertThat(imported.exitCode()).as(imported.err()).isZero();
        assertThat(imported.out()).startsWith("imported 241 samples of 2 tags from " + csv);

        CliRun again = CliRun.of(concat(new String[] {"history", "export", "--tag", "*", "--project",
                projectDir.toString(), "--data", other.toString()}, range));
        assertThat(again.exitCode()).as(again.err()).isZero();
        assertThat(again.out()).isEqualTo(Files.readString(csv));
    }

    @Test
    void aBadLineIsNamedAndABusyDatabaseIsInUse() throws Exception {
        Path csv = work.resolve("bad.csv");
        Files.writeString(csv, "time,tag,value\n2026-11-25T12:00:00Z,LT-101,1\n2026-11-25T12:00:01Z,LT-101\n");
        CliRun bad = run("history", "import", csv.toString());
        assertThat(bad.exitCode()).isEqualTo(CliException.BAD_INPUT);
        assertThat(bad.err().strip()).isEqualTo("stator: " + csv + " line 3: 2 fields, the header has 3"
                + " (time,tag,value); fix that line, or quote a value that holds the separator ','; nothing was"
                + " imported");

        Files.writeString(csv, "time,tag,value\n2026-11-25T12:00:00Z,LT-101,1\n");
        try (Historian running = Historian.open(DataDirectory.historyDatabase(data, "e2e"))) {
            CliRun busy = run("history", "import", csv.toString());
            assertThat(busy.exitCode()).isEqualTo(CliException.FAILURE);
            assertThat(busy.err().strip()).endsWith("is in use (a running workstation or an export): stop the"
                    + " workstation, then import again");
            assertThat(running.query("LT-101", T0, T0.plusSeconds(1))).hasSize(1);
        }
    }

    @Test
    void aBackupIsTakenWhileTheHistoryIsOpenAndSaysWhereItWent() throws Exception {
        Path zip = work.resolve("backups/history.zip");
        try (Historian running = Historian.open(DataDirectory.historyDatabase(data, "e2e"))) {
            running.record("LT-101", TagValue.good(9.0, T0.plusSeconds(500)));
            assertThat(running.flush(WAIT)).isTrue();

            CliRun backup = run("history", "backup", "--to", zip.toString());

            assertThat(backup.exitCode()).as(backup.err()).isZero();
            assertThat(backup.out().strip()).matches("history of project 'e2e' backed up to "
                    + java.util.regex.Pattern.quote(zip.toString()) + " \\([0-9,]+ bytes\\)");
        }
        try (ZipFile z = new ZipFile(zip.toFile())) {
            assertThat(z.stream().map(e -> e.getName())).contains("e2e.mv.db");
        }
    }

    private static String[] concat(String[] a, String[] b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
