package dev.stator.historian;

import static dev.stator.historian.TestSupport.WAIT;
import static dev.stator.historian.TestSupport.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stator.driver.api.TagValue;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RetentionTest {

    @TempDir
    Path dir;

    @Test
    void retentionRemovesExactlyTheSamplesOlderThanEachTagsRetention() throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        HistorianSettings settings = HistorianSettings.defaults()
                .withRetention(Duration.ofHours(2), Duration.ofHours(1));
        try (Historian historian = Historian.open(dir.resolve("history"), settings)) {
            historian.configure("B", TagHistorySettings.LOSSLESS.withRetention(Duration.ofMinutes(30)));
            List<TagValue> all = new ArrayList<>();
            for (Instant t = now.minus(Duration.ofHours(3)); t.isBefore(now); t = t.plusSeconds(1)) {
                // Nothing within two minutes of a cutoff: the exact moment retention runs does not matter.
                if (near(t, now.minus(Duration.ofHours(2))) || near(t, now.minus(Duration.ofMinutes(30)))) {
                    continue;
                }
                all.add(TagValue.good((double) t.getEpochSecond(), t));
            }
            all.forEach(v -> historian.record("A", v));
            all.forEach(v -> historian.record("B", v));
            assertThat(historian.flush(WAIT)).isTrue();
            long runs = historian.store().retentionRuns();

            historian.store().requestRetention();
            assertThat(eventually(WAIT, () -> historian.store().retentionRuns() > runs)).isTrue();

            Instant cutA = now.minus(Duration.ofHours(2));
            Instant cutB = now.minus(Duration.ofMinutes(30));
            assertThat(historian.query("A", Instant.MIN, Instant.MAX))
                    .containsExactlyElementsOf(all.stream().filter(v -> v.sourceTime().isAfter(cutA)).toList());
            assertThat(historian.query("B", Instant.MIN, Instant.MAX))
                    .containsExactlyElementsOf(all.stream().filter(v -> v.sourceTime().isAfter(cutB)).toList());
            try (HistoryReader reader = Historian.openForReading(historian.file())) {
                assertThat(reader.query("B", Instant.MIN, Instant.MAX)).hasSize((int) all.stream()
                        .filter(v -> v.sourceTime().isAfter(cutB)).count());
            }
        }
    }

    @Test
    void spaceFreedByRetentionIsReusedSoTheFileStopsGrowing() throws Exception {
        // Each round stores the same amount of incompressible history, already older than the retention, then lets
        // retention delete it and H2 release the space (after 1 s here). Without reuse the file would grow by a
        // round's worth every round; with it, the size levels off after the first rounds.
        HistorianSettings settings = HistorianSettings.defaults().withPublishInterval(Duration.ofMillis(500))
                .withRetention(Duration.ofHours(1), Duration.ofHours(1));
        Tuning tuning = new Tuning(256 * 1024, 1_000, new Tuning.StoreGate());
        Random random = new Random(3);
        List<Long> sizes = new ArrayList<>();
        int rounds = 8;
        long perRound = 0;
        try (Historian historian = Historian.open(dir.resolve("history"), settings, tuning)) {
            for (int round = 0; round < rounds; round++) {
                long before = diskBytes();
                Instant old = Instant.now().minus(Duration.ofHours(2));
                for (int k = 0; k < 50_000; k++) {
                    historian.record("R-" + (k % 5), TagValue.good(random.nextDouble(), old.plusMillis(k)));
                }
                assertThat(historian.flush(WAIT)).isTrue();
                Thread.sleep(1_000); // past H2's write delay: the round is in the file
                if (round == 0) {
                    perRound = diskBytes() - before;
                }
                long runs = historian.store().retentionRuns();
                historian.store().requestRetention();
                assertThat(eventually(WAIT, () -> historian.store().retentionRuns() > runs)).isTrue();
                assertThat(historian.query("R-0", Instant.MIN, Instant.MAX)).isEmpty();
                Thread.sleep(1_500);
                sizes.add(diskBytes());
            }
            assertThat(historian.droppedSamples()).isZero();
        }
        // H2 grows and trims its file in steps: compare the peak of the last three rounds with that of the first
        // three. Without reuse it is higher by about two rounds' worth.
        long settled = sizes.subList(0, 3).stream().mapToLong(Long::longValue).max().orElseThrow();
        long last = sizes.subList(rounds - 3, rounds).stream().mapToLong(Long::longValue).max().orElseThrow();
        assertThat(perRound).isPositive();
        assertThat(last - settled).as("file size after each round: %s; one round adds %d bytes", sizes, perRound)
                .isLessThan(perRound / 2);
    }

    /** The database file and the write-ahead log together. */
    private long diskBytes() throws java.io.IOException {
        try (var files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    private static boolean near(Instant t, Instant cut) {
        return Duration.between(t, cut).abs().compareTo(Duration.ofMinutes(2)) < 0;
    }
}
