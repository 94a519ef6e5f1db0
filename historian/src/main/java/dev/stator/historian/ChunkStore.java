package dev.stator.historian;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * How history is laid out in H2 from schema version 2 on. The only class that knows the tables.
 *
 * <ul>
 *   <li>{@code tag}: the dictionary, one row per tag, with what the store thread keeps between runs: the
 *       write-ahead log position up to which the tag's readings are in the database, the time of its latest stored
 *       sample and whether that is a gap marker, the time of the latest reading received (stored or not), its
 *       interpolation, and the reading a swinging door holds;</li>
 *   <li>{@code chunk}: sealed chunks, one row per tag and stretch of time, the samples compressed in {@code data}
 *       ({@link ChunkCodec}); keyed by tag and start time;</li>
 *   <li>{@code head}: the slices of each tag's open chunk, written every publish interval so that other processes
 *       see recent samples; replaced by one sealed chunk when the chunk is full;</li>
 *   <li>{@code meta}: named numbers: the log checkpoint, the sequence counter, whether the writer is running.</li>
 * </ul>
 */
final class ChunkStore {

    /** Samples per sealed chunk: about 3 KB for a float tag, the unit a query decodes at an edge. */
    static final int CHUNK_SAMPLES = 4_096;
    /** The longest time a chunk spans: bounds the look-back of range queries and what retention must trim. */
    static final long MAX_SPAN_MICROS = 86_400_000_000L;
    /** Text in one chunk beyond which it is sealed early. */
    static final long MAX_CHUNK_TEXT_BYTES = 1 << 20;
    static final int MAX_DATA_BYTES = 64_000_000;

    static final String META_CHECKPOINT = "checkpoint";
    static final String META_SEQUENCE = "sequence";
    static final String META_RUNNING = "running";
    static final String META_HEARTBEAT = "heartbeat";

    static final String[] SCHEMA_2 = {
        "CREATE TABLE IF NOT EXISTS chunk ("
                + " tag_id INTEGER NOT NULL,"
                + " start_us BIGINT NOT NULL,"
                + " seq BIGINT NOT NULL,"
                + " end_us BIGINT NOT NULL,"
                + " samples INTEGER NOT NULL,"
                + " data BINARY VARYING(" + MAX_DATA_BYTES + ") NOT NULL,"
                + " PRIMARY KEY (tag_id, start_us, seq))",
        "CREATE TABLE IF NOT EXISTS head ("
                + " tag_id INTEGER NOT NULL,"
                + " seq BIGINT NOT NULL,"
                + " start_us BIGINT NOT NULL,"
                + " end_us BIGINT NOT NULL,"
                + " samples INTEGER NOT NULL,"
                + " data BINARY VARYING(" + MAX_DATA_BYTES + ") NOT NULL,"
                + " PRIMARY KEY (tag_id, seq))",
        "CREATE TABLE IF NOT EXISTS meta ("
                + " name CHARACTER VARYING(50) PRIMARY KEY,"
                + " num BIGINT NOT NULL)",
        "ALTER TABLE tag ADD COLUMN IF NOT EXISTS wal_pos BIGINT DEFAULT -1 NOT NULL",
        "ALTER TABLE tag ADD COLUMN IF NOT EXISTS last_us BIGINT",
        "ALTER TABLE tag ADD COLUMN IF NOT EXISTS last_gap BOOLEAN DEFAULT FALSE NOT NULL",
        "ALTER TABLE tag ADD COLUMN IF NOT EXISTS seen_us BIGINT",
        "ALTER TABLE tag ADD COLUMN IF NOT EXISTS interpolation TINYINT DEFAULT 1 NOT NULL",
        "ALTER TABLE tag ADD COLUMN IF NOT EXISTS held BINARY VARYING(" + MAX_DATA_BYTES + ")",
    };

    static final String INSERT_CHUNK =
            "INSERT INTO chunk (tag_id, start_us, seq, end_us, samples, data) VALUES (?, ?, ?, ?, ?, ?)";
    static final String INSERT_HEAD =
            "INSERT INTO head (tag_id, seq, start_us, end_us, samples, data) VALUES (?, ?, ?, ?, ?, ?)";
    static final String SELECT_HEAD_DATA = "SELECT data FROM head WHERE tag_id = ? ORDER BY tag_id, seq";
    static final String SELECT_HEAD_INFO = "SELECT COUNT(*), SUM(samples), MIN(start_us), MAX(end_us), MIN(seq)"
            + " FROM head WHERE tag_id = ?";
    static final String DELETE_HEAD = "DELETE FROM head WHERE tag_id = ?";
    static final String UPDATE_TAG =
            "UPDATE tag SET wal_pos = ?, last_us = ?, last_gap = ?, held = ?, seen_us = ? WHERE id = ?";
    static final String MERGE_META = "MERGE INTO meta (name, num) KEY (name) VALUES (?, ?)";

    /*
     * Range queries walk the primary key from (tag, from - the longest span): every chunk that can overlap the range
     * starts there or later. Ordered by the whole key so that H2 streams rows as it walks the index.
     */
    static final String SELECT_RANGE = "SELECT start_us, seq, end_us, data FROM chunk"
            + " WHERE tag_id = ? AND start_us >= ? AND start_us < ? AND end_us >= ? ORDER BY tag_id, start_us, seq";
    static final String SELECT_BEFORE = "SELECT start_us, seq, end_us, data FROM chunk"
            + " WHERE tag_id = ? AND start_us < ? ORDER BY tag_id DESC, start_us DESC, seq DESC";
    static final String SELECT_HEAD = "SELECT start_us, seq, end_us, data FROM head WHERE tag_id = ?"
            + " ORDER BY tag_id, seq";

    private ChunkStore() {
    }

    /** A tag's dictionary row. */
    record TagRow(int id, String name, long walPosition, Long lastMicros, boolean lastGap, int interpolation,
                  byte[] held, Long seenMicros) {
    }

    static TagRow findTag(Connection connection, String name) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT id, name, wal_pos, last_us, last_gap,"
                + " interpolation, held, seen_us FROM tag WHERE name = ?")) {
            select.setString(1, name);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? tagRow(rs) : null;
            }
        }
    }

    /** Tags whose latest stored sample is not a gap marker: those a crash left open. */
    static List<TagRow> openTags(Connection connection) throws SQLException {
        List<TagRow> rows = new ArrayList<>();
        try (Statement select = connection.createStatement();
             ResultSet rs = select.executeQuery("SELECT id, name, wal_pos, last_us, last_gap, interpolation, held,"
                     + " seen_us FROM tag WHERE last_gap = FALSE AND (last_us IS NOT NULL OR held IS NOT NULL)")) {
            while (rs.next()) {
                rows.add(tagRow(rs));
            }
        }
        return rows;
    }

    private static TagRow tagRow(ResultSet rs) throws SQLException {
        long last = rs.getLong(4);
        Long lastMicros = rs.wasNull() ? null : last;
        long seen = rs.getLong(8);
        Long seenMicros = rs.wasNull() ? null : seen;
        return new TagRow(rs.getInt(1), rs.getString(2), rs.getLong(3), lastMicros, rs.getBoolean(5), rs.getInt(6),
                rs.getBytes(7), seenMicros);
    }

    /** Adds {@code name} to the dictionary and returns its row. */
    static TagRow createTag(Connection connection, String name) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO tag (name) VALUES (?)",
                Statement.RETURN_GENERATED_KEYS)) {
            insert.setString(1, name);
            insert.executeUpdate();
            try (ResultSet keys = insert.getGeneratedKeys()) {
                if (!keys.next()) {
                    throw new SQLException("no id generated for tag '" + name + "'");
                }
                return new TagRow(keys.getInt(1), name, -1, null, false, 1, null, null);
            }
        }
    }

    static List<String> tags(Connection connection) throws SQLException {
        List<String> tags = new ArrayList<>();
        try (Statement select = connection.createStatement();
             ResultSet rs = select.executeQuery("SELECT name FROM tag WHERE last_us IS NOT NULL OR held IS NOT NULL"
                     + " ORDER BY name")) {
            while (rs.next()) {
                tags.add(rs.getString(1));
            }
        }
        return tags;
    }

    static long meta(Connection connection, String name, long otherwise) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT num FROM meta WHERE name = ?")) {
            select.setString(1, name);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? rs.getLong(1) : otherwise;
            }
        }
    }

    static void setMeta(Connection connection, String name, long value) throws SQLException {
        try (PreparedStatement merge = connection.prepareStatement(MERGE_META)) {
            merge.setString(1, name);
            merge.setLong(2, value);
            merge.executeUpdate();
        }
    }

    static long maxTagWalPosition(Connection connection) throws SQLException {
        try (Statement select = connection.createStatement();
             ResultSet rs = select.executeQuery("SELECT COALESCE(MAX(wal_pos), -1) FROM tag")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
