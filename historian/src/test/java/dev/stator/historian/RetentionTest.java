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
    void underSteadyIngestTheFileStopsGrowingOnceRetentionDeletes() throws Exception {
        // Four seconds of history kept, retention every second, freed space reusable after 1 s. About 400 KB of
        // incompressible samples a second: without reuse the file would keep growing.
        HistorianSettings settings = HistorianSettings.defaults().withPublishInterval(Duration.ofMillis(500))
                .withRetention(Duration.ofSeconds(4), Duration.ofSeconds(1));
        Tuning tuning = new Tuning(0, 1_000, new Tuning.StoreGate());
        Random random = new Random(3);
        List<Long> sizes = new ArrayList<>();
        int seconds = 20;
        try (Historian historian = Historian.open(dir.resolve("history"), settings, tuning)) {
            long start = System.nanoTime();
            long next = start;
            while (System.nanoTime() - start < Duration.ofSeconds(seconds).toNanos()) {
                Instant t = Instant.now();
                for (int k = 0; k < 500; k++) {
                    for (int tag = 0; tag < 5; tag++) {
                        historian.record("R-" + tag, TagValue.good(random.nextDouble(), t.plusNanos(k * 1_000L)));
                    }
                }
                next += 50_000_000L;
                long sleep = (next - System.nanoTime()) / 1_000_000;
                if (sleep > 0) {
                    Thread.sleep(sleep);
                }
                if (sizes.size() < (System.nanoTime() - start) / 1_000_000_000L) {
                    sizes.add(Files.size(historian.file()));
                }
            }
            assertThat(historian.store().retentionRuns()).isGreaterThanOrEqualTo(seconds / 2);
            assertThat(historian.droppedSamples()).isZero();
            List<TagValue> kept = historian.query("R-0", Instant.MIN, Instant.MAX);
            assertThat(kept).isNotEmpty().allMatch(v -> v.sourceTime().isAfter(Instant.now().minusSeconds(7)));
        }
        // H2 grows and trims its file in steps (here between about 3.5 and 6.5 MB): compare the peak of the last
        // eight seconds with that of seconds 4-10. Without retention the file grows by 1 MB a second, to 2.5 times.
        long early = sizes.subList(4, 11).stream().mapToLong(Long::longValue).max().orElseThrow();
        long late = sizes.subList(sizes.size() - 8, sizes.size()).stream().mapToLong(Long::longValue).max()
                .orElseThrow();
        assertThat(late).as("file sizes each second: %s", sizes).isLessThanOrEqualTo(early * 8 / 5);
    }

    private static boolean near(Instant t, Instant cut) {
        return Duration.between(t, cut).abs().compareTo(Duration.ofMinutes(2)) < 0;
    }
}
