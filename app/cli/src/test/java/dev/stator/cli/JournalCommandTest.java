package dev.stator.cli;

import dev.stator.historian.Historian;
import dev.stator.historian.JournalEntry;
import dev.stator.historian.JournalKind;
import dev.stator.runtime.DataDirectory;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.StringReader;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code stator history journal} while a workstation holds the history and records into it. */
class JournalCommandTest {

    private static final Instant T0 = Instant.parse("2026-11-25T12:00:00Z");

    @TempDir
    Path data;

    @TempDir
    Path projectDir;

    private String[] args(String... more) {
        String[] base = {"history", "journal", "--project", projectDir.toString(), "--data", data.toString(),
            "--from", "2026-11-25T11:00:00Z", "--to", "2026-11-25T13:00:00Z"};
        String[] all = new String[base.length + more.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }

    @Test
    void printsTheEntriesOfARangeAsLinesOrCsvWithFiltersWhileTheHistoryIsHeld() throws Exception {
        EndToEndTest.writeProject(projectDir, 1502);
        List<JournalEntry> entries = List.of(
                new JournalEntry(T0.plusMillis(1_500).plusNanos(250_000), JournalKind.SYSTEM, "plc", "",
                        "device-down", "device 'plc' is down: connection refused", "up", "down"),
                new JournalEntry(T0.plusSeconds(2), JournalKind.OPERATOR, "P-101", "maria", "out-of-service",
                        "tag 'P-101' taken out of service", null, "disabled"),
                new JournalEntry(T0.plusSeconds(3), JournalKind.OPERATOR, "LIC-101.SP", "jan", "write",
                        "wrote 2.5; read back 2.5 (Good), \"checked\"", "2", "2.5"),
                new JournalEntry(T0.plusSeconds(4), JournalKind.ALARM, "P-102", "", "active", "Pump P-102 tripped"),
                // Outside the range.
                new JournalEntry(T0.plus(Duration.ofHours(2)), JournalKind.SYSTEM, "workstation", "", "stop", "x"));
        try (Historian historian = Historian.open(DataDirectory.historyDatabase(data, "e2e"))) {
            entries.forEach(historian::journal);
            assertThat(historian.flush(Duration.ofSeconds(30))).isTrue();

            CliRun all = CliRun.of(args());
            assertThat(all.exitCode()).as(all.err()).isZero();
            List<String> lines = all.out().lines().toList();
            assertThat(lines).hasSize(4);
            String expectedFirst = JournalCommand.line(entries.get(0), ZoneId.systemDefault()).strip();
            assertThat(lines.get(0)).isEqualTo(expectedFirst);
            assertThat(lines.get(0)).contains("system").contains("plc  device-down  -  device 'plc' is down")
                    .endsWith("(up -> down)");
            assertThat(lines.get(2)).contains("operator").contains("LIC-101.SP  write  jan  wrote 2.5")
                    .endsWith("(2 -> 2.5)");

            CliRun csv = CliRun.of(args("--csv"));
            assertThat(csv.exitCode()).as(csv.err()).isZero();
            List<CSVRecord> records = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get()
                    .parse(new StringReader(csv.out())).getRecords();
            assertThat(csv.out()).startsWith("time,kind,source,user,action,message,old,new\n");
            assertThat(records).hasSize(4);
            assertThat(records.get(0).get("time")).isEqualTo("2026-11-25T12:00:01.500250Z");
            assertThat(records.get(0).get("kind")).isEqualTo("system");
            assertThat(records.get(1).get("old")).isEmpty();
            assertThat(records.get(2).get("message")).isEqualTo("wrote 2.5; read back 2.5 (Good), \"checked\"");
            assertThat(records.get(2).get("user")).isEqualTo("jan");
            assertThat(records.get(2).get("new")).isEqualTo("2.5");

            assertThat(sources(CliRun.of(args("--kind", "operator", "--csv")))).containsExactly("P-101",
                    "LIC-101.SP");
            assertThat(sources(CliRun.of(args("--kind", "ALARM", "--kind", "system", "--csv"))))
                    .containsExactly("plc", "P-102");
            assertThat(sources(CliRun.of(args("--source", "P-10*", "--csv")))).containsExactly("P-101", "P-102");
            assertThat(sources(CliRun.of(args("--user", "maria", "--csv")))).containsExactly("P-101");
            assertThat(sources(CliRun.of(args("--text", "TRIPPED", "--csv")))).containsExactly("P-102");
            assertThat(sources(CliRun.of(args("--limit", "2", "--csv")))).containsExactly("plc", "P-101");
            assertThat(sources(CliRun.of(args("--kind", "operator", "--source", "P-*", "--csv"))))
                    .containsExactly("P-101");
        }
    }

    private static List<String> sources(CliRun run) throws Exception {
        assertThat(run.exitCode()).as(run.err()).isZero();
        return CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(new StringReader(run.out())).getRecords().stream().map(r -> r.get("source")).toList();
    }

    @Test
    void badInputNamesWhatIsWrong() throws Exception {
        EndToEndTest.writeProject(projectDir, 1502);
        CliRun kind = CliRun.of(args("--kind", "alarms"));
        assertThat(kind.exitCode()).isEqualTo(CliException.BAD_INPUT);
        assertThat(kind.err().strip())
                .isEqualTo("stator: --kind: unknown journal kind 'alarms' (known: alarm, operator, system)");
        CliRun limit = CliRun.of(args("--limit", "0"));
        assertThat(limit.exitCode()).isEqualTo(CliException.BAD_INPUT);
        assertThat(limit.err().strip()).isEqualTo("stator: --limit must be at least 1, not 0");
        CliRun none = CliRun.of(args());
        assertThat(none.exitCode()).isEqualTo(CliException.FAILURE);
        assertThat(none.err()).contains("no history of project 'e2e'");
    }
}
