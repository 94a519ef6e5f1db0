package dev.stator.historian;

import static dev.stator.historian.TestSupport.WAIT;
import static dev.stator.historian.TestSupport.at;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stator.driver.api.TagValue;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A backup taken from another process while the workstation records, and one taken with no workstation running. */
class ReaderBackupTest {

    private static final Duration CHILD_WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void anotherProcessBacksUpThroughTheWorkstationsServerWhileItRecords() throws Exception {
        Path db = dir.resolve("history");
        Path zip = dir.resolve("backups/copy.zip");
        try (Historian historian = Historian.open(db)) {
            for (int i = 0; i < 5_000; i++) {
                historian.record("TT-101", TagValue.good((long) i, at(i)));
            }
            assertThat(historian.flush(WAIT)).isTrue();

            try (ChildJvm backup = ChildJvm.start(List.of(), BackupChild.class, db.toString(), zip.toString())) {
                for (int i = 5_000; i < 6_000; i++) {
                    historian.record("TT-101", TagValue.good((long) i, at(i)));
                }
                String line = backup.awaitLine("BACKUP", CHILD_WAIT);
                assertThat(line).startsWith("BACKUP throughServer=true bytes=");
                assertThat(backup.awaitExit(CHILD_WAIT)).as(backup.transcript()).isZero();
                assertThat(Long.parseLong(line.substring(line.indexOf("bytes=") + 6))).isEqualTo(Files.size(zip));
            }
            historian.record("TT-101", TagValue.good(-1L, at(10_000)));
            assertThat(historian.flush(WAIT)).isTrue();
        }

        List<TagValue> copy = restored(zip);
        assertThat(copy.size()).isBetween(5_000, 6_000);
        for (int i = 0; i < copy.size(); i++) {
            assertThat(copy.get(i).value()).isEqualTo((long) i);
        }
    }

    @Test
    void withNoWorkstationTheReaderBacksUpTheFileItself() throws Exception {
        Path db = dir.resolve("history");
        try (Historian historian = Historian.open(db)) {
            historian.record("TT-101", TagValue.good(1.5, at(0)));
        }
        Path zip = dir.resolve("copy.zip");
        try (HistoryReader reader = Historian.openForReading(db)) {
            assertThat(reader.backup(zip)).isEqualTo(Files.size(zip)).isPositive();
        }
        assertThat(restored(zip)).containsExactly(TagValue.good(1.5, at(0)));
    }

    private List<TagValue> restored(Path zip) throws Exception {
        Path folder = Files.createDirectories(dir.resolve("restored-" + System.nanoTime()));
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            ZipEntry e;
            while ((e = in.getNextEntry()) != null) {
                Files.copy((InputStream) in, folder.resolve(Path.of(e.getName()).getFileName()));
            }
        }
        try (HistoryReader reader = Historian.openForReading(folder.resolve("history.mv.db"))) {
            return reader.query("TT-101", Instant.EPOCH, Instant.MAX);
        }
    }
}
