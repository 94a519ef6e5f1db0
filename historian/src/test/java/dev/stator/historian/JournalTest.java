package dev.stator.historian;

import static dev.stator.historian.TestSupport.T0;
import static dev.stator.historian.TestSupport.WAIT;
import static dev.stator.historian.TestSupport.at;
import static dev.stator.historian.TestSupport.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stator.driver.api.TagValue;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The journals: alarm events, operator actions and system events kept beside the samples. */
class JournalTest {

    @TempDir
    Path dir;

    private static final List<JournalEntry> ENTRIES = List.of(
            new JournalEntry(at(5), JournalKind.SYSTEM, "workstation", "", "start", "Stator started"),
            // Recorded out of time order: queries return time order.
            new JournalEntry(at(1).plusNanos(123_456_789), JournalKind.OPERATOR, "FIC-101.SP", "maria", "write",
                    "setpoint written; read back 42.5 (Good)", "40", "42.5"),
            new JournalEntry(at(3), JournalKind.ALARM, "TT-101", "", "active", "High temperature: 87.5 °C"),
            // Equal times: the order in which they were recorded.
            new JournalEntry(at(3), JournalKind.ALARM, "TT-101", "", "cleared", "back to normal"),
            new JournalEntry(at(3), JournalKind.OPERATOR, "TT-101", "jan", "ack", "acknowledged"),
            new JournalEntry(at(4), JournalKind.OPERATOR, "plc-1", "jan", "out-of-service",
                    "ünïcödé 𝄞, \"quotes\", commas, and a\nsecond line", null, "disabled"),
            new JournalEntry(at(2), JournalKind.SYSTEM, "plc-1", "", "device-down",
                    "127.0.0.1:502 unit 1: connection refused", "CONNECTED", "DISCONNECTED"));

    private static List<JournalEntry> inTimeOrder(List<JournalEntry> entries) {
        List<JournalEntry> sorted = new ArrayList<>(entries);
        // A stable sort: equal times keep the order they were recorded in.
        sorted.sort((a, b) -> a.time().compareTo(b.time()));
        return sorted;
    }

    @Test
    void entriesComeBackWithEveryFieldInTimeOrderInThisProcessAnotherAndAfterReopening() throws Exception {
        Path db = dir.resolve("history");
        List<JournalEntry> expected = inTimeOrder(ENTRIES);
        assertThat(expected.get(0).time()).isEqualTo(at(1).plusNanos(123_456_000));
        try (Historian historian = Historian.open(db)) {
            ENTRIES.forEach(historian::journal);
            // Seen without a flush within about half a second (generous here: the machine is shared).
            long start = System.nanoTime();
            assertThat(eventually(WAIT, () -> count(historian) == ENTRIES.size())).isTrue();
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertThat(millis).as("visible after %d ms", millis).isLessThan(5_000);
            assertThat(historian.journal(JournalQuery.all())).containsExactlyElementsOf(expected);
            assertThat(historian.writtenJournalEntries()).isEqualTo(ENTRIES.size());

            // Another process reads through the workstation's server while it writes.
            try (HistoryReader reader = Historian.openForReading(db)) {
                assertThat(reader.journal(JournalQuery.all())).containsExactlyElementsOf(expected);
                JournalEntry late = JournalEntry.system("historian", "stop", "closing");
                historian.journal(late);
                assertThat(historian.flush(WAIT)).isTrue();
                assertThat(reader.journal(JournalQuery.all().withSource("historian"))).containsExactly(late);
            }
            assertThat(historian.health().droppedJournalEntries()).isZero();
        }
        try (Historian historian = Historian.open(db)) {
            assertThat(historian.journal(JournalQuery.all().withSource("historian").withKinds(JournalKind.SYSTEM)))
                    .hasSize(1);
            assertThat(historian.journal(JournalQuery.between(Instant.MIN, at(100))))
                    .containsExactlyElementsOf(expected);
        }
        try (HistoryReader reader = Historian.openForReading(db)) {
            assertThat(reader.journal(JournalQuery.between(Instant.MIN, at(100))))
                    .containsExactlyElementsOf(expected);
        }
    }

    private static int count(Historian historian) {
        try {
            return historian.journal(JournalQuery.all()).size();
        } catch (HistoryException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void filtersSelectByTimeKindSourceUserAndTextAloneAndTogether() throws Exception {
        Random random = new Random(18);
        String[] sources = {"P-101", "P-102", "P-1", "P-201", "TT-101", "plc_1", "plc%2", "FIC-101.SP"};
        String[] users = {"", "maria", "jan", "Maria"};
        String[] messages = {"Pump started", "pump STOPPED", "High level", "level LOW", "100% open", "a_b", ""};
        String[] actions = {"write", "ack", "active", "cleared", "device-down"};
        List<JournalEntry> all = new ArrayList<>();
        try (Historian historian = Historian.open(dir.resolve("history"))) {
            for (int i = 0; i < 400; i++) {
                JournalEntry e = new JournalEntry(at(random.nextInt(200)),
                        JournalKind.values()[random.nextInt(3)], sources[random.nextInt(sources.length)],
                        users[random.nextInt(users.length)], actions[random.nextInt(actions.length)],
                        messages[random.nextInt(messages.length)]);
                all.add(e);
                historian.journal(e);
            }
            assertThat(historian.flush(WAIT)).isTrue();
            List<JournalEntry> ordered = inTimeOrder(all);

            List<JournalQuery> queries = List.of(
                    JournalQuery.all(),
                    JournalQuery.between(at(50), at(120)),
                    JournalQuery.between(at(50), at(50)),
                    JournalQuery.all().withKinds(JournalKind.ALARM),
                    JournalQuery.all().withKinds(JournalKind.OPERATOR, JournalKind.SYSTEM),
                    JournalQuery.all().withSource("P-101"),
                    JournalQuery.all().withSource("P-10*"),
                    JournalQuery.all().withSource("P-?0?"),
                    JournalQuery.all().withSource("plc_1"),
                    JournalQuery.all().withSource("plc%*"),
                    JournalQuery.all().withSource("p-10*"),
                    JournalQuery.all().withUser("maria"),
                    JournalQuery.all().withUser(""),
                    JournalQuery.all().withText("pump"),
                    JournalQuery.all().withText("LEVEL"),
                    JournalQuery.all().withText("100%"),
                    JournalQuery.all().withText("_"),
                    JournalQuery.all().withLimit(7),
                    JournalQuery.between(at(20), at(180)).withKinds(EnumSet.of(JournalKind.OPERATOR))
                            .withSource("P-*").withUser("jan").withText("p").withLimit(5),
                    JournalQuery.between(at(10), at(190)).withKinds(JournalKind.SYSTEM).withSource("*1*")
                            .withText("LeVeL"));
            try (HistoryReader reader = Historian.openForReading(historian.file())) {
                for (JournalQuery q : queries) {
                    List<JournalEntry> brute = ordered.stream().filter(q::matches).limit(q.limit()).toList();
                    assertThat(historian.journal(q)).as(q.toString()).containsExactlyElementsOf(brute);
                    assertThat(reader.journal(q)).as(q.toString()).containsExactlyElementsOf(brute);
                    List<JournalEntry> streamed = new ArrayList<>();
                    assertThat(reader.streamJournal(q, streamed::add)).isEqualTo(brute.size());
                    assertThat(streamed).containsExactlyElementsOf(brute);
                }
            }
            assertThat(historian.journal(JournalQuery.all().withSource("P-10*"))).isNotEmpty()
                    .allMatch(e -> e.source().startsWith("P-10"));
            assertThat(historian.journal(JournalQuery.all().withText("pump")))
                    .extracting(JournalEntry::message).containsOnly("Pump started", "pump STOPPED");

            // A visitor that throws stops the query, and its exception reaches the caller as it was.
            int[] seen = {0};
            assertThatThrownBy(() -> historian.streamJournal(JournalQuery.all(), e -> {
                if (++seen[0] == 3) {
                    throw new IOException("disk full");
                }
            })).isInstanceOf(IOException.class).hasMessage("disk full");
            assertThat(seen[0]).isEqualTo(3);
        }
    }

    @Test
    void badEntriesAndQueriesAreRefusedNamingWhatIsWrong() {
        assertThatThrownBy(() -> new JournalEntry(T0, JournalKind.OPERATOR, "P-1", "jan", "set point", "x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("action")
                .hasMessageContaining("'set point'");
        assertThatThrownBy(() -> new JournalEntry(T0, JournalKind.SYSTEM, "", "", "start", "x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("source");
        assertThatThrownBy(() -> JournalQuery.all().withLimit(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("limit");
        assertThatThrownBy(() -> JournalKind.parse("alarms"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown journal kind 'alarms' (known: alarm, operator, system)");
        assertThat(JournalKind.parse(" Operator")).isEqualTo(JournalKind.OPERATOR);
        JournalEntry long1 = new JournalEntry(T0, JournalKind.ALARM, "A", null, "active", "m".repeat(5_000),
                "o".repeat(2_000), null);
        assertThat(long1.message()).hasSize(JournalEntry.MAX_MESSAGE);
        assertThat(long1.oldValue()).hasSize(JournalEntry.MAX_VALUE);
        assertThat(long1.user()).isEmpty();
    }

    @Test
    void entriesAfterClosingAreDroppedAndCounted() throws Exception {
        Historian historian = Historian.open(dir.resolve("history"));
        historian.close();
        historian.journal(JournalEntry.system("workstation", "stop", "too late"));
        assertThat(historian.droppedJournalEntries()).isEqualTo(1);
        assertThat(historian.health().droppedJournalEntries()).isEqualTo(1);
    }

    @Test
    void retentionRemovesExactlyTheEntriesOlderThanTheJournalRetentionWhileSamplesKeepTheirOwn() throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        HistorianSettings settings = HistorianSettings.defaults()
                .withRetention(Duration.ofHours(2), Duration.ofHours(1))
                .withJournalRetention(Duration.ofDays(30));
        List<JournalEntry> entries = new ArrayList<>();
        for (int day = 60; day >= 0; day--) {
            if (day == 30) {
                continue;
            }
            entries.add(new JournalEntry(now.minus(Duration.ofDays(day)), JournalKind.SYSTEM, "plc-" + day, "",
                    "device-up", "day " + day));
        }
        List<TagValue> samples = new ArrayList<>();
        for (int minute = 240; minute > 0; minute--) {
            if (minute < 118 || minute > 122) {
                samples.add(TagValue.good((double) minute, now.minus(Duration.ofMinutes(minute))));
            }
        }
        try (Historian historian = Historian.open(dir.resolve("history"), settings)) {
            entries.forEach(historian::journal);
            samples.forEach(v -> historian.record("LT-101", v));
            assertThat(historian.flush(WAIT)).isTrue();
            assertThat(historian.journal(JournalQuery.all())).hasSize(entries.size());
            long runs = historian.store().retentionRuns();
            historian.store().requestRetention();
            assertThat(eventually(WAIT, () -> historian.store().retentionRuns() > runs)).isTrue();

            Instant journalCut = now.minus(Duration.ofDays(30));
            Instant sampleCut = now.minus(Duration.ofHours(2));
            List<JournalEntry> kept = entries.stream().filter(e -> e.time().isAfter(journalCut)).toList();
            assertThat(kept).hasSize(30);
            assertThat(historian.journal(JournalQuery.all())).containsExactlyElementsOf(kept);
            assertThat(historian.query("LT-101", Instant.MIN, Instant.MAX)).containsExactlyElementsOf(
                    samples.stream().filter(v -> v.sourceTime().isAfter(sampleCut)).toList());
        }
        // Really deleted, not hidden.
        try (Connection connection = HistoryFile.of(dir.resolve("history")).connect(true, false);
             var statement = connection.createStatement();
             var rs = statement.executeQuery("SELECT COUNT(*) FROM journal")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(30);
        }
    }

    @Test
    void theDefaultJournalRetentionIsFiveYearsAndNoneKeepsForever() throws Exception {
        assertThat(HistorianSettings.defaults().journalRetention()).isEqualTo(Duration.ofDays(1_827));
        Instant now = Instant.now();
        HistorianSettings forever = HistorianSettings.defaults().withJournalRetention(null);
        JournalEntry old = new JournalEntry(now.minus(Duration.ofDays(20 * 366)), JournalKind.SYSTEM, "ws", "",
                "start", "long ago");
        try (Historian historian = Historian.open(dir.resolve("history"), forever)) {
            historian.journal(old);
            assertThat(historian.flush(WAIT)).isTrue();
            long runs = historian.store().retentionRuns();
            historian.store().requestRetention();
            assertThat(eventually(WAIT, () -> historian.store().retentionRuns() > runs)).isTrue();
            assertThat(historian.journal(JournalQuery.all())).containsExactly(old);
        }
        try (Historian historian = Historian.open(dir.resolve("history"))) {
            long runs = historian.store().retentionRuns();
            historian.store().requestRetention();
            assertThat(eventually(WAIT, () -> historian.store().retentionRuns() > runs)).isTrue();
            assertThat(historian.journal(JournalQuery.all())).isEmpty();
        }
    }

    @Test
    void aVersion2DatabaseMigratesWithItsSamplesIntactAndAUsableJournal() throws Exception {
        Path db = dir.resolve("history");
        List<TagValue> samples = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            samples.add(TagValue.good(20.0 + (i % 17) * 0.25, at(i)));
        }
        try (Connection connection = HistoryFile.of(db).connect(false, false)) {
            new SchemaMigrator(SchemaMigrator.STEPS.subList(0, 1)).migrate(connection);
            MigrationTest.writeVersion1(connection, "LT-101", samples);
            new SchemaMigrator(SchemaMigrator.STEPS.subList(0, 2)).migrate(connection);
            assertThat(SchemaMigrator.currentVersion(connection)).isEqualTo(2);
        }
        try (HistoryReader reader = Historian.openForReading(db)) {
            assertThat(reader).isNull();
        } catch (HistoryException e) {
            assertThat(e).hasMessageContaining("older schema (version 2)");
        }
        JournalEntry entry = new JournalEntry(at(10_000), JournalKind.SYSTEM, "workstation", "", "start",
                "upgraded");
        try (Historian historian = Historian.open(db)) {
            assertThat(historian.query("LT-101", Instant.MIN, Instant.MAX)).containsExactlyElementsOf(samples);
            assertThat(historian.journal(JournalQuery.all())).isEmpty();
            historian.journal(entry);
            assertThat(historian.flush(WAIT)).isTrue();
        }
        try (HistoryReader reader = Historian.openForReading(db)) {
            assertThat(reader.query("LT-101", Instant.MIN, Instant.MAX)).containsExactlyElementsOf(samples);
            assertThat(reader.journal(JournalQuery.all())).containsExactly(entry);
        }
        try (Connection connection = HistoryFile.of(db).connect(true, false)) {
            assertThat(SchemaMigrator.currentVersion(connection)).isEqualTo(SchemaMigrator.latestVersion());
        }
    }

    @Test
    void kindsFilterIgnoresDuplicatesAndEmptyMeansAll() {
        assertThat(JournalQuery.all().withKinds(Set.of()).kinds()).isEmpty();
        assertThat(JournalQuery.all().withKinds(JournalKind.ALARM, JournalKind.ALARM).kinds())
                .containsExactly(JournalKind.ALARM);
    }
}
