package dev.stator.historian;

import java.util.Arrays;

/**
 * The readings of a batch read from the write-ahead log, in log order, each with its tag's group: the
 * store thread's view of what it has read but not yet consumed. With thousands of tags interleaved in the log,
 * decoding writes the readings one after the other, touching no tag's state; {@link #sort} then orders the
 * readings by tag with a counting sort, so that each tag's readings are consumed together, in log order, with its
 * state in the processor's cache. Server times, texts and details take memory only once a reading has one.
 *
 * <p>Groups are found by the log's tag numbers, which hold within one log segment: {@link #newSegment} forgets
 * them, after which a tag already in the batch gets a second group, consumed after its first. Store thread only.
 */
final class LogBatch {

    private static final int INITIAL = 1 << 12;

    /** Longs per reading in {@link #rows}: time, value bits, log position, kind and quality. */
    private static final int ROW = 4;

    private int size;
    /**
     * The readings, a row each: the readings of a tag are read in group order, one cache line each, where a column
     * per field would cost a cache miss per field.
     */
    private long[] rows = new long[INITIAL * ROW];
    private int[] group = new int[INITIAL];
    private long[] server;
    private String[] text;
    private String[] detail;

    private int groups;
    private TagState[] groupTag = new TagState[64];
    private int[] groupLocal = new int[64];
    private int[] groupCount = new int[64];
    /** After {@link #sort}: group g's readings are {@code order[groupStart[g]]..order[groupStart[g + 1] - 1]}. */
    private int[] groupStart = new int[65];
    private int[] order = new int[INITIAL];
    /** The group of each log tag number of the current segment, or -1. */
    private int[] groupOfLocal = new int[64];

    LogBatch() {
        Arrays.fill(groupOfLocal, -1);
    }

    int size() {
        return size;
    }

    /** The log's tag numbers now refer to another segment's definitions. */
    void newSegment() {
        Arrays.fill(groupOfLocal, -1);
    }

    /** Adds a reading of {@code tag}, log tag number {@code local}, at log {@code pos}. */
    void add(int local, TagState tag, long pos, Sample s) {
        if (local >= groupOfLocal.length) {
            int old = groupOfLocal.length;
            groupOfLocal = Arrays.copyOf(groupOfLocal, Math.max(old * 2, local + 1));
            Arrays.fill(groupOfLocal, old, groupOfLocal.length, -1);
        }
        int g = groupOfLocal[local];
        if (g < 0) {
            g = newGroup(local, tag);
        }
        int i = size;
        if (i == group.length) {
            grow(i * 2);
        }
        int at = i * ROW;
        rows[at] = s.time;
        rows[at + 1] = s.bits;
        rows[at + 2] = pos;
        rows[at + 3] = (s.kind & 0xFFL) | (long) s.quality << 8;
        group[i] = g;
        if (s.serverTime != Sample.NO_SERVER_TIME || server != null) {
            if (server == null) {
                server = new long[group.length];
                Arrays.fill(server, Sample.NO_SERVER_TIME);
            }
            server[i] = s.serverTime;
        }
        if (s.text != null || text != null) {
            if (text == null) {
                text = new String[group.length];
            }
            text[i] = s.text;
        }
        if (s.detail != null || detail != null) {
            if (detail == null) {
                detail = new String[group.length];
            }
            detail[i] = s.detail;
        }
        groupCount[g]++;
        size = i + 1;
    }

    private int newGroup(int local, TagState tag) {
        int g = groups++;
        if (g == groupTag.length) {
            int capacity = g * 2;
            groupTag = Arrays.copyOf(groupTag, capacity);
            groupLocal = Arrays.copyOf(groupLocal, capacity);
            groupCount = Arrays.copyOf(groupCount, capacity);
            groupStart = Arrays.copyOf(groupStart, capacity + 1);
        }
        groupTag[g] = tag;
        groupLocal[g] = local;
        groupCount[g] = 0;
        groupOfLocal[local] = g;
        return g;
    }

    private void grow(int capacity) {
        rows = Arrays.copyOf(rows, capacity * ROW);
        group = Arrays.copyOf(group, capacity);
        order = new int[capacity];
        if (server != null) {
            int old = server.length;
            server = Arrays.copyOf(server, capacity);
            Arrays.fill(server, old, capacity, Sample.NO_SERVER_TIME);
        }
        if (text != null) {
            text = Arrays.copyOf(text, capacity);
        }
        if (detail != null) {
            detail = Arrays.copyOf(detail, capacity);
        }
    }

    /** Orders the readings by group, each group's in log order. */
    void sort() {
        int at = 0;
        for (int g = 0; g < groups; g++) {
            groupStart[g] = at;
            at += groupCount[g];
        }
        groupStart[groups] = at;
        // groupCount serves as each group's cursor, and ends as its end.
        for (int g = 0; g < groups; g++) {
            groupCount[g] = groupStart[g];
        }
        for (int i = 0; i < size; i++) {
            order[groupCount[group[i]]++] = i;
        }
    }

    int groups() {
        return groups;
    }

    TagState tag(int g) {
        return groupTag[g];
    }

    /** The first position in {@link #reading} order of group {@code g}'s readings. */
    int start(int g) {
        return groupStart[g];
    }

    int end(int g) {
        return groupStart[g + 1];
    }

    /** The reading at {@code j} in group order. */
    int reading(int j) {
        return order[j];
    }

    long time(int i) {
        return rows[i * ROW];
    }

    byte kind(int i) {
        return (byte) rows[i * ROW + 3];
    }

    long position(int i) {
        return rows[i * ROW + 2];
    }

    String text(int i) {
        return text == null ? null : text[i];
    }

    void sample(int i, Sample into) {
        int at = i * ROW;
        long meta = rows[at + 3];
        into.set(rows[at], (byte) meta, rows[at + 1], text(i), (int) (meta >>> 8),
                server == null ? Sample.NO_SERVER_TIME : server[i], detail == null ? null : detail[i]);
    }

    /** Appends reading {@code i} to {@code buffer}. */
    void appendTo(int i, SampleBuffer buffer) {
        int at = i * ROW;
        long meta = rows[at + 3];
        buffer.add(rows[at], (byte) meta, rows[at + 1], text(i), (int) (meta >>> 8),
                server == null ? Sample.NO_SERVER_TIME : server[i], detail == null ? null : detail[i]);
    }

    /** Empties the batch, keeping its memory unless it grew past what batches normally hold. */
    void clear() {
        for (int g = 0; g < groups; g++) {
            groupTag[g] = null;
            groupOfLocal[groupLocal[g]] = -1;
            groupCount[g] = 0;
        }
        groups = 0;
        size = 0;
        server = null;
        text = null;
        detail = null;
    }
}
