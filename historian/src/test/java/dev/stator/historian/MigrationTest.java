package dev.stator.historian;

import static dev.stator.historian.TestSupport.at;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stator.driver.api.Quality;
import dev.stator.driver.api.TagValue;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A database of schema version 1 (one row per sample), written the way version 1 wrote it, opened by this one. */
class MigrationTest {

    @TempDir
    Path dir;

    @Test
    void aVersion1DatabaseMigratesInPlaceWithItsDataIntact() throws Exception {
        Path db = dir.resolve("history");
        List<TagValue> mixed = List.of(
                new TagValue(null, Quality.BAD_COMMUNICATION_ERROR, at(0), null, "Modbus exception 02"),
                TagValue.good(true, at(1)),
                TagValue.good(Long.MIN_VALUE, at(2)),
                TagValue.good(Double.NaN, at(3)),
                TagValue.good(-0.0, at(4)),
                TagValue.good("text, with \"quotes\" and ünïcödé 𝄞", at(5)),
                TagValue.good(List.of(1.5, -0.0, Double.NaN), at(6)),
                TagValue.good(List.of(1L, 2L), at(7)),
                TagValue.of(21.5, Quality.UNCERTAIN_LAST_USABLE_VALUE, at(8)),
                TagValue.of(7L, Quality.of(0x80AA_0001L), at(9)),
                TagValue.good(3.25, at(10)).withServerTime(at(10.5)),
                // Equal timestamps: version 1 returned them in insertion order.
                TagValue.good(1L, at(11)),
                TagValue.good(2L, at(11)));
        List<TagValue> many = new ArrayList<>();
        Random random = new Random(8);
        for (int i = 0; i < 10_000; i++) {
            many.add(TagValue.good((double) (float) (20 + random.nextGaussian()), at(100 + i)));
        }
        try (Connection connection = HistoryFile.of(db).connect(false, false)) {
            new SchemaMigrator(SchemaMigrator.STEPS.subList(0, 1)).migrate(connection);
            writeVersion1(connection, "TT-101", mixed);
            writeVersion1(connection, "FT-7", many);
            assertThat(SchemaMigrator.currentVersion(connection)).isEqualTo(1);
        }

        try (Historian historian = Historian.open(db)) {
            assertThat(historian.query("TT-101", Instant.MIN, Instant.MAX)).containsExactlyElementsOf(mixed);
            assertThat(historian.query("FT-7", Instant.MIN, Instant.MAX)).containsExactlyElementsOf(many);
            assertThat(historian.tags()).containsExactly("FT-7", "TT-101");
            // The history stopped for the upgrade: no line from the last old sample to the next new one.
            assertThat(historian.interpolate("FT-7", at(10_099), at(10_101), Duration.ofSeconds(1)))
                    .extracting(InterpolatedValue::isGap).containsExactly(false, true);
        }
        try (Connection connection = HistoryFile.of(db).connect(true, false);
             Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES"
                     + " WHERE TABLE_SCHEMA = 'PUBLIC' AND TABLE_NAME = 'SAMPLE'")) {
            rs.next();
            assertThat(rs.getInt(1)).isZero();
            assertThat(SchemaMigrator.currentVersion(connection)).isEqualTo(SchemaMigrator.latestVersion());
        }
    }

    /** What version 1's writer did: a dictionary row, then one row per sample, its value by kind. */
    static void writeVersion1(Connection connection, String tag, List<TagValue> samples) throws Exception {
        int id;
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO tag (name) VALUES (?)",
                Statement.RETURN_GENERATED_KEYS)) {
            insert.setString(1, tag);
            insert.executeUpdate();
            try (ResultSet keys = insert.getGeneratedKeys()) {
                keys.next();
                id = keys.getInt(1);
            }
        }
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO sample (tag_id, source_us,"
                + " server_us, kind, num, text_value, quality, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (TagValue v : samples) {
                insert.setInt(1, id);
                insert.setLong(2, Micros.of(v.sourceTime()));
                if (v.serverTime() == null) {
                    insert.setNull(3, Types.BIGINT);
                } else {
                    insert.setLong(3, Micros.of(v.serverTime()));
                }
                Object value = v.value();
                int kind;
                Long num = null;
                String text = null;
                if (value == null) {
                    kind = 0;
                } else if (value instanceof Boolean b) {
                    kind = 1;
                    num = b ? 1L : 0L;
                } else if (value instanceof Long l) {
                    kind = 2;
                    num = l;
                } else if (value instanceof Double d) {
                    kind = 3;
                    num = Double.doubleToRawLongBits(d);
                } else if (value instanceof List<?> list) {
                    kind = 5;
                    text = ArrayText.encode(list);
                } else {
                    kind = 4;
                    text = (String) value;
                }
                insert.setInt(4, kind);
                if (num == null) {
                    insert.setNull(5, Types.BIGINT);
                } else {
                    insert.setLong(5, num);
                }
                insert.setString(6, text);
                insert.setInt(7, v.quality().code());
                insert.setString(8, v.detail());
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }
}
