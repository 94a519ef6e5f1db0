package dev.stator.historian;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;

/**
 * What the store thread keeps per tag between writes: the filter, the open chunk (slices already in the {@code head}
 * table, full intervals encoded in memory, the newest samples raw), and the write-ahead log positions that make a
 * replay after a crash store each reading exactly once. Keeping the open chunk's intervals in memory lets a chunk be
 * sealed without reading slices back, and writes a slice only when the publish interval asks for one.
 *
 * <p>What is in memory is the one part other threads read: a query in this process adds it to what H2 returns, so
 * that samples are visible as soon as the store thread has them. Pieces, raw samples and the held reading change
 * under this object's lock; everything else is the store thread's alone.
 */
final class TagState {

    /** Held in memory only, in no row. */
    static final long UNWRITTEN = 0;

    final int id;
    final String name;

    TagHistorySettings settings = TagHistorySettings.LOSSLESS;
    SampleFilter filter = SampleFilter.of(TagHistorySettings.LOSSLESS);
    volatile Interpolation interpolation = Interpolation.LINEAR;

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
    /**
     * What the tag's committed row says: whether it has a latest time, whether that is a gap marker, and the held
     * reading. A commit that would change none of these, and whose watermark the checkpoint already covers, leaves
     * the row alone; the latest times are then read from the data when the tag is next loaded.
     */
    boolean rowHasLast;
    boolean rowLastGap;
    byte[] rowHeld;

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

    /**
     * What this thread holds that committed rows may not show: the open chunk's full intervals, encoded (kept until
     * the chunk is sealed, unless a slice publishes them), and, until the commit, what this transaction wrote.
     */
    private final List<Piece> pieces = new ArrayList<>();
    /**
     * The newest samples of the open chunk, neither encoded nor written, in time order. Replaced by another buffer
     * when a full interval is handed to the encoder thread; changed under this object's lock.
     */
    SampleBuffer raw = new SampleBuffer();
    private int piecesUnwritten;
    private long piecesStart = Long.MAX_VALUE;
    private long piecesEnd = Long.MIN_VALUE;

    /**
     * A run of samples of the open chunk, in memory: encoded as a chunk, or waiting for the encoder thread with its
     * samples readable meanwhile.
     *
     * @param open  part of the open chunk, not sealed yet
     * @param rowId the row of the current transaction it is in, or {@link #UNWRITTEN}
     */
    static final class Piece {
        private static final VarHandle CLAIMED;

        static {
            try {
                CLAIMED = MethodHandles.lookup().findVarHandle(Piece.class, "claimed", boolean.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        /** The encoded bytes; null until encoded. */
        private volatile byte[] chunk;
        /** Whether a thread has taken on encoding the samples. */
        private volatile boolean claimed;
        /** The samples, until encoded (and until committed, for the buffer's reuse); null when made encoded. */
        final SampleBuffer samples;
        final int count;
        final long first;
        final long last;
        boolean open;
        long rowId;

        Piece(byte[] chunk, int count, long first, long last) {
            this.chunk = chunk;
            this.claimed = true;
            this.samples = null;
            this.count = count;
            this.first = first;
            this.last = last;
            this.open = true;
            this.rowId = UNWRITTEN;
        }

        /** A piece of the samples of {@code samples}, which nobody changes any more, to be encoded. */
        Piece(SampleBuffer samples) {
            this.samples = samples;
            this.count = samples.size();
            this.first = samples.firstTime();
            this.last = samples.lastTime();
            this.open = true;
            this.rowId = UNWRITTEN;
        }

        /** The bytes, or null while not encoded yet. Any thread. */
        byte[] encoded() {
            return chunk;
        }

        /**
         * The bytes: encoded here with {@code codec} when nobody has started on them, waited for when the encoder
         * thread is at it (microseconds).
         */
        byte[] chunk(ChunkCodec codec) {
            while (true) {
                byte[] c = chunk;
                if (c != null) {
                    return c;
                }
                if (CLAIMED.compareAndSet(this, false, true)) {
                    return encode(codec);
                }
                Thread.onSpinWait();
            }
        }

        /** The encoder thread: encodes the piece unless someone has. */
        void encodeIfQueued(ChunkCodec codec) {
            if (CLAIMED.compareAndSet(this, false, true)) {
                encode(codec);
            }
        }

        private byte[] encode(ChunkCodec codec) {
            try {
                byte[] c = codec.encode(samples, 0, count, new Summary());
                chunk = c;
                return c;
            } catch (RuntimeException | Error e) {
                // Left for another thread to try.
                claimed = false;
                throw e;
            }
        }
    }

    long lastStoredTime = Long.MIN_VALUE;
    boolean lastIsGap;
    /** The latest source time received, stored or not: the history of the tag is known up to here. */
    long lastSeenTime = Long.MIN_VALUE;
    boolean touched;
    boolean inTransaction;

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

    /** Samples of the open chunk in no row: in encoded pieces or raw. */
    int unwritten() {
        return piecesUnwritten + raw.size();
    }

    /** Samples of the open chunk: in slices plus not yet written. */
    int openCount() {
        return headCount + unwritten();
    }

    long openStart() {
        long start = Math.min(headStart, piecesStart);
        return raw.isEmpty() ? start : Math.min(start, raw.firstTime());
    }

    long openEnd() {
        long end = encodedEnd();
        return raw.isEmpty() ? end : Math.max(end, raw.lastTime());
    }

    /** The latest time of the open chunk's samples that can no longer be put in order: written or encoded. */
    long encodedEnd() {
        return Math.max(headEnd, piecesEnd);
    }

    /** Recounts what the open chunk's pieces hold, after they change; per sample only the counts are read. */
    private void recount() {
        piecesUnwritten = 0;
        piecesStart = Long.MAX_VALUE;
        piecesEnd = Long.MIN_VALUE;
        for (Piece p : pieces) {
            if (p.open) {
                piecesStart = Math.min(piecesStart, p.first);
                piecesEnd = Math.max(piecesEnd, p.last);
                if (p.rowId == UNWRITTEN) {
                    piecesUnwritten += p.count;
                }
            }
        }
    }

    /** Adds a stored sample to the raw samples, in time order. Store thread. */
    synchronized void append(Sample s) {
        raw.insertInOrder(s, 0);
        if (s.text != null) {
            textBytes += s.text.length() * 3L;
        }
    }

    /** Encodes the raw samples into a piece of the open chunk. Store thread. */
    synchronized void encodeRaw(ChunkCodec codec) {
        if (!raw.isEmpty()) {
            byte[] chunk = codec.encode(raw, 0, raw.size(), new Summary());
            pieces.add(new Piece(chunk, raw.size(), raw.firstTime(), raw.lastTime()));
            raw.clear();
            recount();
        }
    }

    /**
     * Hands the raw samples, a full interval, to {@code encoder} as a piece of the open chunk, and continues in a
     * spare buffer; encodes them here with {@code codec} when the encoder's queue is full. Store thread.
     */
    synchronized void handOffRaw(PieceEncoder encoder, ChunkCodec codec) {
        if (raw.isEmpty()) {
            return;
        }
        Piece piece = new Piece(raw);
        pieces.add(piece);
        raw = encoder.spare();
        recount();
        if (!encoder.submit(piece)) {
            piece.chunk(codec);
        }
    }

    /** The open chunk's pieces in no row, in order. Store thread. */
    List<Piece> unwrittenPieces() {
        List<Piece> list = new ArrayList<>();
        for (Piece p : pieces) {
            if (p.open && p.rowId == UNWRITTEN) {
                list.add(p);
            }
        }
        return list;
    }

    /** Marks {@code written} as written into row {@code rowId} of the current transaction. Store thread. */
    synchronized void markWritten(List<Piece> written, long rowId) {
        for (Piece p : written) {
            p.rowId = rowId;
        }
        recount();
    }

    /**
     * Marks the open chunk's pieces as written into the sealed chunk {@code rowId}, which replaces the slices some of
     * them were in. Store thread; the raw samples must have been encoded.
     */
    synchronized void markSealed(long rowId) {
        for (Piece p : pieces) {
            if (p.open) {
                p.open = false;
                p.rowId = rowId;
            }
        }
        recount();
    }

    /**
     * After a commit: what the transaction wrote is in H2 for every reader. The buffers of the pieces dropped go back
     * to {@code encoder}. Store thread.
     */
    synchronized void committed(PieceEncoder encoder) {
        pieces.removeIf(p -> {
            if (p.rowId == UNWRITTEN) {
                return false;
            }
            if (p.samples != null && p.encoded() != null && p.samples.capacity() >= ChunkCodec.INTERVAL) {
                encoder.recycle(p.samples);
            }
            return true;
        });
        recount();
    }

    /** What a query in this process adds to H2's rows: the pieces, the raw samples and the held reading. */
    synchronized TailSnapshot snapshot() {
        List<TailPart> parts = new ArrayList<>();
        for (Piece p : pieces) {
            byte[] chunk = p.encoded();
            parts.add(chunk != null ? new TailPart(p.rowId, p.first, p.last, chunk, null)
                    : new TailPart(p.rowId, p.first, p.last, null, p.samples.copy(0, p.count)));
        }
        if (!raw.isEmpty()) {
            parts.add(new TailPart(UNWRITTEN, raw.firstTime(), raw.lastTime(), null, raw.copy(0, raw.size())));
        }
        Sample held = filter.held();
        return new TailSnapshot(parts, held == null ? null : new Sample().copyFrom(held), interpolation);
    }

    /**
     * A run of samples a query adds, encoded ({@code chunk}) or not ({@code samples}), with the row of the
     * current transaction it is in ({@link #UNWRITTEN} when none).
     */
    record TailPart(long rowId, long first, long last, byte[] chunk, SampleBuffer samples) {
    }

    /** The writer's view of a tag as a query sees it. */
    record TailSnapshot(List<TailPart> parts, Sample held, Interpolation interpolation) {
    }
}
