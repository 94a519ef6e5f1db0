package dev.stator.historian;

import java.util.ArrayList;
import java.util.List;

/**
 * What the store thread keeps per tag between writes: the filter, the open chunk (its slices already in the
 * {@code head} table and its samples not yet written, the tail), and the write-ahead log positions that make a
 * replay after a crash store each reading exactly once.
 *
 * <p>The tail is the one part other threads read: a query in this process adds it to what H2 returns, so that
 * samples are visible as soon as the store thread has them. Tail and held reading change under this object's lock;
 * everything else is the store thread's alone.
 */
final class TagState {

    /** A tail sample not yet in any row. */
    static final long UNWRITTEN = 0;

    final int id;
    final String name;

    TagHistorySettings settings = TagHistorySettings.LOSSLESS;
    SampleFilter filter = SampleFilter.of(TagHistorySettings.LOSSLESS);
    volatile Interpolation interpolation = Interpolation.LINEAR;
    long settingsVersion = -1;

    /** Log position up to which this tag's readings are in committed rows: replayed readings at or below it skip. */
    long watermark;
    /** The last log position consumed for this tag. */
    long lastPosition;
    /** The first consumed position not yet covered by a written watermark, or Long.MAX_VALUE. */
    long firstUncovered = Long.MAX_VALUE;
    /** The watermark and held reading to write into the tag's row at the next commit; -1 when none. */
    long pendingWatermark = -1;
    byte[] pendingHeld;
    boolean rowDirty;

    /** The held reading at the start of the record being processed, and whether it was stored since. */
    Sample heldAtRecordStart;
    boolean heldReleased;

    // The open chunk.
    boolean headLoaded;
    int headCount;
    long headStart = Long.MAX_VALUE;
    long headEnd = Long.MIN_VALUE;
    long headSeq = -1;
    long textBytes;
    /** The end of the latest chunk sealed: an open chunk that starts before it is a late chunk. */
    long sealedEnd = Long.MIN_VALUE;
    boolean sealAtRecordEnd;

    /** Samples not yet committed, in time order within each part; the first {@code written} are in rows. */
    final SampleBuffer tail = new SampleBuffer();
    int written;
    /** The rows the written prefix went into, in order: counts and row ids (see {@link #rowId}). */
    private final List<long[]> writtenRows = new ArrayList<>();

    long lastStoredTime = Long.MIN_VALUE;
    boolean lastIsGap;
    /** The latest source time received, stored or not: the history of the tag is known up to here. */
    long lastSeenTime = Long.MIN_VALUE;
    boolean touched;
    boolean inTransaction;
    /** Grouping of a batch of readings by tag (store thread). */
    long batchNumber;
    int batchCount;
    int batchStart;

    TagState(int id, String name, long watermark) {
        this.id = id;
        this.name = name;
        this.watermark = watermark;
        this.lastPosition = watermark;
    }

    /** Identifies a row for a query's merge: sealed chunks and head slices have their own sequences. */
    static long rowId(long seq, boolean sealed) {
        return seq * 2 + (sealed ? 1 : 0) + 2;
    }

    int unwritten() {
        return tail.size() - written;
    }

    /** Samples of the open chunk: in slices plus not yet written. */
    int openCount() {
        return headCount + unwritten();
    }

    long openStart() {
        return unwritten() > 0 ? Math.min(headStart, tail.time[written]) : headStart;
    }

    long openEnd() {
        return unwritten() > 0 ? Math.max(headEnd, tail.lastTime()) : headEnd;
    }

    /** Adds a stored sample to the tail, after the written part. Store thread. */
    synchronized void append(Sample s) {
        // Never among the written samples: they are all at or before the open chunk's time, or in a sealed chunk.
        tail.insertInOrder(s, written);
        if (s.text != null) {
            textBytes += s.text.length() * 3L;
        }
    }

    /** Marks the unwritten samples as written into row {@code rowId}. Store thread. */
    synchronized void markWritten(long rowId) {
        int n = unwritten();
        if (n > 0) {
            writtenRows.add(new long[] {n, rowId});
            written = tail.size();
        }
    }

    /**
     * Marks the open chunk's samples in the tail (its slices written in this transaction and the unwritten ones) as
     * written into the sealed chunk {@code rowId}, which replaces those slices.
     */
    synchronized void markSealed(long rowId) {
        int count = unwritten();
        for (int i = writtenRows.size() - 1; i >= 0 && !isSealed(writtenRows.get(i)[1]); i--) {
            count += (int) writtenRows.remove(i)[0];
        }
        if (count > 0) {
            writtenRows.add(new long[] {count, rowId});
        }
        written = tail.size();
    }

    static boolean isSealed(long rowId) {
        return ((rowId - 2) & 1) == 1;
    }

    /** After a commit: the written samples are in H2 for every reader. Store thread. */
    synchronized void committed() {
        tail.removeFirst(written);
        written = 0;
        writtenRows.clear();
    }

    /** What a query in this process adds to H2's rows: the tail in parts, and the held reading. Any thread. */
    synchronized TailSnapshot snapshot() {
        List<TailPart> parts = new ArrayList<>();
        int at = 0;
        for (long[] row : writtenRows) {
            int n = (int) row[0];
            parts.add(new TailPart(row[1], tail.copy(at, at + n)));
            at += n;
        }
        if (tail.size() > at) {
            parts.add(new TailPart(UNWRITTEN, tail.copy(at, tail.size())));
        }
        Sample held = filter.held();
        return new TailSnapshot(parts, held == null ? null : new Sample().copyFrom(held), interpolation);
    }

    /** A run of tail samples and the row they were written into ({@link #UNWRITTEN} when none). */
    record TailPart(long rowId, SampleBuffer samples) {
    }

    /** The tail as a query sees it. */
    record TailSnapshot(List<TailPart> parts, Sample held, Interpolation interpolation) {
    }
}
