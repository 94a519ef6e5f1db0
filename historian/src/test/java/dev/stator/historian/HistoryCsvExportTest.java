package dev.stator.historian;

import static dev.stator.historian.TestSupport.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stator.driver.api.Quality;
import dev.stator.driver.api.TagValue;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistoryCsvExportTest {

    private static final Instant T0 = Instant.parse("2026-11-25T12:00:00Z");

    @TempDir
    Path dir;

    private Historian historian;

    @BeforeEach
    void open() {
        try {
            historian = Historian.open(dir.resolve("history"));
        } catch (HistoryException e) {
            throw new AssertionError(e);
        }
    }

    @AfterEach
    void close() {
        historian.close();
    }

    @Test
    void rawExportOfManyTagsIsOneRowPerSampleInTimeOrderAcrossTags() throws Exception {
        historian.record("P-101", TagValue.good(1.5, t("12:00:00")));
        historian.record("P-102", TagValue.good(7L, t("12:00:00.5")));
        historian.record("P-101", TagValue.good(true, t("12:00:01")));
        historian.record("P-102", TagValue.good(8L, t("12:00:01"))); // same time as P-101: tag order decides
        historian.record("P-101", TagValue.bad(Quality.BAD_TIMEOUT, t("12:00:02"), "no answer"));
        historian.record("P-102", TagValue.of("a;b,\"c\"", Quality.UNCERTAIN_LAST_USABLE_VALUE,
                t("12:00:02.000125")));
        historian.record("P-101", TagValue.good(2.0, t("12:00:03")));
        historian.record("P-101", TagValue.good(3.0, t("12:00:03"))); // equal times: recording order
        historian.record("P-102", TagValue.good(0.1f, t("12:00:04")));
        historian.record("P-101", TagValue.good(99.0, t("12:00:10"))); // after the range
        assertThat(historian.flush(WAIT)).isTrue();

        StringWriter out = new StringWriter();
        long rows = HistoryCsv.export(historian, HistoryExport.raw(List.of("P-101", "P-102"), T0, t("12:00:10")),
                out);

        assertThat(rows).isEqualTo(9);
        assertThat(out.toString()).isEqualTo("""
                time,tag,value,quality
                2026-11-25T12:00:00.000Z,P-101,1.5,Good
                2026-11-25T12:00:00.500Z,P-102,7,Good
                2026-11-25T12:00:01.000Z,P-101,true,Good
                2026-11-25T12:00:01.000Z,P-102,8,Good
                2026-11-25T12:00:02.000Z,P-101,,Bad_Timeout
                2026-11-25T12:00:02.000125Z,P-102,"a;b,""c\""",Uncertain_LastUsableValue
                2026-11-25T12:00:03.000Z,P-101,2.0,Good
                2026-11-25T12:00:03.000Z,P-101,3.0,Good
                2026-11-25T12:00:04.000Z,P-102,0.10000000149011612,Good
                """);
    }

    @Test
    void rawExportHoldsOnePageOfSamplesPerTagAndLosesNoEqualTimestampsAtPageEdges() throws Exception {
        List<String> tags = List.of("A", "B", "C");
        for (int i = 0; i < 3_000; i++) {
            for (int k = 0; k < tags.size(); k++) {
                // Runs of 250 samples with one timestamp, longer than a page.
                Instant time = i >= 1_000 && i < 1_250 ? T0.plusSeconds(1_000) : T0.plusMillis(1_000L * i + k);
                historian.record(tags.get(k), TagValue.good((long) i, time));
            }
        }
        assertThat(historian.flush(WAIT)).isTrue();
        HistoryExport export = HistoryExport.raw(tags, T0, T0.plus(Duration.ofDays(1)));

        StringWriter paged = new StringWriter();
        HistoryCsv.Stats stats = new HistoryCsv.Stats();
        long rows = HistoryCsv.export(historian, export, paged, n -> true, 100, stats);
        StringWriter whole = new StringWriter();
        HistoryCsv.export(historian, export, whole, n -> true, 1_000_000, new HistoryCsv.Stats());

        assertThat(rows).isEqualTo(9_000);
        assertThat(stats.mostHeld).isLessThanOrEqualTo(100);
        assertThat(stats.pages).isGreaterThanOrEqualTo(90);
        assertThat(paged.toString()).isEqualTo(whole.toString());
        // Every value of each tag once, in order.
        List<String> lines = paged.toString().lines().skip(1).toList();
        for (String tag : tags) {
            List<Long> values = new ArrayList<>();
            lines.stream().map(l -> l.split(",")).filter(f -> f[1].equals(tag))
                    .forEach(f -> values.add(Long.parseLong(f[2])));
            assertThat(values).hasSize(3_000).isSorted();
            assertThat(values.stream().distinct().count()).isEqualTo(3_000);
        }
    }

    @Test
    void binnedExportIsTheAggregateQueryBucketByBucket() throws Exception {
        for (int i = 0; i < 3_603; i++) {
            historian.record("FT-101", TagValue.good(Math.sin(i / 100.0) * 10, T0.plusSeconds(i)));
            if (i % 7 == 0) {
                historian.record("LT-101", TagValue.good((long) i, T0.plusSeconds(i).plusMillis(500)));
            }
        }
        historian.record("LT-101", TagValue.bad(Quality.BAD_NOT_CONNECTED, T0.plusSeconds(100), "down"));
        assertThat(historian.flush(WAIT)).isTrue();
        Instant to = T0.plusSeconds(3_605);
        Duration width = Duration.ofSeconds(10);
        HistoryExport export = HistoryExport.binned(List.of("FT-101", "LT-101"), T0, to, width);

        StringWriter out = new StringWriter();
        HistoryCsv.Stats stats = new HistoryCsv.Stats();
        long rows = HistoryCsv.export(historian, export, out, n -> true, 7, stats);

        Buckets buckets = Buckets.every(T0, to, width);
        List<Aggregate> ft = historian.aggregate("FT-101", buckets);
        List<Aggregate> lt = historian.aggregate("LT-101", buckets);
        StringBuilder expected = new StringBuilder("start,tag,count,min,max,avg,first,last\n");
        for (int b = 0; b < buckets.count(); b++) {
            expected.append(binnedRow("FT-101", ft.get(b))).append(binnedRow("LT-101", lt.get(b)));
        }
        assertThat(rows).isEqualTo(2L * buckets.count());
        assertThat(out.toString()).isEqualTo(expected.toString());
        assertThat(stats.mostPerQuery).isEqualTo(7);
        assertThat(out.toString()).contains("\n2026-11-25T13:00:00.000Z,FT-101,3,")
                .endsWith("2026-11-25T13:00:00.000Z,LT-101,0,,,,,\n");
    }

    private static String binnedRow(String tag, Aggregate a) {
        if (a.count() == 0) {
            return CsvValues.time(a.start(), null) + "," + tag + ",0,,,,,\n";
        }
        return String.join(",", CsvValues.time(a.start(), null), tag, Long.toString(a.count()), n(a.min()),
                n(a.max()), n(a.average()), n(a.first()), n(a.last())) + "\n";
    }

    private static String n(double d) {
        return CsvValues.number(d, '.');
    }

    @Test
    void interpolatedExportIsWideAtAFixedStepWithGapsEmpty() throws Exception {
        historian.configure("V-101", TagHistorySettings.LOSSLESS.withInterpolation(Interpolation.STEP));
        historian.record("LT-101", TagValue.good(0.0, T0));
        historian.record("LT-101", TagValue.good(10.0, T0.plusSeconds(10)));
        historian.record("LT-101", TagValue.bad(Quality.BAD_TIMEOUT, T0.plusSeconds(20), "no answer"));
        historian.record("LT-101", TagValue.good(4.0, T0.plusSeconds(30)));
        historian.record("V-101", TagValue.good(true, T0.plusSeconds(5)));
        historian.record("V-101", TagValue.good(false, T0.plusSeconds(25)));
        assertThat(historian.flush(WAIT)).isTrue();
        HistoryExport export = HistoryExport.interpolated(List.of("LT-101", "V-101"), T0, T0.plusSeconds(35),
                Duration.ofSeconds(5));

        StringWriter out = new StringWriter();
        HistoryCsv.Stats stats = new HistoryCsv.Stats();
        HistoryCsv.export(historian, export, out, n -> true, 3, stats);

        assertThat(out.toString()).isEqualTo("""
                time,LT-101,V-101
                2026-11-25T12:00:00.000Z,0.0,
                2026-11-25T12:00:05.000Z,5.0,1.0
                2026-11-25T12:00:10.000Z,10.0,1.0
                2026-11-25T12:00:15.000Z,10.0,1.0
                2026-11-25T12:00:20.000Z,,1.0
                2026-11-25T12:00:25.000Z,,0.0
                2026-11-25T12:00:30.000Z,4.0,0.0
                """);
        assertThat(stats.mostPerQuery).isEqualTo(3);
        // The same values as one query over the whole range.
        List<InterpolatedValue> whole = historian.interpolate("LT-101", T0, T0.plusSeconds(35),
                Duration.ofSeconds(5));
        assertThat(whole).hasSize(7);
        assertThat(whole.get(4).isGap()).isTrue();
    }

    @Test
    void separatorsDecimalMarksAndZonesChangeOnlyTheText() throws Exception {
        historian.record("TT-101", TagValue.good(21.5, T0));
        historian.record("TT-101", TagValue.good(-0.0, T0.plusMillis(1)));
        historian.record("TT-101", TagValue.good(1e20, T0.plusSeconds(1)));
        assertThat(historian.flush(WAIT)).isTrue();
        HistoryExport raw = HistoryExport.raw(List.of("TT-101"), T0, T0.plusSeconds(2));

        StringWriter semicolon = new StringWriter();
        HistoryCsv.export(historian, raw.withDialect(new CsvDialect(';', ',', ZoneId.of("Europe/Berlin"))),
                semicolon);
        assertThat(semicolon.toString()).isEqualTo("""
                time;tag;value;quality
                2026-11-25T13:00:00.000+01:00;TT-101;21,5;Good
                2026-11-25T13:00:00.001+01:00;TT-101;-0,0;Good
                2026-11-25T13:00:01.000+01:00;TT-101;100000000000000000000,0;Good
                """);

        StringWriter tab = new StringWriter();
        HistoryCsv.export(historian, raw.withDialect(new CsvDialect('\t', '.', ZoneId.of("UTC"))), tab);
        assertThat(tab.toString()).startsWith("time\ttag\tvalue\tquality\n2026-11-25T12:00:00.000Z\tTT-101\t21.5\t");

        StringWriter single = new StringWriter();
        HistoryCsv.write(historian, "TT-101", T0, T0.plusSeconds(2), new CsvDialect(';', ',', null), single);
        assertThat(single.toString()).isEqualTo("""
                time;value;quality
                2026-11-25T12:00:00.000Z;21,5;Good
                2026-11-25T12:00:00.001Z;-0;Good
                2026-11-25T12:00:01.000Z;100000000000000000000;Good
                """);

        assertThatThrownBy(() -> new CsvDialect(',', ',', null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("a decimal comma needs another separator than the comma");
    }

    @Test
    void theSingleTagLayoutWithTheDefaultDialectIsTheOldText() throws Exception {
        historian.record("TT-101", TagValue.good(2.1f, T0.plusNanos(125_999_000)));
        historian.record("TT-101", TagValue.good(1.0, T0.plusSeconds(1)));
        assertThat(historian.flush(WAIT)).isTrue();
        StringWriter old = new StringWriter();
        StringWriter dialect = new StringWriter();

        HistoryCsv.write(historian, "TT-101", T0, T0.plusSeconds(2), old);
        HistoryCsv.write(historian, "TT-101", T0, T0.plusSeconds(2), CsvDialect.DEFAULT, dialect);

        assertThat(old.toString()).isEqualTo("""
                time,value,quality
                2026-11-25T12:00:00.125Z,2.1,Good
                2026-11-25T12:00:01.000Z,1,Good
                """);
        assertThat(dialect.toString()).isEqualTo(old.toString());
    }

    @Test
    void anExportStopsWhenTheProgressSaysSoAndAnUnknownTagIsRefusedBeforeWriting() throws Exception {
        for (int i = 0; i < 5_000; i++) {
            historian.record("TT-101", TagValue.good((long) i, T0.plusSeconds(i)));
        }
        assertThat(historian.flush(WAIT)).isTrue();
        HistoryExport export = HistoryExport.raw(List.of("TT-101"), T0, T0.plus(Duration.ofDays(1)));
        List<Long> reported = new ArrayList<>();

        assertThatThrownBy(() -> HistoryCsv.export(historian, export, new StringWriter(), n -> {
            reported.add(n);
            return n < 2_000;
        })).isInstanceOf(CancellationException.class).hasMessageContaining("2000 rows");
        assertThat(reported).containsExactly(1_000L, 2_000L);

        StringWriter out = new StringWriter();
        assertThatThrownBy(() -> HistoryCsv.export(historian,
                HistoryExport.raw(List.of("TT-101", "NOPE"), T0, T0.plusSeconds(1)), out))
                .isInstanceOf(UnknownTagException.class).hasMessageContaining("'NOPE'");
        assertThat(out.toString()).isEmpty();
    }

    private static Instant t(String localTime) {
        return Instant.parse("2026-11-25T" + localTime + "Z");
    }

    @Test
    void binnedAndInterpolatedRangesStartOnAWholeStepOfTheClock() {
        ZoneId berlin = ZoneId.of("Europe/Berlin");
        ZoneId utc = ZoneId.of("UTC");
        Instant t = Instant.parse("2026-11-25T10:07:23.456Z");
        assertThat(HistoryExport.alignDown(t, Duration.ofMinutes(15), utc))
                .isEqualTo(Instant.parse("2026-11-25T10:00:00Z"));
        assertThat(HistoryExport.alignDown(t, Duration.ofSeconds(10), utc))
                .isEqualTo(Instant.parse("2026-11-25T10:07:20Z"));
        // A day is a local day: midnight in Berlin is 23:00 UTC in winter.
        assertThat(HistoryExport.alignDown(t, Duration.ofDays(1), berlin))
                .isEqualTo(Instant.parse("2026-11-24T23:00:00Z"));
        // The day of the change to summer time: hours count from local midnight, 23:00 UTC the day before.
        assertThat(HistoryExport.alignDown(Instant.parse("2026-03-29T03:30:00Z"), Duration.ofHours(1), berlin))
                .isEqualTo(Instant.parse("2026-03-29T03:00:00Z"));
        // A step that does not divide a day leaves the start as it is; so does a start already on a step.
        assertThat(HistoryExport.alignDown(t, Duration.ofMinutes(7), utc)).isEqualTo(t);
        Instant whole = Instant.parse("2026-11-25T10:00:00Z");
        assertThat(HistoryExport.alignDown(whole, Duration.ofMinutes(15), utc)).isEqualTo(whole);
    }
}
