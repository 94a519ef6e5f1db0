package dev.stator.historian;

import static dev.stator.historian.TestSupport.T0;
import static dev.stator.historian.TestSupport.WAIT;
import static dev.stator.historian.TestSupport.at;
import static dev.stator.historian.TestSupport.eventually;
import static dev.stator.historian.TestSupport.settings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stator.driver.api.TagValue;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistorianLifecycleTest {

    @TempDir
    Path dir;

    @Test
    void closeWritesTheQueueLeavesNoThreadAndTheDataIsThereOnReopen() throws Exception {
        Path db = dir.resolve("history");
        // An hour between commits: only close() writes these.
        Historian historian = Historian.open(db, settings(10_000, Duration.ofHours(1)));
        String server = historian.serverAddress();
        assertThat(writerThreads()).isNotEmpty();
        for (int i = 0; i < 500; i++) {
            historian.record("TT-101", TagValue.good((long) i, at(i)));
        }

        historian.close();

        assertThat(writerThreads()).isEmpty();
        assertThat(h2Threads(db, server)).isEmpty();
        assertThat(Files.exists(dir.resolve("history.lock.db"))).isFalse();
        assertThat(historian.writtenSamples()).isEqualTo(500);
        historian.close();

        try (Historian again = Historian.open(db)) {
            assertThat(again.query("TT-101", T0, at(1_000))).hasSize(500);
            assertThat(again.tags()).containsExactly("TT-101");
        }
        assertThat(writerThreads()).isEmpty();
    }

    @Test
    void afterCloseRecordIsCountedAsDroppedAndQueriesAreRefused() throws Exception {
        Historian historian = Historian.open(dir.resolve("history"));
        historian.close();

        historian.record("TT-101", TagValue.good(1L, T0));

        assertThat(historian.droppedSamples()).isEqualTo(1);
        assertThat(historian.flush(Duration.ofSeconds(1))).isTrue();
        assertThatThrownBy(() -> historian.query("TT-101", Instant.MIN, Instant.MAX))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    @Test
    void aSecondHistorianOnTheSameFileInOneProgramIsRefused() throws Exception {
        try (Historian historian = Historian.open(dir.resolve("history"))) {
            assertThatThrownBy(() -> Historian.open(dir.resolve("history.mv.db")))
                    .isInstanceOf(HistoryInUseException.class)
                    .hasMessageContaining(historian.file().toString());
            historian.record("TT-101", TagValue.good(1L, T0));
            assertThat(historian.flush(WAIT)).isTrue();
        }
    }

    @Test
    void closeWaitsForAReaderOfThisProgramBeforeClosingTheDatabase() throws Exception {
        Historian historian = Historian.open(dir.resolve("history"));
        historian.record("TT-101", TagValue.good(1L, T0));
        assertThat(historian.flush(WAIT)).isTrue();
        HistoryReader reader = Historian.openForReading(historian.file());
        Thread closer = new Thread(historian::close, "test-closer");
        closer.start();

        Thread.sleep(300);
        assertThat(closer.isAlive()).isTrue();
        assertThat(reader.query("TT-101", Instant.MIN, Instant.MAX)).hasSize(1);
        reader.close();

        closer.join(WAIT.toMillis());
        assertThat(closer.isAlive()).isFalse();
    }

    @Test
    void aDamagedFileIsReportedWithItsNameAndWhatToDo() throws Exception {
        byte[] junk = new byte[16_384];
        new Random(7).nextBytes(junk);
        Files.write(dir.resolve("history.mv.db"), junk);

        assertThatThrownBy(() -> Historian.open(dir.resolve("history")))
                .isInstanceOf(HistoryException.class)
                .hasMessageContaining(dir.resolve("history.mv.db").toString())
                .hasMessageContaining("damaged")
                .hasMessageContaining("move the file aside");
        assertThat(eventually(WAIT, () -> h2Threads(dir.resolve("history"), null).isEmpty())).isTrue();
    }

    @Test
    void readingAMissingDatabaseSaysSo() {
        assertThatThrownBy(() -> Historian.openForReading(dir.resolve("nothing")))
                .isInstanceOf(HistoryException.class)
                .hasMessage("no history database at " + dir.resolve("nothing.mv.db")
                        + "; check the path, or start the workstation once to create it");
    }

    private static List<String> writerThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(Historian.WRITER_THREAD::equals).collect(Collectors.toList());
    }

    private static List<String> h2Threads(Path db, String server) {
        List<String> named = HistoryFile.of(db).h2Threads(server).stream().map(Thread::getName)
                .collect(Collectors.toList());
        // Also H2's store and server threads by their generic names, in case a name stops carrying the file.
        Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(n -> n.startsWith("H2 ") || n.startsWith("MVStore") || n.startsWith("H2-"))
                .forEach(named::add);
        return named;
    }
}
