package dev.stator.historian;

import static dev.stator.historian.TestSupport.T0;
import static dev.stator.historian.TestSupport.WAIT;
import static dev.stator.historian.TestSupport.at;
import static dev.stator.historian.TestSupport.eventually;
import static dev.stator.historian.TestSupport.settings;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stator.driver.api.TagValue;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistorianQueueTest {

    @TempDir
    Path dir;

    @Test
    void recordNeverBlocksWhenTheQueueIsFullAndCountsTheDrops() throws Exception {
        try (Historian historian = Historian.open(dir.resolve("history"), settings(4, Duration.ofSeconds(1)))) {
            int count = 200_000;
            long slowest = 0;
            long start = System.nanoTime();
            for (int i = 0; i < count; i++) {
                long before = System.nanoTime();
                historian.record("FAST-1", TagValue.good((long) i, at(i * 0.000_001)));
                slowest = Math.max(slowest, System.nanoTime() - before);
            }
            long elapsed = System.nanoTime() - start;

            assertThat(historian.droppedSamples()).isPositive();
            assertThat(historian.queueDepth()).isLessThanOrEqualTo(4);
            // Generous bounds for a loaded 2-core machine; a blocking offer would wait for the disk every time.
            assertThat(TimeUnit.NANOSECONDS.toMillis(elapsed)).isLessThan(10_000);
            assertThat(TimeUnit.NANOSECONDS.toMillis(slowest)).isLessThan(1_000);

            assertThat(historian.flush(WAIT)).isTrue();
            assertThat(historian.writtenSamples() + historian.droppedSamples()).isEqualTo(count);
            assertThat(historian.query("FAST-1", Instant.MIN, Instant.MAX)).hasSize((int) historian.writtenSamples());
        }
    }

    @Test
    void thisProcessSeesSamplesAtOnceOtherProcessesAfterAFlush() throws Exception {
        // An hour between commits: only flush() can make the samples visible to another session.
        HistorianSettings hourly = settings(1_000, Duration.ofHours(1)).withPublishInterval(Duration.ofHours(1));
        try (Historian historian = Historian.open(dir.resolve("history"), hourly)) {
            for (int i = 0; i < 3; i++) {
                historian.record("TT-1", TagValue.good((long) i, at(i)));
            }
            assertThat(eventually(WAIT, () -> querySize(historian) == 3)).isTrue();
            try (HistoryReader reader = Historian.openForReading(historian.file())) {
                assertThat(reader.query("TT-1", T0, at(10))).isEmpty();
            }
            assertThat(historian.writtenSamples()).isZero();

            assertThat(historian.flush(WAIT)).isTrue();

            assertThat(historian.query("TT-1", T0, at(10))).extracting(TagValue::value).containsExactly(0L, 1L, 2L);
            try (HistoryReader reader = Historian.openForReading(historian.file())) {
                assertThat(reader.query("TT-1", T0, at(10))).extracting(TagValue::value)
                        .containsExactly(0L, 1L, 2L);
            }
            assertThat(historian.queueDepth()).isZero();
            assertThat(historian.writtenSamples()).isEqualTo(3);
        }
    }

    @Test
    void samplesAreCommittedWithinThePublishIntervalWithoutAFlush() throws Exception {
        HistorianSettings fast = settings(1_000, Duration.ofMillis(200)).withPublishInterval(Duration.ofMillis(200));
        try (Historian historian = Historian.open(dir.resolve("history"), fast)) {
            historian.record("TT-1", TagValue.good(1L, at(0)));

            assertThat(eventually(Duration.ofSeconds(5), () -> historian.writtenSamples() == 1)).isTrue();
            try (HistoryReader reader = Historian.openForReading(historian.file())) {
                assertThat(reader.query("TT-1", T0, at(1))).hasSize(1);
            }
        }
    }

    private static int querySize(Historian historian) {
        try {
            return historian.query("TT-1", T0, at(10)).size();
        } catch (HistoryException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void writerSurvivesTheDatabaseClosingUnderItAndWritesEverythingAfterwards() throws Exception {
        try (Historian historian = Historian.open(dir.resolve("history"), settings(10_000, Duration.ofHours(1)))) {
            historian.record("TT-1", TagValue.good(1L, at(1)));
            assertThat(historian.flush(WAIT)).isTrue();
            historian.record("TT-1", TagValue.good(2L, at(2)));
            Thread.sleep(100);

            // What H2 does after a fatal write error such as a full disk: the database closes for every session.
            try (Connection connection = HistoryFile.of(historian.file()).connect(true, false);
                 Statement statement = connection.createStatement()) {
                statement.execute("SHUTDOWN");
            }
            historian.record("TT-1", TagValue.good(3L, at(3)));

            assertThat(historian.flush(WAIT)).isTrue();
            assertThat(historian.writeErrors()).isPositive();
            assertThat(historian.lastWriteError()).hasValueSatisfying(
                    error -> assertThat(error.message()).contains(historian.file().toString()));
            assertThat(historian.query("TT-1", T0, at(10))).extracting(TagValue::value).containsExactly(1L, 2L, 3L);
        }
    }
}
