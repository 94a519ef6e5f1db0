package dev.stator.historian;

import static dev.stator.historian.TestSupport.WAIT;
import static dev.stator.historian.TestSupport.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stator.driver.api.TagValue;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The write-ahead log as a store-and-forward buffer: while the database is held (a test gate stops the store thread
 * before its next database work, as a database that stopped answering would), samples wait on disk and drain
 * afterwards; past the cap the oldest waiting samples are dropped, counted and reported.
 */
class StoreAndForwardTest {

    private static final Instant BASE = Instant.parse("2026-11-25T06:00:00Z");

    @TempDir
    Path dir;

    @Test
    void samplesWaitOnDiskWhileTheDatabaseIsHeldAndAreAllStoredAfterwards() throws Exception {
        Tuning tuning = new Tuning(0, -1, new Tuning.StoreGate());
        HistorianSettings settings = HistorianSettings.defaults().withFlushInterval(Duration.ofMillis(200));
        try (Historian historian = Historian.open(dir.resolve("history"), settings, tuning)) {
            tuning.gate().close();
            Thread.sleep(200);
            int perTag = 10_000;
            for (int i = 0; i < perTag; i++) {
                for (int t = 0; t < 10; t++) {
                    historian.record("TAG-" + t, TagValue.good((long) i, BASE.plusMillis(i)));
                }
                if (i % 2_000 == 0) {
                    Thread.sleep(20);
                }
            }
            assertThat(eventually(WAIT, () -> historian.health().bufferedBytes() > 500_000)).isTrue();
            assertThat(historian.flush(Duration.ofMillis(500))).as("nothing reaches the database").isFalse();
            assertThat(historian.health().droppedSamples()).isZero();
            assertThat(folderBytes(dir.resolve("history.wal"))).isGreaterThan(500_000);

            tuning.gate().open();
            assertThat(historian.flush(WAIT)).isTrue();

            for (int t = 0; t < 10; t++) {
                List<TagValue> stored = historian.query("TAG-" + t, Instant.MIN, Instant.MAX);
                assertThat(stored).hasSize(perTag);
                for (int i = 0; i < perTag; i++) {
                    assertThat(stored.get(i).value()).isEqualTo((long) i);
                }
            }
            assertThat(historian.health().bufferedBytes()).isLessThan(100_000);
            assertThat(historian.droppedSamples()).isZero();
            assertThat(historian.writtenSamples()).isEqualTo(10L * perTag);
        }
    }

    @Test
    void pastTheCapTheOldestWaitingSamplesAreDroppedCountedAndReported() throws Exception {
        Tuning tuning = new Tuning(64 << 10, -1, new Tuning.StoreGate());
        HistorianSettings settings = HistorianSettings.defaults().withFlushInterval(Duration.ofMillis(100))
                .withStoreAndForwardCap(1 << 20);
        int count = 400_000;
        try (Historian historian = Historian.open(dir.resolve("history"), settings, tuning)) {
            tuning.gate().close();
            Thread.sleep(200);
            for (int i = 0; i < count; i++) {
                historian.record("FT-1", TagValue.good((long) i, BASE.plusMillis(i)));
                if (i % 20_000 == 19_999) {
                    Thread.sleep(30);
                }
            }
            assertThat(eventually(WAIT, () -> historian.health().storeAndForwardFull())).isTrue();
            HistorianHealth full = historian.health();
            assertThat(full.droppedSamples()).isPositive();
            assertThat(full.bufferedBytes()).isLessThanOrEqualTo((1 << 20) + 3 * (64 << 10));
            assertThat(folderBytes(dir.resolve("history.wal"))).isLessThanOrEqualTo((1 << 20) + 4 * (64 << 10));

            tuning.gate().open();
            assertThat(historian.flush(WAIT)).isTrue();

            List<TagValue> stored = historian.query("FT-1", Instant.MIN, Instant.MAX);
            long dropped = historian.droppedSamples();
            assertThat(stored.size() + dropped).isEqualTo(count);
            assertThat(historian.writtenSamples() + dropped).isEqualTo(count);
            // What is missing is one run of older samples; the newest are all there.
            List<Long> missing = new ArrayList<>();
            int k = 0;
            for (long i = 0; i < count; i++) {
                if (k < stored.size() && stored.get(k).value().equals(i)) {
                    k++;
                } else {
                    missing.add(i);
                }
            }
            assertThat(missing).hasSize((int) dropped);
            assertThat(missing.get(missing.size() - 1) - missing.get(0) + 1).isEqualTo(dropped);
            assertThat(missing.get(missing.size() - 1)).isLessThan(count - 50_000L);
            assertThat(eventually(WAIT, () -> !historian.health().storeAndForwardFull())).isTrue();
        }
    }

    @Test
    void lowDiskSpaceIsReportedWithTheSizes() throws Exception {
        HistorianSettings settings = HistorianSettings.defaults().withDiskSpaceFloor(Long.MAX_VALUE);
        try (Historian historian = Historian.open(dir.resolve("history"), settings)) {
            assertThat(eventually(WAIT, () -> historian.health().diskSpaceLow())).isTrue();
            HistorianHealth health = historian.health();
            assertThat(health.freeDiskBytes()).isPositive();
            assertThat(health.databaseBytes()).isPositive();
            assertThat(health.storeAndForwardFull()).isFalse();
            assertThat(health.queueDepth()).isZero();
        }
        try (Historian historian = Historian.open(dir.resolve("history"))) {
            assertThat(historian.health().diskSpaceLow()).isFalse();
        }
    }

    @Test
    void anOnlineBackupIsAConsistentDatabaseWhileRecordingGoesOn() throws Exception {
        Path zip = dir.resolve("backup").resolve("history.zip");
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong recorded = new AtomicLong();
        try (Historian historian = Historian.open(dir.resolve("history"))) {
            Thread writer = new Thread(() -> {
                long i = 0;
                while (!stop.get()) {
                    historian.record("LT-9", TagValue.good(i, BASE.plusMillis(i)));
                    i++;
                    if (i % 1_000 == 0) {
                        recorded.set(i);
                        try {
                            Thread.sleep(2);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                }
            }, "test-recorder");
            writer.start();
            assertThat(eventually(WAIT, () -> recorded.get() > 50_000)).isTrue();
            long before = recorded.get();
            historian.backup(zip);
            long after = recorded.get();
            stop.set(true);
            writer.join(WAIT.toMillis());

            Path restored = dir.resolve("restored");
            unzip(zip, restored);
            try (HistoryReader reader = Historian.openForReading(restored.resolve("history"))) {
                List<TagValue> copy = reader.query("LT-9", Instant.MIN, Instant.MAX);
                // Everything recorded before the backup started, in order, nothing torn.
                assertThat((long) copy.size()).isGreaterThanOrEqualTo(before).isLessThanOrEqualTo(after + 100_000);
                for (int i = 0; i < copy.size(); i++) {
                    assertThat(copy.get(i).value()).isEqualTo((long) i);
                }
            }
        }
    }

    private static void unzip(Path zip, Path into) throws IOException {
        Files.createDirectories(into);
        try (InputStream in = Files.newInputStream(zip); ZipInputStream entries = new ZipInputStream(in)) {
            ZipEntry e;
            while ((e = entries.getNextEntry()) != null) {
                Path target = into.resolve(Path.of(e.getName()).getFileName().toString());
                Files.copy(entries, target);
            }
        }
    }

    static long folderBytes(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return 0;
        }
        try (var files = Files.list(folder)) {
            return files.mapToLong(f -> f.toFile().length()).sum();
        }
    }
}
