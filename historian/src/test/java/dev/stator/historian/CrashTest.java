package dev.stator.historian;

import static dev.stator.historian.TestSupport.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stator.driver.api.Quality;
import dev.stator.driver.api.TagValue;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The durability window: a workstation killed with SIGKILL in the middle of recording loses at most the samples of
 * its last flush interval (1 s by default), and the database opens cleanly afterwards.
 */
class CrashTest {

    private static final int TAGS = 10;
    private static final Duration WINDOW = HistorianSettings.DEFAULT_FLUSH_INTERVAL;

    @TempDir
    Path dir;

    @Test
    void aWorkstationKilledMidIngestLosesAtMostTheFlushInterval() throws Exception {
        Path db = dir.resolve("history");
        long durable = -1;
        long recorded = -1;
        Instant base;
        try (ChildJvm child = ChildJvm.start(List.of(), HistoryChild.class, "ingest", db.toString(),
                String.valueOf(TAGS))) {
            base = Instant.parse(child.awaitLine("OPEN", Duration.ofSeconds(30)).substring(5));
            long[] receivedAt = new long[100_000];
            long[] indexes = new long[100_000];
            int lines = 0;
            long end = System.nanoTime() + Duration.ofSeconds(3).toNanos();
            while (System.nanoTime() < end) {
                String line = child.awaitLine("RECORDED", Duration.ofSeconds(10));
                receivedAt[lines] = System.nanoTime();
                indexes[lines] = Long.parseLong(line.substring(9));
                lines++;
            }
            long killedAt = System.nanoTime();
            child.kill();
            // Everything recorded before the window ahead of the kill must have survived it.
            for (int k = 0; k < lines; k++) {
                if (receivedAt[k] <= killedAt - WINDOW.toNanos()) {
                    durable = indexes[k];
                }
                recorded = indexes[k];
            }
        }
        assertThat(durable).as("the child recorded for longer than the window").isGreaterThan(1_000);

        try (Historian historian = Historian.open(db)) {
            assertThat(historian.flush(WAIT)).isTrue();
            for (int t = 0; t < TAGS; t++) {
                List<TagValue> stored = historian.query("TAG-" + t, Instant.MIN, Instant.MAX);
                // What survived is the start of what was recorded, with no hole and nothing twice.
                for (int i = 0; i < stored.size(); i++) {
                    assertThat(stored.get(i).value()).isEqualTo((long) i);
                }
                assertThat((long) stored.size()).isGreaterThan(durable).isLessThanOrEqualTo(recorded + 1 + 10_000);
                // The history stops after the last reading that survived: a gap, not a line to the restart.
                Instant after = base.plusMillis(stored.size()).plusMillis(5);
                List<InterpolatedValue> v = historian.interpolate("TAG-" + t, after, after.plusMillis(1),
                        Duration.ofMillis(1));
                assertThat(v.get(0).quality()).isEqualTo(Quality.BAD_SHUTDOWN);
            }
            assertThat(historian.lastWriteError()).isEmpty();
        }
    }

    @Test
    void whatIsRecordedAtOnceAfterACrashIsKept() throws Exception {
        Path db = dir.resolve("history");
        // Killed with everything committed: after the restart the log holds nothing of the earlier run.
        try (ChildJvm child = ChildJvm.start(List.of(), HistoryChild.class, "write", db.toString(), "BEFORE",
                "100")) {
            assertThat(child.awaitLine("WRITTEN", Duration.ofSeconds(30))).contains("flushed=true");
            // H2 stores its commits within its write delay (500 ms).
            Thread.sleep(1_500);
            child.kill();
        }
        Tuning tuning = new Tuning(0, -1, new Tuning.StoreGate());
        // The writer is held until the first block of the new run is in the log: it is the first block it reads.
        tuning.gate().close();
        Instant now = Instant.now();
        try (Historian historian = Historian.open(db, HistorianSettings.defaults(), tuning)) {
            historian.record("AFTER", TagValue.good(1.5, now));
            historian.journal(new JournalEntry(now, JournalKind.SYSTEM, "workstation", "", "start",
                    "started after a crash"));
            for (int i = 0; i < 100 && historian.queueDepth() > 0; i++) {
                Thread.sleep(10);
            }
            // A block is written at least every 100 ms.
            Thread.sleep(300);
            tuning.gate().open();
            assertThat(historian.flush(WAIT)).isTrue();

            assertThat(historian.query("AFTER", Instant.MIN, Instant.MAX)).extracting(TagValue::value)
                    .containsExactly(1.5);
            assertThat(historian.journal(JournalQuery.all().withSource("workstation")))
                    .extracting(JournalEntry::message).containsExactly("started after a crash");
            assertThat(historian.query("BEFORE", Instant.MIN, Instant.MAX)).hasSize(100);
        }
    }

    @Test
    void journalEntriesRecordedBeforeTheWindowSurviveAKillExactlyOnce() throws Exception {
        Path db = dir.resolve("history");
        long durable = -1;
        long recorded = -1;
        try (ChildJvm child = ChildJvm.start(List.of(), HistoryChild.class, "journal", db.toString())) {
            child.awaitLine("OPEN", Duration.ofSeconds(30));
            long[] receivedAt = new long[100_000];
            long[] indexes = new long[100_000];
            int lines = 0;
            long end = System.nanoTime() + Duration.ofSeconds(3).toNanos();
            while (System.nanoTime() < end) {
                String line = child.awaitLine("JOURNALED", Duration.ofSeconds(10));
                receivedAt[lines] = System.nanoTime();
                indexes[lines] = Long.parseLong(line.substring(10));
                lines++;
            }
            long killedAt = System.nanoTime();
            child.kill();
            for (int k = 0; k < lines; k++) {
                if (receivedAt[k] <= killedAt - WINDOW.toNanos()) {
                    durable = indexes[k];
                }
                recorded = indexes[k];
            }
        }
        assertThat(durable).as("the child recorded for longer than the window").isGreaterThan(100);

        for (int round = 0; round < 2; round++) {
            // Opened twice: the replay after the crash stores each entry once, and the next start adds nothing.
            try (Historian historian = Historian.open(db)) {
                assertThat(historian.flush(WAIT)).isTrue();
                List<JournalEntry> stored = historian.journal(JournalQuery.all().withSource("J"));
                for (int i = 0; i < stored.size(); i++) {
                    assertThat(stored.get(i).message()).isEqualTo("entry " + i);
                    assertThat(stored.get(i).newValue()).isEqualTo(String.valueOf(i));
                }
                assertThat((long) stored.size()).isGreaterThan(durable).isLessThanOrEqualTo(recorded + 1 + 10_000);
                assertThat(historian.lastWriteError()).isEmpty();
            }
        }
    }
}
