package dev.stator.historian;

import static dev.stator.historian.TestSupport.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stator.driver.api.Quality;
import dev.stator.driver.api.TagValue;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.io.TempDir;

/**
 * M4 and binned aggregates against brute force over the same random samples: good values with repeats, Bad
 * readings, gap markers, and late samples that make overlapping chunks. Checked in the writing process before
 * anything is committed (the writer's tail) and from another session after a flush (chunks and slices).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TrendQueryTest {

    private static final String TAG = "FT-301";
    private static final int SAMPLES = 30_000;

    private final List<Brute.Event> events = new ArrayList<>();
    private final List<long[]> ranges = new ArrayList<>();
    private long first;
    private long last;
    private int markers;
    private Historian historian;

    @BeforeAll
    void recordRandomHistory(@TempDir Path dir) throws Exception {
        Random random = new Random(20261125);
        Instant t0 = Instant.parse("2026-11-20T00:00:00Z");
        first = Micros.of(t0);
        Set<Long> used = new HashSet<>();
        List<long[]> order = new ArrayList<>();
        long t = first;
        for (int i = 0; i < SAMPLES; i++) {
            t += random.nextInt(20) == 0 ? 1_000_000L * random.nextInt(600)
                    : 1_000_000L + random.nextInt(2_000) - 1_000;
            long at = t;
            if (random.nextInt(100) == 0 && i > 100) {
                // A late sample, up to two hours back.
                at = t - 1_000L * random.nextInt(7_200_000);
            }
            while (!used.add(at)) {
                at++;
            }
            order.add(new long[] {at, random.nextInt(1000) < 5 ? 1 : random.nextInt(1000) < 3 ? 2 : 0,
                random.nextInt(400)});
        }
        last = t;
        HistorianSettings settings = HistorianSettings.defaults().withPublishInterval(Duration.ofHours(1));
        historian = Historian.open(dir.resolve("history"), settings);
        for (long[] o : order) {
            Instant at = Micros.toInstant(o[0]);
            if (o[1] == 1) {
                historian.record(TAG, TagValue.bad(Quality.BAD_COMMUNICATION_ERROR, at, "timeout"));
            } else if (o[1] == 2) {
                historian.markGap(TAG, at);
                markers++;
            } else {
                historian.record(TAG, TagValue.good(o[2] / 4.0, at));
            }
        }
        order.sort((a, b) -> Long.compare(a[0], b[0]));
        for (long[] o : order) {
            events.add(o[1] == 0 ? Brute.Event.usable(o[0], o[2] / 4.0) : Brute.Event.gap(o[0]));
        }
        ranges.add(new long[] {first - 1_000_000, last + 1_000_000});
        for (int i = 0; i < 6; i++) {
            long a = first + (long) (random.nextDouble() * (last - first));
            long b = a + (long) (random.nextDouble() * (last - a)) + 1;
            ranges.add(new long[] {a, b});
        }
        ranges.add(new long[] {first + 3_600_000_000L, first + 3_600_000_000L + 90_000_000L});
    }

    @AfterAll
    void close() {
        historian.close();
    }

    @Test
    void m4EqualsBruteForceInTheWritingProcessAndFromAnotherSessionAfterAFlush() throws Exception {
        assertThat(TestSupport.eventually(WAIT, () -> count(historian) == SAMPLES - markers)).isTrue();
        checkM4(historian);

        assertThat(historian.flush(WAIT)).isTrue();
        try (HistoryReader reader = Historian.openForReading(historian.file())) {
            checkM4(reader);
        }
        checkAggregates(historian);
    }

    @Test
    void aTrendReadsSummariesForWholeChunksAndDecodesOnlyTheIntervalsAtColumnEdges(@TempDir Path dir)
            throws Exception {
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        int n = 200_000;
        List<Brute.Event> regular = new ArrayList<>(n);
        try (Historian h = Historian.open(dir.resolve("regular"))) {
            Random random = new Random(5);
            double v = 100;
            for (int i = 0; i < n; i++) {
                v += random.nextGaussian();
                double value = (float) v;
                h.record(TAG, TagValue.good(value, t0.plusSeconds(i)));
                regular.add(Brute.Event.usable(Micros.of(t0) + 1_000_000L * i, value));
                if (i % 20_000 == 0) {
                    Thread.sleep(5);
                }
            }
            assertThat(h.flush(WAIT)).isTrue();
            try (HistoryReader reader = Historian.openForReading(h.file())) {
                long decodedBefore = h.queries().intervalsDecoded.sum();
                int width = 20;
                Instant to = t0.plusSeconds(n);
                List<TrendPoint> points = reader.m4(TAG, t0, to, width);
                assertThat(points).containsExactlyElementsOf(Brute.m4(regular, Micros.of(t0), Micros.of(to), width));
                // The reader has its own counters: ask the same of the writing process's queries.
                List<TrendPoint> again = h.m4(TAG, t0, to, width);
                assertThat(again).isEqualTo(points);
                long decoded = h.queries().intervalsDecoded.sum() - decodedBefore;
                // 200,000 samples are 391 intervals; a column edge cuts one of them.
                assertThat(decoded).isLessThanOrEqualTo(width + 1);
                assertThat(h.queries().summariesRead.sum()).isGreaterThan(20);
            }
        }
    }

    private void checkM4(HistorySource source) throws Exception {
        for (long[] r : ranges) {
            for (int width : new int[] {1, 7, 100, 500, 2_000, 5_000}) {
                List<TrendPoint> expected = Brute.m4(events, r[0], r[1], width);
                List<TrendPoint> actual = source.m4(TAG, Micros.toInstant(r[0]), Micros.toInstant(r[1]), width);
                assertThat(actual).as("range %s..%s, %d px", r[0], r[1], width).containsExactlyElementsOf(expected);
                assertThat(actual.stream().collect(Collectors.groupingBy(TrendPoint::column, Collectors.counting()))
                        .values()).allMatch(n -> n <= 4);
            }
        }
    }

    private void checkAggregates(HistorySource source) throws Exception {
        for (long[] r : ranges) {
            for (Duration width : new Duration[] {Duration.ofMinutes(7), Duration.ofHours(1), Duration.ofDays(1)}) {
                List<Aggregate> buckets = source.aggregate(TAG, Buckets.every(Micros.toInstant(r[0]),
                        Micros.toInstant(r[1]), width));
                for (Aggregate a : buckets) {
                    double[] e = Brute.aggregate(events, Micros.of(a.start()), Micros.of(a.end()));
                    assertThat(a.count()).isEqualTo((long) e[0]);
                    if (a.count() > 0) {
                        assertThat(new double[] {a.min(), a.max(), a.first(), a.last()})
                                .containsExactly(e[1], e[2], e[3], e[4]);
                        assertThat(a.sum()).isCloseTo(e[5], Offset.offset(1e-6));
                    }
                }
            }
        }
    }

    private static int count(Historian h) {
        try {
            return h.query(TAG, Instant.MIN, Instant.MAX).size();
        } catch (HistoryException e) {
            throw new IllegalStateException(e);
        }
    }
}
