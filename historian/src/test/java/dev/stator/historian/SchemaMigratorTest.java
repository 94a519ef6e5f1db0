package dev.stator.historian;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stator.historian.SchemaMigrator.Migration;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SchemaMigratorTest {

    @TempDir
    Path dir;

    @Test
    void aNewDatabaseHasVersionFourWithTheTagDictionaryChunksByTagAndTimeAndTheJournal() throws Exception {
        Historian.open(dir.resolve("history")).close();

        try (Connection connection = HistoryFile.of(dir.resolve("history")).connect(true, false)) {
            assertThat(SchemaMigrator.currentVersion(connection))
                    .isEqualTo(4).isEqualTo(SchemaMigrator.latestVersion());
            assertThat(strings(connection, "SELECT version || ' ' || description FROM schema_version"))
                    .containsExactly("1 tag dictionary and samples by tag and source time",
                            "2 compressed time chunks per tag with summaries; rows of version 1 converted",
                            "3 journals of alarm events, operator actions and system events",
                            "4 the log position of each journal entry");
            assertThat(strings(connection, "SELECT TABLE_NAME FROM INFORMATION_SCHEMA.TABLES"
                    + " WHERE TABLE_SCHEMA = 'PUBLIC' ORDER BY TABLE_NAME"))
                    .containsExactly("CHUNK", "HEAD", "JOURNAL", "META", "SCHEMA_VERSION", "TAG");
            assertThat(strings(connection, "SELECT COLUMN_NAME FROM INFORMATION_SCHEMA.INDEX_COLUMNS"
                    + " WHERE TABLE_NAME = 'CHUNK' AND INDEX_NAME LIKE 'PRIMARY_KEY%' ORDER BY ORDINAL_POSITION"))
                    .containsExactly("TAG_ID", "START_US", "SEQ");
            assertThat(strings(connection, "SELECT COLUMN_NAME FROM INFORMATION_SCHEMA.INDEX_COLUMNS"
                    + " WHERE TABLE_NAME = 'JOURNAL' AND INDEX_NAME = 'JOURNAL_TIME' ORDER BY ORDINAL_POSITION"))
                    .containsExactly("TIME_US", "ID");
        }
    }

    @Test
    void theRunnerAppliesEachStepOnceAndOnlyTheNewOnesLater() throws Exception {
        List<Migration> steps = new ArrayList<>(List.of(
                new Migration(1, "create", SchemaMigrator.sql(
                        "CREATE TABLE IF NOT EXISTS applied (step INTEGER)", "INSERT INTO applied VALUES (1)")),
                new Migration(2, "second", SchemaMigrator.sql("INSERT INTO applied VALUES (2)"))));
        try (Connection connection = HistoryFile.of(dir.resolve("plant")).connect(false, false)) {
            assertThat(new SchemaMigrator(steps).migrate(connection)).isEqualTo(2);
            assertThat(new SchemaMigrator(steps).migrate(connection)).isZero();

            steps.add(new Migration(3, "third", SchemaMigrator.sql("INSERT INTO applied VALUES (3)")));
            assertThat(new SchemaMigrator(steps).migrate(connection)).isEqualTo(1);

            assertThat(strings(connection, "SELECT step FROM applied ORDER BY step")).containsExactly("1", "2", "3");
            assertThat(strings(connection, "SELECT version FROM schema_version ORDER BY version"))
                    .containsExactly("1", "2", "3");
            assertThat(SchemaMigrator.currentVersion(connection)).isEqualTo(3);
        }
    }

    @Test
    void aFailingStepLeavesNoTraceOfItsDataNorItsVersion() throws Exception {
        List<Migration> steps = List.of(
                new Migration(1, "create", SchemaMigrator.sql("CREATE TABLE IF NOT EXISTS applied (step INTEGER)")),
                new Migration(2, "breaks", connection -> {
                    SchemaMigrator.sql("INSERT INTO applied VALUES (2)").apply(connection);
                    throw new SQLException("step 2 cannot finish");
                }));
        try (Connection connection = HistoryFile.of(dir.resolve("plant")).connect(false, false)) {
            new SchemaMigrator(steps.subList(0, 1)).migrate(connection);

            assertThatThrownBy(() -> new SchemaMigrator(steps).migrate(connection))
                    .isInstanceOf(SQLException.class).hasMessage("step 2 cannot finish");

            assertThat(SchemaMigrator.currentVersion(connection)).isEqualTo(1);
            assertThat(strings(connection, "SELECT step FROM applied")).isEmpty();
        }
    }

    @Test
    void aDatabaseFromANewerStatorIsRefused() throws Exception {
        Historian.open(dir.resolve("history")).close();
        try (Connection connection = HistoryFile.of(dir.resolve("history")).connect(true, false);
             Statement statement = connection.createStatement()) {
            statement.execute("INSERT INTO schema_version VALUES (" + (SchemaMigrator.latestVersion() + 1)
                    + ", 'from the future', CURRENT_TIMESTAMP)");
        }

        assertThatThrownBy(() -> Historian.open(dir.resolve("history")))
                .isInstanceOf(HistoryException.class)
                .hasMessageContaining(dir.resolve("history.mv.db").toString())
                .hasMessageContaining("newer Stator");
        assertThatThrownBy(() -> Historian.openForReading(dir.resolve("history")))
                .isInstanceOf(HistoryException.class)
                .hasMessageContaining("newer Stator");
    }

    @Test
    void stepsMustBeNumberedFromOneWithoutGaps() {
        assertThatThrownBy(() -> new SchemaMigrator(List.of(
                new Migration(1, "one", SchemaMigrator.sql()), new Migration(3, "three", SchemaMigrator.sql()))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static List<String> strings(Connection connection, String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }
}
