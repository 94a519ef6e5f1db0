package dev.stator.historian;

import static dev.stator.historian.TestSupport.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stator.driver.api.Quality;
import dev.stator.driver.api.TagValue;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistoryCsvImportTest {

    private static final Instant T0 = Instant.parse("2026-11-25T12:00:00Z");
    private static final Instant END = T0.plus(Duration.ofDays(1));

    @TempDir
    Path dir;

    @Test
    void exportThenImportIntoAFreshDatabaseGivesBackTheSameSamplesForEveryDialect() throws Exception {
        List<String> tags = List.of("LT-101", "P-101.RUNNING", "MSG");
        try (Historian source = Historian.open(dir.resolve("source"))) {
            source.record("LT-101", TagValue.good(2.1f, T0.plusNanos(125_999_000))); // float32, microseconds
            source.record("LT-101", TagValue.good(0.1 + 0.2, T0.plusSeconds(1)));
            source.record("LT-101", TagValue.good(-0.0, T0.plusSeconds(2)));
            source.record("LT-101", TagValue.good(1e-7, T0.plusSeconds(3)));
            source.record("LT-101", TagValue.good(1e20, T0.plusSeconds(4)));
            source.record("LT-101", TagValue.good(Double.NaN, T0.plusSeconds(5)));
            source.record("LT-101", TagValue.good(Double.NEGATIVE_INFINITY, T0.plusSeconds(5))); // same time
            source.record("LT-101", TagValue.good(1.0, T0.plusSeconds(6)));
            source.record("LT-101", TagValue.bad(Quality.BAD_COMMUNICATION_ERROR, T0.plusSeconds(7), null));
            source.record("P-101.RUNNING", TagValue.good(true, T0.plusSeconds(1)));
            source.record("P-101.RUNNING", TagValue.of(-42L, Quality.UNCERTAIN_SUBSTITUTE_VALUE, T0.plusSeconds(3)));
            source.record("P-101.RUNNING", TagValue.of(Long.MAX_VALUE, Quality.of(0x80AA_0000L), T0.plusSeconds(4)));
            source.record("MSG", TagValue.good("line one\nline \"two\"; three, four", T0.plusSeconds(2)));
            source.record("MSG", TagValue.good("", T0.plusSeconds(3)));
            assertThat(source.flush(WAIT)).isTrue();
            List<List<TagValue>> original = List.of(source.query("LT-101", T0, END),
                    source.query("P-101.RUNNING", T0, END), source.query("MSG", T0, END));

            int n = 0;
            for (CsvDialect dialect : List.of(CsvDialect.DEFAULT, new CsvDialect(';', ',', ZoneId.of("Europe/Berlin")),
                    new CsvDialect('\t', '.', ZoneId.of("America/New_York")))) {
                Path csv = dir.resolve("export-" + n + ".csv");
                StringWriter text = new StringWriter();
                HistoryCsv.export(source, HistoryExport.raw(tags, T0, END).withDialect(dialect), text);
                Files.writeString(csv, text.toString());

                try (Historian copy = Historian.open(dir.resolve("copy-" + n++))) {
                    HistoryCsvImport.Result result = HistoryCsvImport.read(csv, HistoryCsvImport.Options.DEFAULT
                            .withDecimalMark(dialect.decimalMark()), copy, WAIT);

                    assertThat(result.samples()).isEqualTo(14);
                    assertThat(result.tags()).containsExactly("LT-101", "MSG", "P-101.RUNNING");
                    for (int k = 0; k < tags.size(); k++) {
                        List<TagValue> back = copy.query(tags.get(k), T0, END);
                        assertThat(back).as(dialect + " " + tags.get(k)).hasSize(original.get(k).size());
                        for (int i = 0; i < back.size(); i++) {
                            TagValue a = original.get(k).get(i);
                            TagValue b = back.get(i);
                            assertThat(b.sourceTime()).isEqualTo(a.sourceTime());
                            assertThat(b.quality().code()).isEqualTo(a.quality().code());
                            assertThat(b.value()).as(a.toString()).isEqualTo(a.value());
                        }
                    }
                    StringWriter again = new StringWriter();
                    HistoryCsv.export(copy, HistoryExport.raw(tags, T0, END).withDialect(dialect), again);
                    assertThat(again.toString()).isEqualTo(text.toString());
                }
            }
        }
    }

    @Test
    void theWideAndTheSingleTagLayoutsImportToo() throws Exception {
        Path wide = write("wide.csv", "\uFEFFtime;FT-101;LT-101\n"
                + "2026-11-25 13:00:00;1,5;2\n"
                + "2026-11-25 13:00:01;;2,25\n");
        Path single = write("single.csv", "time,value,quality\n"
                + "2026-11-25T12:00:00.000Z,21.5,Good\n"
                + "2026-11-25T12:00:01.000Z,,Bad_Timeout\n");
        try (Historian h = Historian.open(dir.resolve("history"))) {
            HistoryCsvImport.Result w = HistoryCsvImport.read(wide, HistoryCsvImport.Options.DEFAULT
                    .withDecimalMark(',').withZone(ZoneId.of("Europe/Berlin")), h, WAIT);
            HistoryCsvImport.Result s = HistoryCsvImport.read(single,
                    HistoryCsvImport.Options.DEFAULT.withTag("TT-101"), h, WAIT);

            assertThat(w.rows()).isEqualTo(2);
            assertThat(w.samples()).isEqualTo(3);
            assertThat(s.samples()).isEqualTo(2);
            assertThat(h.query("FT-101", T0, END)).containsExactly(TagValue.good(1.5, T0));
            assertThat(h.query("LT-101", T0, END)).containsExactly(TagValue.good(2L, T0),
                    TagValue.good(2.25, T0.plusSeconds(1)));
            assertThat(h.query("TT-101", T0, END)).containsExactly(TagValue.good(21.5, T0),
                    new TagValue(null, Quality.BAD_TIMEOUT, T0.plusSeconds(1), null, null));
        }
    }

    @Test
    void aBadLineStopsTheImportWithItsLineAndColumnAndNothingIsImported() throws Exception {
        StringBuilder text = new StringBuilder("time,tag,value,quality\n");
        for (int i = 0; i < 5_000; i++) {
            text.append(T0.plusSeconds(i)).append(",TT-101,").append(i).append(",Good\n");
        }
        text.append("\n\"2026-11-25T14:00:00Z\",MSG,\"two\nlines\",Good\n"); // an empty line, a quoted break
        text.append("yesterday,TT-101,1,Good\n");
        Path csv = write("bad.csv", text.toString());

        try (Historian h = Historian.open(dir.resolve("history"))) {
            assertThatThrownBy(() -> HistoryCsvImport.read(csv, HistoryCsvImport.Options.DEFAULT, h, WAIT))
                    .isInstanceOfSatisfying(CsvImportException.class, e -> {
                        assertThat(e.line()).isEqualTo(5_005);
                        assertThat(e.column()).isEqualTo(1);
                        assertThat(e.getMessage()).isEqualTo(csv + " line 5005, column 1 (time): 'yesterday' is not"
                                + " a time: write it as 2026-11-25T12:00:00.000Z or 2026-11-25T13:00:00+01:00;"
                                + " nothing was imported");
                    });
            assertThat(h.flush(WAIT)).isTrue();
            assertThat(h.tags()).isEmpty();
        }
    }

    @Test
    void eachKindOfMistakeIsNamedWithWhatToDo() throws Exception {
        assertThat(problem("time,tag,value\n2026-11-25T12:00:00Z,TT-101\n", HistoryCsvImport.Options.DEFAULT))
                .endsWith("line 2: 2 fields, the header has 3 (time,tag,value); fix that line, or quote a value that"
                        + " holds the separator ','; nothing was imported");
        assertThat(problem("time,tag,value,quality\n2026-11-25T12:00:00Z,TT-101,1,Gud\n",
                HistoryCsvImport.Options.DEFAULT))
                .contains("line 2, column 4 (quality): unknown quality 'Gud'");
        assertThat(problem("time;tag;value\n2026-11-25T12:00:00Z;TT-101;1,5\n", HistoryCsvImport.Options.DEFAULT))
                .contains("line 2, column 3 (value): '1,5' looks like a number with a decimal comma; give the"
                        + " decimal mark ','");
        assertThat(problem("time,tag,value\n2026-11-25 12:00:00,TT-101,1\n", HistoryCsvImport.Options.DEFAULT))
                .contains("line 2, column 1 (time): '2026-11-25 12:00:00' has no offset")
                .contains("--zone");
        assertThat(problem("time,tag,value\n2026-11-25T12:00:00Z,,1\n", HistoryCsvImport.Options.DEFAULT))
                .contains("line 2, column 2 (tag): the tag name is empty");
        assertThat(problem("time,value,quality\n", HistoryCsvImport.Options.DEFAULT))
                .contains("line 1, column 2 (value): a single-tag file").contains("--tag NAME");
        assertThat(problem("start,tag,count,min,max,avg,first,last\n", HistoryCsvImport.Options.DEFAULT))
                .contains("binned export");
        assertThat(problem("time,tag,value\n", HistoryCsvImport.Options.DEFAULT.withSeparator(',')
                .withDecimalMark(','))).contains("a decimal comma needs another separator");
    }

    @Test
    void aLongFileIsImportedWithoutDroppingSamples() throws Exception {
        StringBuilder text = new StringBuilder("time,tag,value\n");
        for (int i = 0; i < 150_000; i++) {
            text.append(T0.plusMillis(i)).append(",TAG-").append(i % 3).append(',').append(i).append('\n');
        }
        Path csv = write("long.csv", text.toString());
        HistorianSettings small = HistorianSettings.defaults().withQueueCapacity(5_000);
        try (Historian h = Historian.open(dir.resolve("history"), small)) {
            HistoryCsvImport.Result result = HistoryCsvImport.read(csv, HistoryCsvImport.Options.DEFAULT, h, WAIT);

            assertThat(result.samples()).isEqualTo(150_000);
            assertThat(h.droppedSamples()).isZero();
            assertThat(h.query("TAG-1", T0, END)).hasSize(50_000);
        }
    }

    private String problem(String text, HistoryCsvImport.Options options) throws Exception {
        Path csv = write("problem.csv", text);
        try {
            HistoryCsvImport.check(csv, options);
        } catch (CsvImportException e) {
            assertThat(e.getMessage()).startsWith(csv.toString());
            return e.getMessage();
        }
        throw new AssertionError("no error for " + text);
    }

    private Path write(String name, String text) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }
}
