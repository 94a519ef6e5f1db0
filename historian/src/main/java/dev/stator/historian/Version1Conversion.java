package dev.stator.historian;

import dev.stator.driver.api.Quality;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Schema version 2's migration step: creates the chunk tables and turns the rows of version 1 (one per sample,
 * {@code sample} table) into compressed chunks, tag by tag in time order, then drops the old table. Each tag ends
 * with a gap marker after its last sample: the history stopped for the upgrade. Samples keep their value, type,
 * quality, timestamps and detail exactly. Run inside the migrator's transaction, on the opening thread.
 */
final class Version1Conversion {

    private Version1Conversion() {
    }

    static void apply(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            for (String sql : ChunkStore.SCHEMA_2) {
                statement.execute(sql);
            }
            if (!tableExists(connection, "SAMPLE")) {
                return;
            }
            // A half-done earlier attempt left rows behind: start over.
            statement.execute("DELETE FROM chunk");
            statement.execute("DELETE FROM head");
            statement.execute("SET LAZY_QUERY_EXECUTION TRUE");
            try {
                convert(connection);
            } finally {
                statement.execute("SET LAZY_QUERY_EXECUTION FALSE");
            }
            statement.execute("DROP TABLE sample");
        }
    }

    private static void convert(Connection connection) throws SQLException {
        ChunkCodec codec = new ChunkCodec();
        SampleBuffer chunk = new SampleBuffer(ChunkStore.CHUNK_SAMPLES);
        long[] sequence = {1};
        int tag = -1;
        try (Statement select = connection.createStatement();
             PreparedStatement insert = connection.prepareStatement(ChunkStore.INSERT_CHUNK);
             PreparedStatement update = connection.prepareStatement(
                     "UPDATE tag SET last_us = ?, last_gap = TRUE WHERE id = ?")) {
            // The index walk gives equal timestamps in insertion order, as version 1 returned them.
            select.setFetchSize(1_000);
            try (ResultSet rs = select.executeQuery("SELECT tag_id, source_us, server_us, kind, num, text_value,"
                    + " quality, detail FROM sample ORDER BY tag_id, source_us")) {
                while (rs.next()) {
                    int id = rs.getInt(1);
                    if (id != tag) {
                        finishTag(tag, chunk, codec, insert, update, sequence);
                        tag = id;
                    }
                    long time = rs.getLong(2);
                    long server = rs.getLong(3);
                    if (rs.wasNull()) {
                        server = Sample.NO_SERVER_TIME;
                    }
                    byte kind = (byte) rs.getInt(4);
                    long num = rs.getLong(5);
                    String text = rs.getString(6);
                    if (!chunk.isEmpty() && (chunk.size() >= ChunkStore.CHUNK_SAMPLES
                            || time - chunk.firstTime() > ChunkStore.MAX_SPAN_MICROS)) {
                        write(tag, chunk, codec, insert, sequence);
                    }
                    chunk.add(time, kind, num, text, rs.getInt(7), server, rs.getString(8));
                }
            }
            finishTag(tag, chunk, codec, insert, update, sequence);
            ChunkStore.setMeta(connection, ChunkStore.META_SEQUENCE, sequence[0]);
        }
    }

    private static void finishTag(int tag, SampleBuffer chunk, ChunkCodec codec, PreparedStatement insert,
                                  PreparedStatement update, long[] sequence) throws SQLException {
        if (tag < 0 || chunk.isEmpty()) {
            return;
        }
        long gapAt = chunk.lastTime() + 1;
        if (gapAt - chunk.firstTime() > ChunkStore.MAX_SPAN_MICROS) {
            write(tag, chunk, codec, insert, sequence);
        }
        chunk.add(gapAt, Sample.GAP, 0, null, Quality.BAD_SHUTDOWN.code(), Sample.NO_SERVER_TIME,
                "no history recorded: Stator was upgraded");
        write(tag, chunk, codec, insert, sequence);
        update.setLong(1, gapAt);
        update.setInt(2, tag);
        update.executeUpdate();
    }

    private static void write(int tag, SampleBuffer chunk, ChunkCodec codec, PreparedStatement insert,
                              long[] sequence) throws SQLException {
        insert.setInt(1, tag);
        insert.setLong(2, chunk.firstTime());
        insert.setLong(3, sequence[0]++);
        insert.setLong(4, chunk.lastTime());
        insert.setInt(5, chunk.size());
        insert.setBytes(6, codec.encode(chunk, 0, chunk.size(), new Summary()));
        insert.executeUpdate();
        chunk.clear();
    }

    private static boolean tableExists(Connection connection, String name) throws SQLException {
        try (PreparedStatement exists = connection.prepareStatement("SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES"
                + " WHERE TABLE_SCHEMA = 'PUBLIC' AND TABLE_NAME = ?")) {
            exists.setString(1, name);
            try (ResultSet rs = exists.executeQuery()) {
                rs.next();
                return rs.getInt(1) > 0;
            }
        }
    }
}
