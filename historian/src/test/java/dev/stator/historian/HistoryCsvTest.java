package dev.stator.historian;

import static dev.stator.historian.TestSupport.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stator.driver.api.Quality;
import dev.stator.driver.api.TagValue;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistoryCsvTest {

    @TempDir
    Path dir;

    private Historian historian;

    @BeforeEach
    void open() throws Exception {
        historian = Historian.open(dir.resolve("history"));
        record(TagValue.good(21.5, t("2026-11-25T12:00:00.125Z")));
        record(TagValue.good(42L, t("2026-11-25T12:00:01Z")));
        record(TagValue.good(true, t("2026-11-25T12:00:02.000999Z")));
        record(TagValue.bad(Quality.BAD_COMMUNICATION_ERROR, t("2026-11-25T12:00:03Z"),
                "timeout"));
        record(TagValue.of("a,b \"c\"", Quality.UNCERTAIN_LAST_USABLE_VALUE,
                t("2026-11-25T12:00:04Z")));
        record(TagValue.good(1e-7, t("2026-11-25T12:00:05Z")));
        record(TagValue.good(1e20, t("2026-11-25T12:00:06Z")));
        record(TagValue.good(Double.NaN, t("2026-11-25T12:00:07Z")));
        record(TagValue.good(0.1 + 0.2, t("2026-11-25T12:00:08Z")));
        record(TagValue.good(1.0, t("2026-11-25T12:00:09Z")));
        // Outside the exported range.
        record(TagValue.good(99L, t("2026-11-25T12:00:10Z")));
        historian.record("OTHER", TagValue.good(1L, t("2026-11-25T12:00:05Z")));
        assertThat(historian.flush(WAIT)).isTrue();
    }

    @AfterEach
    void close() {
        historian.close();
    }

    @Test
    void exportWritesTheExactText() throws Exception {
        StringWriter out = new StringWriter();

        long rows = HistoryCsv.write(historian, "TT-101", t("2026-11-25T12:00:00Z"), t("2026-11-25T12:00:10Z"), out);

        assertThat(rows).isEqualTo(10);
        assertThat(out.toString()).isEqualTo(""
                + "time,value,quality\n"
                + "2026-11-25T12:00:00.125Z,21.5,Good\n"
                + "2026-11-25T12:00:01.000Z,42,Good\n"
                + "2026-11-25T12:00:02.000Z,true,Good\n"
                + "2026-11-25T12:00:03.000Z,,Bad_CommunicationError\n"
                + "2026-11-25T12:00:04.000Z,\"a,b \"\"c\"\"\",Uncertain_LastUsableValue\n"
                + "2026-11-25T12:00:05.000Z,0.0000001,Good\n"
                + "2026-11-25T12:00:06.000Z,100000000000000000000,Good\n"
                + "2026-11-25T12:00:07.000Z,NaN,Good\n"
                + "2026-11-25T12:00:08.000Z,0.30000000000000004,Good\n"
                + "2026-11-25T12:00:09.000Z,1,Good\n");
    }

    @Test
    void exportOfAnEmptyRangeIsTheHeaderOnly() throws Exception {
        StringWriter out = new StringWriter();

        assertThat(HistoryCsv.write(historian, "TT-101", t("2027-01-01T00:00:00Z"), Instant.MAX, out)).isZero();
        assertThat(out.toString()).isEqualTo("time,value,quality\n");
    }

    @Test
    void unknownTagIsAnErrorNamingTheTag() {
        StringWriter out = new StringWriter();

        assertThatThrownBy(() -> HistoryCsv.write(historian, "TT-999", Instant.MIN, Instant.MAX, out))
                .isInstanceOf(UnknownTagException.class)
                .hasMessageContaining("'TT-999'")
                .hasMessageContaining(historian.file().toString());
        assertThat(out.toString()).isEmpty();
    }

    private void record(TagValue value) {
        historian.record("TT-101", value);
    }

    private static Instant t(String iso) {
        return Instant.parse(iso);
    }
}
