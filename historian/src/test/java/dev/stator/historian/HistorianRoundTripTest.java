package dev.stator.historian;

import static dev.stator.historian.TestSupport.T0;
import static dev.stator.historian.TestSupport.WAIT;
import static dev.stator.historian.TestSupport.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stator.driver.api.Quality;
import dev.stator.driver.api.TagValue;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistorianRoundTripTest {

    @TempDir
    Path dir;

    private Historian historian;

    @BeforeEach
    void open() throws HistoryException {
        historian = Historian.open(dir.resolve("history").resolve("history"));
    }

    @AfterEach
    void close() {
        historian.close();
    }

    @Test
    void everyValueTypeQualityAndTimestampComesBackExactly() throws Exception {
        List<TagValue> recorded = List.of(
                new TagValue(null, Quality.BAD_COMMUNICATION_ERROR, at(0), null, "Modbus exception 02"),
                TagValue.good(true, at(1)),
                TagValue.good(false, at(2)),
                TagValue.good(Long.MIN_VALUE, at(3)),
                TagValue.good(Long.MAX_VALUE, at(4)),
                TagValue.good(0L, at(5)),
                TagValue.good(Double.NaN, at(6)),
                TagValue.good(-0.0, at(7)),
                TagValue.good(Double.POSITIVE_INFINITY, at(8)),
                TagValue.good(Double.NEGATIVE_INFINITY, at(9)),
                TagValue.good(0.1, at(10)),
                TagValue.good(Double.MIN_VALUE, at(11)),
                TagValue.good(-1.7976931348623157E308, at(12)),
                TagValue.good("text, with \"quotes\"\nand ünïcödé 𝄞", at(13)),
                TagValue.good("", at(14)),
                TagValue.of(21.5, Quality.UNCERTAIN_LAST_USABLE_VALUE, at(15)),
                // A code without a name, with info bits set: stored as the full 32-bit code.
                TagValue.of(7L, Quality.of(0x80AA_0001L), at(16)),
                TagValue.good(3.25, at(17)).withServerTime(at(17.5)),
                TagValue.good(4L, Instant.parse("1969-12-31T23:59:59.999999Z")),
                TagValue.good(5L, Instant.parse("2262-04-11T23:47:16.854775Z")));
        recorded.forEach(v -> historian.record("TT-101", v));

        assertThat(historian.flush(WAIT)).isTrue();

        List<TagValue> expected = new ArrayList<>(recorded);
        expected.sort((a, b) -> a.sourceTime().compareTo(b.sourceTime()));
        assertThat(historian.query("TT-101", Instant.MIN, Instant.MAX)).containsExactlyElementsOf(expected);
        assertThat(historian.writtenSamples()).isEqualTo(recorded.size());
        assertThat(historian.droppedSamples()).isZero();
    }

    @Test
    void timestampsAreKeptToTheMicrosecond() throws Exception {
        historian.record("PT-1", TagValue.good(1L, Instant.parse("2026-11-25T12:00:00.123456789Z"))
                .withServerTime(Instant.parse("2026-11-25T12:00:00.987654321Z")));
        assertThat(historian.flush(WAIT)).isTrue();

        TagValue back = historian.query("PT-1", T0, at(1)).get(0);
        assertThat(back.sourceTime()).isEqualTo(Instant.parse("2026-11-25T12:00:00.123456Z"));
        assertThat(back.serverTime()).isEqualTo(Instant.parse("2026-11-25T12:00:00.987654Z"));
    }

    @Test
    void outOfOrderAndLateSamplesComeBackInTimeOrder() throws Exception {
        historian.record("FT-7", TagValue.good(3L, at(3)));
        historian.record("FT-7", TagValue.good(1L, at(1)));
        historian.record("FT-7", TagValue.good(2L, at(2)));
        assertThat(historian.flush(WAIT)).isTrue();
        // Late samples, committed after later ones; two share a timestamp and keep their recording order.
        historian.record("FT-7", TagValue.good(0L, at(0)));
        historian.record("FT-7", TagValue.good(15L, at(1.5)));
        historian.record("FT-7", TagValue.good(16L, at(1.5)));
        assertThat(historian.flush(WAIT)).isTrue();

        assertThat(historian.query("FT-7", T0, at(10))).extracting(TagValue::value)
                .containsExactly(0L, 1L, 15L, 16L, 2L, 3L);
        assertThat(historian.lastBefore("FT-7", at(2))).map(TagValue::value).contains(16L);
    }

    @Test
    void lateAndOutOfOrderSamplesAcrossManyChunksComeBackExactlyInTimeOrder() throws Exception {
        Random random = new Random(99);
        List<TagValue> recorded = new ArrayList<>();
        long t = 0;
        for (int i = 0; i < 20_000; i++) {
            t += random.nextInt(3);
            // Mostly in order, some shuffled a little, some late by up to an hour; ties keep the recording order.
            long at = random.nextInt(20) == 0 ? Math.max(0, t - random.nextInt(60))
                    : random.nextInt(200) == 0 ? Math.max(0, t - random.nextInt(3_600)) : t;
            Object value = random.nextInt(10) == 0 ? (Object) (long) i
                    : (Object) (double) (float) random.nextGaussian();
            recorded.add(TagValue.good(value, at(at)));
        }
        recorded.forEach(v -> historian.record("MIX", v));
        assertThat(historian.flush(WAIT)).isTrue();

        List<TagValue> expected = new ArrayList<>(recorded);
        expected.sort((a, b) -> a.sourceTime().compareTo(b.sourceTime()));
        assertThat(historian.query("MIX", Instant.MIN, Instant.MAX)).containsExactlyElementsOf(expected);
        historian.close();
        try (HistoryReader reader = Historian.openForReading(dir.resolve("history").resolve("history"))) {
            assertThat(reader.query("MIX", Instant.MIN, Instant.MAX)).containsExactlyElementsOf(expected);
            Instant from = at(5_000);
            Instant to = at(9_000);
            assertThat(reader.query("MIX", from, to)).containsExactlyElementsOf(expected.stream()
                    .filter(v -> !v.sourceTime().isBefore(from) && v.sourceTime().isBefore(to)).toList());
            assertThat(reader.lastBefore("MIX", to)).contains(expected.stream()
                    .filter(v -> v.sourceTime().isBefore(to)).reduce((a, b) -> b).orElseThrow());
        }
        historian = Historian.open(dir.resolve("history").resolve("history"));
    }

    @Test
    void rangeIncludesFromAndExcludesTo() throws Exception {
        for (int i = 0; i < 5; i++) {
            historian.record("LT-3", TagValue.good((long) i, at(i)));
        }
        assertThat(historian.flush(WAIT)).isTrue();

        assertThat(historian.query("LT-3", at(1), at(3))).extracting(TagValue::value).containsExactly(1L, 2L);
        // A bound between two microseconds: the sample at 1 s is before it, the one at 3 s is before the end.
        assertThat(historian.query("LT-3", at(1).plusNanos(1), at(3).plusNanos(1)))
                .extracting(TagValue::value).containsExactly(2L, 3L);
        assertThat(historian.query("LT-3", at(3), at(3))).isEmpty();
        assertThat(historian.query("LT-3", at(4), at(1))).isEmpty();
        assertThat(historian.query("nobody", Instant.MIN, Instant.MAX)).isEmpty();
    }

    @Test
    void noValueYetIsNeverRecorded() throws Exception {
        historian.record("TT-101", TagValue.NO_VALUE_YET);
        assertThat(historian.flush(WAIT)).isTrue();

        assertThat(historian.tags()).isEmpty();
        assertThat(historian.writtenSamples()).isZero();
        assertThat(historian.droppedSamples()).isZero();
    }

    @Test
    void tagsAndLastBefore() throws Exception {
        historian.record("b", TagValue.good(1L, at(1)));
        historian.record("a", TagValue.good(2L, at(2)));
        historian.record("a", TagValue.good(3L, at(3)));
        assertThat(historian.flush(WAIT)).isTrue();

        assertThat(historian.tags()).containsExactly("a", "b");
        assertThat(historian.hasHistory("a")).isTrue();
        assertThat(historian.hasHistory("c")).isFalse();
        assertThat(historian.lastBefore("a", at(3))).map(TagValue::value).contains(2L);
        assertThat(historian.lastBefore("a", at(100))).map(TagValue::value).contains(3L);
        assertThat(historian.lastBefore("a", at(2))).isEmpty();
        assertThat(historian.lastBefore("c", at(2))).isEmpty();
    }

    @Test
    void streamHandsOverALongRangeInOrderAndStopsOnAVisitorError() throws Exception {
        int count = 30_000;
        for (int i = 0; i < count; i++) {
            historian.record("ST-1", TagValue.good((double) i, at(i * 0.001)));
        }
        assertThat(historian.flush(WAIT)).isTrue();

        long[] last = {-1};
        long visited = historian.stream("ST-1", Instant.MIN, Instant.MAX, sample -> {
            long value = ((Double) sample.value()).longValue();
            assertThat(value).isEqualTo(last[0] + 1);
            last[0] = value;
        });
        assertThat(visited).isEqualTo(count);

        int[] seen = {0};
        assertThatThrownBy(() -> historian.stream("ST-1", Instant.MIN, Instant.MAX, sample -> {
            if (++seen[0] == 3) {
                throw new IOException("disk full");
            }
        })).isInstanceOf(IOException.class).hasMessage("disk full");
        assertThat(seen[0]).isEqualTo(3);
    }

    @Test
    void rangeQueriesWalkTheChunkKeyInsteadOfSorting() throws Exception {
        try (Connection connection = HistoryFile.of(historian.file()).connect(true, false);
             PreparedStatement explain = connection.prepareStatement("EXPLAIN " + ChunkStore.SELECT_RANGE)) {
            explain.setInt(1, 1);
            explain.setLong(2, 0);
            explain.setLong(3, 1);
            explain.setLong(4, 0);
            try (ResultSet plan = explain.executeQuery()) {
                plan.next();
                assertThat(plan.getString(1)).contains("PRIMARY_KEY").contains("index sorted");
            }
        }
    }
}
