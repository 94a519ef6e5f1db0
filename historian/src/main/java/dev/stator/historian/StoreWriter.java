package dev.stator.historian;

import dev.stator.driver.api.Quality;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The body of the store thread: reads the write-ahead log in order, passes each reading through its tag's filter
 * into the tag's open chunk, writes slices and sealed chunks to H2, and commits at least every publish interval,
 * with the log checkpoint in the same transaction. Also writes the gap markers of a shutdown or a crash and applies
 * retention.
 *
 * <p><b>Exactly once across a crash.</b> Each tag's row holds the log position up to which its readings are in
 * committed rows, written in the same transaction as those rows. Replaying the log from the checkpoint skips what a
 * tag already has, so a reading is stored once whether the crash came before or after a commit. Writes of a tag
 * happen at the end of a record, except the seal that a late sample forces before it is stored; that seal records
 * the position before the current record and the reading the filter held at its start.
 *
 * <p>On a database error it rolls back, reconnects with growing pauses and replays the log from the checkpoint: the
 * log keeps everything meanwhile. The thread is never interrupted: H2 closes its file when a thread doing I/O is.
 */
final class StoreWriter implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(StoreWriter.class);

    /** Uncommitted samples written to rows after which a commit frees the tails they came from. */
    private static final int COMMIT_SAMPLES = 100_000;
    private static final long CHECKPOINT_NANOS = TimeUnit.SECONDS.toNanos(5);
    private static final long CHECKPOINT_LOG_BYTES = 64L << 20;
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    private static final long FIRST_RETRY_MILLIS = 500;
    private static final long MAX_RETRY_MILLIS = 30_000;
    private static final long SLEEP_SLICE_MILLIS = 20;

    /** A flush waiting for its samples to be committed; {@code target} is the log position they end at. */
    static final class FlushRequest {
        final CompletableFuture<Boolean> done = new CompletableFuture<>();
        volatile long target = -1;
    }

    private final HistoryFile file;
    private final HistorianSettings settings;
    private final Tuning tuning;
    private final WriteAheadLog wal;
    private final long runStart;
    private final TagConfiguration configuration;
    private final boolean crashed;

    private final Map<String, TagState> tags = new ConcurrentHashMap<>();
    private final Queue<FlushRequest> requests = new ConcurrentLinkedQueue<>();
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final AtomicLong retentionRuns = new AtomicLong();
    private final LogThrottle errorLog = new LogThrottle(Duration.ofMinutes(1));
    private volatile Historian.WriteError lastError;
    private volatile boolean stopRequested;
    private volatile long giveUpAt;
    private volatile boolean finished;
    private volatile boolean retentionRequested;

    // Touched by the store thread only (handed over by Thread.start()).
    private Connection connection;
    private Connection dictionary;
    private PreparedStatement insertChunk;
    private PreparedStatement insertHead;
    private PreparedStatement selectHeadData;
    private PreparedStatement selectHeadInfo;
    private PreparedStatement deleteHead;
    private PreparedStatement updateTag;
    private PreparedStatement lastChunkEnd;
    private PreparedStatement insertJournal;
    /** The log position up to which journal entries are in committed rows, and of the last one in this batch. */
    private long journalWatermark;
    private long pendingJournalWatermark = -1;
    private int pendingJournal;
    private final AtomicLong journalWritten = new AtomicLong();
    private final ChunkCodec codec = new ChunkCodec();
    private final PieceEncoder encoder = new PieceEncoder();
    private final WalRecords.Decoder decoder = new WalRecords.Decoder();
    private final Sample sample = new Sample();
    private final Sample marker = new Sample();
    private final SampleFilter.Sink sink = this::store;
    private TagState[] local = new TagState[64];
    /** The readings read but not yet consumed; a batch is consumed once it holds {@link #BATCH_TARGET}. */
    private final LogBatch batch = new LogBatch();
    private static final int BATCH_TARGET = 200_000;
    /** Raw samples a tag holds at a publish from which they are encoded on the encoder thread. */
    private static final int HAND_OFF_SAMPLES = 64;
    /** A block read but left for the next batch (the first of this run's, while recovering). */
    private WriteAheadLog.Block pending;
    private long localSegment = Long.MIN_VALUE;
    private long checkpoint;
    private long sequence;
    private long syncedCheckpoint = Long.MIN_VALUE;
    private final List<TagState> touched = new ArrayList<>();
    private final List<TagState> inTransaction = new ArrayList<>();
    private final List<FlushRequest> waiting = new ArrayList<>();
    private int uncommittedSamples;
    private long processedSinceCommit;
    private boolean metaDirty;
    private boolean recovering = true;
    private long replayed;
    private long lastCommitNanos = System.nanoTime();
    private long lastCheckpointNanos = System.nanoTime();
    private long lastRetentionNanos = System.nanoTime();
    private long configurationVersion = -1;
    private boolean failing;
    private long retryMillis = FIRST_RETRY_MILLIS;
    private int failedAttempts;
    /** The tag and log position of the record being processed; inRecord is false between records. */
    private TagState current;
    private long recordPosition;
    private long positionBeforeRecord;
    private boolean inRecord;

    StoreWriter(HistoryFile file, HistorianSettings settings, Tuning tuning, WriteAheadLog wal, long runStart,
                TagConfiguration configuration, Connection connection, Connection dictionary, long checkpoint,
                long sequence, boolean crashed) throws SQLException {
        this.file = file;
        this.settings = settings;
        this.tuning = tuning;
        this.wal = wal;
        this.runStart = runStart;
        this.configuration = configuration;
        this.checkpoint = checkpoint;
        this.sequence = sequence;
        this.crashed = crashed;
        this.connection = connection;
        this.dictionary = dictionary;
        prepare();
        this.journalWatermark = JournalStore.watermark(connection);
    }

    @Override
    public void run() {
        Thread encoderThread = new Thread(encoder, Historian.ENCODER_THREAD);
        encoderThread.setDaemon(true);
        encoderThread.start();
        try {
            wal.seek(checkpoint);
            loop();
        } catch (RuntimeException | Error | IOException e) {
            // Last resort: say so loudly rather than let the thread vanish. The log keeps what was not stored.
            noteError("the history writer stopped: " + e);
            LOG.error("history writer for {} stopped by an unexpected error; samples stay in the write-ahead log"
                    + " until the next start", file, e);
        } finally {
            encoder.stop();
            closeConnections();
            finished = true;
            takeRequests();
            waiting.forEach(w -> w.done.complete(false));
            waiting.clear();
        }
    }

    /** Asks the thread to store everything logged, write the shutdown gap markers, and end. Called by close(). */
    void stop(long giveUpAtNanos) {
        this.giveUpAt = giveUpAtNanos;
        this.stopRequested = true;
    }

    /** Hands over a flush whose target the WAL thread has set. */
    void request(FlushRequest request) {
        requests.add(request);
        if (finished) {
            request.done.complete(false);
        }
    }

    boolean isFinished() {
        return finished;
    }

    /** Readings committed since opening, including those a tag's compression left out. Any thread. */
    long written() {
        return written.get();
    }

    long errors() {
        return errors.get();
    }

    Historian.WriteError lastError() {
        return lastError;
    }

    /** Journal entries committed since opening. Any thread. */
    long journalWritten() {
        return journalWritten.get();
    }

    /** Retention rounds completed since opening. Any thread. */
    long retentionRuns() {
        return retentionRuns.get();
    }

    /** Asks for a retention round at the next opportunity, regardless of the interval. Any thread. */
    void requestRetention() {
        retentionRequested = true;
    }

    /** What the store thread holds of {@code tag} that H2 may not show yet; null when nothing. Any thread. */
    TagState.TailSnapshot snapshot(String tag) {
        TagState t = tags.get(tag);
        return t == null ? null : t.snapshot();
    }

    private void loop() throws IOException {
        long publishNanos = settings.publishInterval().toNanos();
        while (true) {
            if (failing && !recover()) {
                return;
            }
            if (!awaitGate()) {
                return;
            }
            boolean stopping = stopRequested;
            try {
                takeRequests();
                long untilPublish = lastCommitNanos + publishNanos - System.nanoTime();
                long wait = stopping || !waiting.isEmpty() ? 0 : Math.max(0, Math.min(POLL_NANOS, untilPublish));
                boolean read = readBatch(wait);
                if (!read && recovering) {
                    finishRecovery();
                }
                applyConfiguration();
                long now = System.nanoTime();
                boolean flushDue = flushSatisfiable();
                boolean publishDue = now - lastCommitNanos >= publishNanos;
                boolean caughtUp = !read;
                // Journal entries are few: committed as soon as they are read, so every process sees them at once.
                boolean journalDue = pendingJournal > 0;
                if (publishDue || flushDue || journalDue || uncommittedSamples >= COMMIT_SAMPLES
                        || stopping && caughtUp) {
                    if (publishDue || flushDue || stopping) {
                        publishAll();
                    }
                    commit();
                }
                if (stopping && caughtUp) {
                    finish();
                    return;
                }
                maybeCheckpoint();
                maybeRetention();
            } catch (SQLException e) {
                fail(e);
            } catch (StoreFailure e) {
                fail(e.getCause());
            } catch (InterruptedException e) {
                // Nobody interrupts this thread on purpose; carry on and let close() end it.
            }
        }
    }

    // ---- reading the log

    /**
     * Reads the blocks the log has ready, up to a batch, and consumes their readings grouped by tag: with thousands of
     * tags interleaved in the log, taking each tag's readings together keeps its state in the processor's cache.
     * Each tag still sees its own readings in log order. Returns false when the log had nothing.
     */
    private boolean readBatch(long waitNanos) throws SQLException, IOException, InterruptedException {
        boolean any = false;
        WriteAheadLog.Block block = pending;
        pending = null;
        if (block == null) {
            block = wal.next(waitNanos);
        }
        while (block != null) {
            any = true;
            if (recovering && block.segmentStart() >= runStart && batch.size() > 0) {
                // The readings of earlier runs go in first, then the gap markers of the crash.
                pending = block;
                break;
            }
            if (recovering && block.segmentStart() >= runStart) {
                // Its commit must not move the checkpoint past this block, which is not decoded yet.
                pending = block;
                finishRecovery();
                pending = null;
            }
            decode(block);
            if (batch.size() >= BATCH_TARGET) {
                break;
            }
            block = wal.next(0);
        }
        consumeBatch();
        if (recovering && pending == null && wal.readPosition() >= runStart) {
            // The log of earlier runs is all read.
            finishRecovery();
        }
        return any;
    }

    /** Where everything before is consumed: the reader's position, or the start of a block put aside. */
    private long consumedEnd() {
        return pending != null ? pending.position() : wal.readPosition();
    }

    private void decode(WriteAheadLog.Block block) throws SQLException {
        if (block.segmentStart() != localSegment) {
            Arrays.fill(local, null);
            batch.newSegment();
            localSegment = block.segmentStart();
        }
        decoder.reset(block.payload(), block.length());
        long base = block.position() + WriteAheadLog.BLOCK_HEADER;
        int kind;
        while ((kind = decoder.next(sample)) >= 0) {
            if (kind == WalRecords.JOURNAL) {
                long position = base + decoder.recordOffset();
                if (position >= checkpoint && position > journalWatermark) {
                    JournalStore.bind(insertJournal, decoder.journal, position);
                    insertJournal.addBatch();
                    pendingJournal++;
                    pendingJournalWatermark = position;
                }
                continue;
            }
            if (kind == WalRecords.DEFINE) {
                if (decoder.definedId >= local.length) {
                    local = Arrays.copyOf(local, Math.max(local.length * 2, decoder.definedId + 1));
                }
                local[decoder.definedId] = state(decoder.definedName);
                continue;
            }
            long position = base + decoder.recordOffset();
            int id = decoder.tagId;
            TagState t = id < local.length ? local[id] : null;
            if (t == null) {
                throw new IllegalStateException("write-ahead log record for undefined tag " + id);
            }
            if (position < checkpoint) {
                // Already in the database: a replay after a crash or a database error.
                continue;
            }
            // The tag's own watermark is checked as its readings are consumed, not here: that would touch the
            // tag's state for every reading.
            batch.add(id, t, position, sample);
        }
    }

    private void consumeBatch() throws SQLException {
        int n = batch.size();
        if (n == 0) {
            return;
        }
        batch.sort();
        int skipped = 0;
        for (int g = 0; g < batch.groups(); g++) {
            TagState t = batch.tag(g);
            // One lock per tag and batch: queries of this tag wait for its readings of the batch, nobody else.
            synchronized (t) {
                skipped += consumeGroup(t, batch.start(g), batch.end(g));
            }
        }
        batch.clear();
        processedSinceCommit += n - skipped;
        if (recovering) {
            replayed += n - skipped;
        }
    }

    /**
     * Consumes the readings of {@code t} at {@code [from, to)} of the batch's group order, in log order; returns how
     * many it skipped as already stored. The caller holds the tag's lock.
     */
    private int consumeGroup(TagState t, int from, int to) throws SQLException {
        int j = from;
        while (j < to && batch.position(batch.reading(j)) <= t.watermark) {
            // Already in the database: a replay after a crash or a database error.
            j++;
        }
        int skipped = j - from;
        while (j < to) {
            if (t.filter instanceof SampleFilter.Lossless) {
                int run = appendInOrder(t, j, to);
                if (run > 0) {
                    j += run;
                    continue;
                }
            }
            int i = batch.reading(j);
            batch.sample(i, sample);
            consume(t, sample, batch.position(i));
            j++;
        }
        return skipped;
    }

    /**
     * The common case of a lossless tag, taken a run at a time: readings in time order after everything its open
     * chunk holds, that neither end the chunk (late chunk catching up, span, text) nor are gap markers, go to the raw
     * samples as they are, up to the end of the interval or chunk. What is left afterwards is exactly what
     * {@link #consume} leaves for the same readings one by one. Returns how many it took, 0 when the first does not
     * qualify.
     */
    private int appendInOrder(TagState t, int from, int to) throws SQLException {
        ensureHead(t);
        int open = t.openCount();
        int room = Math.min(ChunkCodec.INTERVAL - t.raw.size(), ChunkStore.CHUNK_SAMPLES - open);
        int end = Math.min(to, from + Math.max(0, room));
        long low = Math.max(t.filter.lastSeen(), t.openCount() > 0 ? t.openEnd() : Long.MIN_VALUE);
        long openStart = open > 0 ? t.openStart() : Long.MAX_VALUE;
        long sealedEnd = t.sealedEnd;
        int k = from;
        while (k < end) {
            int i = batch.reading(k);
            long time = batch.time(i);
            if (time < low || batch.kind(i) == Sample.GAP) {
                break;
            }
            if (openStart == Long.MAX_VALUE) {
                openStart = time;
            } else if (time - openStart > ChunkStore.MAX_SPAN_MICROS
                    || t.textBytes > ChunkStore.MAX_CHUNK_TEXT_BYTES
                    || openStart < sealedEnd && time >= sealedEnd) {
                break;
            }
            // Kept up to date per reading: the text limit depends on what was appended before.
            batch.appendTo(i, t.raw);
            String text = batch.text(i);
            if (text != null) {
                t.textBytes += text.length() * 3L;
            }
            low = time;
            k++;
        }
        int taken = k - from;
        if (taken == 0) {
            return 0;
        }
        // Per reading, consume() would have left these behind; the last one's are what stays.
        t.heldAtRecordStart = null;
        t.heldReleased = false;
        if (t.firstUncovered == Long.MAX_VALUE) {
            t.firstUncovered = batch.position(batch.reading(from));
        }
        t.lastPosition = batch.position(batch.reading(k - 1));
        t.lastSeenTime = Math.max(t.lastSeenTime, low);
        t.filter.seenUpTo(low);
        if (low >= t.lastStoredTime) {
            t.lastStoredTime = low;
            t.lastIsGap = false;
        }
        endOfRecord(t);
        touch(t);
        return taken;
    }

    private void consume(TagState t, Sample s, long position) throws SQLException {
        current = t;
        inRecord = true;
        recordPosition = position;
        positionBeforeRecord = t.lastPosition;
        Sample held = t.filter.held();
        t.heldAtRecordStart = held == null ? null : new Sample().copyFrom(held);
        t.heldReleased = false;
        if (t.firstUncovered == Long.MAX_VALUE) {
            t.firstUncovered = position;
        }
        t.lastPosition = position;
        if (s.kind != Sample.GAP) {
            t.lastSeenTime = Math.max(t.lastSeenTime, s.time);
        }
        // The caller holds the tag's lock: the filter's held reading and the pieces change together.
        if (s.kind == Sample.GAP) {
            t.filter.release(sink);
            store(s, false);
            t.filter.restart();
        } else {
            t.filter.offer(s, sink);
        }
        inRecord = false;
        endOfRecord(t);
        touch(t);
    }

    /** The filter's sink: adds a stored sample to the open chunk of the current tag. */
    private void store(Sample s, boolean released) {
        TagState t = current;
        try {
            ensureHead(t);
            if (t.openCount() > 0) {
                // Written and encoded samples are final: an older sample starts a chunk of its own.
                boolean late = s.time < t.encodedEnd();
                long start = Math.min(t.openStart(), s.time);
                long end = Math.max(t.openEnd(), s.time);
                boolean tooLong = end - start > ChunkStore.MAX_SPAN_MICROS
                        || t.textBytes > ChunkStore.MAX_CHUNK_TEXT_BYTES;
                // A chunk of late samples ends where the samples catch up with what is already sealed.
                boolean lateChunkEnds = t.openStart() < t.sealedEnd && s.time >= t.sealedEnd;
                if (late || tooLong || lateChunkEnds) {
                    sealOpen(t);
                    coverBeforeRecord(t);
                }
            }
            t.append(s);
            if (released) {
                t.heldReleased = true;
            }
            if (s.time >= t.lastStoredTime) {
                t.lastStoredTime = s.time;
                t.lastIsGap = s.kind == Sample.GAP;
            }
            if (t.openCount() >= ChunkStore.CHUNK_SAMPLES) {
                t.sealAtRecordEnd = true;
            }
        } catch (SQLException e) {
            throw new StoreFailure(e);
        }
    }

    private void endOfRecord(TagState t) throws SQLException {
        if (t.sealAtRecordEnd || t.openCount() >= ChunkStore.CHUNK_SAMPLES) {
            t.sealAtRecordEnd = false;
            sealOpen(t);
            cover(t);
        } else if (t.raw.size() >= ChunkCodec.INTERVAL) {
            // A full interval: encoded in memory, on the encoder thread, until the chunk is sealed or a slice
            // publishes it.
            t.handOffRaw(encoder, codec);
        }
    }

    private void touch(TagState t) {
        if (!t.touched) {
            t.touched = true;
            touched.add(t);
        }
    }

    private void inTransaction(TagState t) {
        if (!t.inTransaction) {
            t.inTransaction = true;
            inTransaction.add(t);
        }
    }

    /** Everything consumed for {@code t} is now in rows of this transaction, or left out by its filter. */
    private void cover(TagState t) {
        t.pendingWatermark = t.lastPosition;
        Sample held = t.filter.held();
        t.pendingHeld = held == null ? null : encodeOne(held);
        t.firstUncovered = Long.MAX_VALUE;
        t.rowDirty = true;
        inTransaction(t);
    }

    /** After a seal in the middle of a record: the rows hold what came before the record, and its held reading. */
    private void coverBeforeRecord(TagState t) {
        if (!inRecord || current != t) {
            cover(t);
            return;
        }
        t.pendingWatermark = positionBeforeRecord;
        Sample held = t.heldAtRecordStart;
        t.pendingHeld = held != null && !t.heldReleased ? encodeOne(held) : null;
        t.firstUncovered = recordPosition;
        t.rowDirty = true;
        inTransaction(t);
    }

    // ---- chunks

    private void ensureHead(TagState t) throws SQLException {
        if (t.headLoaded) {
            return;
        }
        selectHeadInfo.setInt(1, t.id);
        try (ResultSet rs = selectHeadInfo.executeQuery()) {
            rs.next();
            if (rs.getInt(1) > 0) {
                t.headCount = rs.getInt(2);
                t.headStart = rs.getLong(3);
                t.headEnd = rs.getLong(4);
                t.headSeq = rs.getLong(5);
            } else {
                t.headCount = 0;
                t.headStart = Long.MAX_VALUE;
                t.headEnd = Long.MIN_VALUE;
                t.headSeq = -1;
            }
        }
        lastChunkEnd.setInt(1, t.id);
        try (ResultSet rs = lastChunkEnd.executeQuery()) {
            t.sealedEnd = rs.next() ? rs.getLong(1) : Long.MIN_VALUE;
        }
        t.headLoaded = true;
        long dataEnd = Math.max(t.headEnd, t.sealedEnd);
        if (dataEnd != Long.MIN_VALUE && dataEnd > t.lastStoredTime) {
            // The row was left alone by commits since (see rowNeeded): the data is newer, and is no gap marker,
            // since writing one always writes the row.
            t.lastStoredTime = dataEnd;
            t.lastIsGap = false;
            t.lastSeenTime = Math.max(t.lastSeenTime, dataEnd);
        }
    }

    /** Writes what {@code t} holds of its open chunk in no row as one slice: what the publish interval asks. */
    private void writeSlice(TagState t) throws SQLException {
        ensureHead(t);
        t.encodeRaw(codec);
        List<TagState.Piece> unwritten = t.unwrittenPieces();
        if (unwritten.isEmpty()) {
            return;
        }
        List<byte[]> chunks = new ArrayList<>(unwritten.size());
        int n = 0;
        for (TagState.Piece p : unwritten) {
            chunks.add(p.chunk(codec));
            n += p.count;
        }
        byte[] data = ChunkCodec.assemble(chunks);
        long first = unwritten.get(0).first;
        long last = unwritten.get(unwritten.size() - 1).last;
        long seq = sequence++;
        metaDirty = true;
        insertHead.setInt(1, t.id);
        insertHead.setLong(2, seq);
        insertHead.setLong(3, first);
        insertHead.setLong(4, last);
        insertHead.setInt(5, n);
        insertHead.setBytes(6, data);
        insertHead.executeUpdate();
        t.headCount += n;
        if (t.headSeq < 0) {
            t.headSeq = seq;
        }
        t.headStart = Math.min(t.headStart, first);
        t.headEnd = Math.max(t.headEnd, last);
        t.markWritten(unwritten, TagState.rowId(seq, false));
        uncommittedSamples += n;
        inTransaction(t);
    }

    /**
     * Seals the open chunk of {@code t} into one chunk row: its slices (read back from H2) and the intervals in
     * memory, merged without decoding where they are large enough (see {@link ChunkCodec#merge}).
     */
    private void sealOpen(TagState t) throws SQLException {
        ensureHead(t);
        if (t.openCount() == 0) {
            return;
        }
        t.encodeRaw(codec);
        List<TagState.Piece> unwritten = t.unwrittenPieces();
        List<byte[]> parts = new ArrayList<>(unwritten.size() + 4);
        int n = t.headCount;
        long first = t.headStart;
        long last = t.headEnd;
        if (t.headCount > 0) {
            selectHeadData.setInt(1, t.id);
            try (ResultSet rs = selectHeadData.executeQuery()) {
                while (rs.next()) {
                    parts.add(rs.getBytes(1));
                }
            }
        }
        for (TagState.Piece p : unwritten) {
            parts.add(p.chunk(codec));
            n += p.count;
            first = Math.min(first, p.first);
            last = Math.max(last, p.last);
        }
        byte[] data = codec.merge(parts);
        if (ChunkCodec.samples(data) != n) {
            throw new IllegalStateException("the open chunk of tag " + t.name + " holds " + ChunkCodec.samples(data)
                    + " samples, where " + n + " were written");
        }
        long seq = t.headSeq >= 0 ? t.headSeq : sequence++;
        metaDirty = true;
        insertChunk.setInt(1, t.id);
        insertChunk.setLong(2, first);
        insertChunk.setLong(3, seq);
        insertChunk.setLong(4, last);
        insertChunk.setInt(5, n);
        insertChunk.setBytes(6, data);
        insertChunk.executeUpdate();
        if (t.headCount > 0) {
            deleteHead.setInt(1, t.id);
            deleteHead.executeUpdate();
        }
        t.markSealed(TagState.rowId(seq, true));
        t.sealedEnd = Math.max(t.sealedEnd, last);
        t.headCount = 0;
        t.headSeq = -1;
        t.headStart = Long.MAX_VALUE;
        t.headEnd = Long.MIN_VALUE;
        t.textBytes = 0;
        uncommittedSamples += n;
        inTransaction(t);
    }

    private byte[] encodeOne(Sample s) {
        SampleBuffer one = new SampleBuffer(1);
        one.add(s);
        return codec.encode(one, 0, 1, new Summary());
    }

    // ---- commits

    /** Writes every touched tag's unwritten samples and position: what a publish interval or a flush asks. */
    private void publishAll() throws SQLException {
        // The raw samples of the tags go to the encoder thread first; the slices are then written from the last
        // tag back, so that this thread and the encoder thread encode them from both ends.
        int handedOff = 0;
        for (TagState t : touched) {
            if (t.raw.size() >= HAND_OFF_SAMPLES) {
                t.handOffRaw(encoder, codec);
                handedOff++;
            }
        }
        // The buffers handed off come back after the commit: keep about that many spares, no more.
        encoder.trim(Math.max(64, 2 * handedOff));
        for (int i = touched.size() - 1; i >= 0; i--) {
            TagState t = touched.get(i);
            writeSlice(t);
            cover(t);
            t.touched = false;
        }
        touched.clear();
    }

    private void commit() throws SQLException {
        long now = System.nanoTime();
        long newCheckpoint = consumedEnd();
        for (TagState t : touched) {
            newCheckpoint = Math.min(newCheckpoint, t.firstUncovered);
        }
        boolean moved = newCheckpoint != checkpoint;
        if (inTransaction.isEmpty() && processedSinceCommit == 0 && !metaDirty && !moved && pendingJournal == 0) {
            lastCommitNanos = now;
            completeSatisfied();
            return;
        }
        for (TagState t : inTransaction) {
            if (t.rowDirty && !rowNeeded(t, newCheckpoint)) {
                t.rowDirty = false;
            }
            if (t.rowDirty) {
                updateTag.setLong(1, t.pendingWatermark >= 0 ? t.pendingWatermark : t.watermark);
                if (t.lastStoredTime == Long.MIN_VALUE) {
                    updateTag.setNull(2, Types.BIGINT);
                } else {
                    updateTag.setLong(2, t.lastStoredTime);
                }
                updateTag.setBoolean(3, t.lastIsGap);
                updateTag.setBytes(4, t.pendingHeld);
                if (t.lastSeenTime == Long.MIN_VALUE) {
                    updateTag.setNull(5, Types.BIGINT);
                } else {
                    updateTag.setLong(5, t.lastSeenTime);
                }
                updateTag.setInt(6, t.id);
                updateTag.addBatch();
            }
        }
        updateTag.executeBatch();
        if (pendingJournal > 0) {
            insertJournal.executeBatch();
            // In the same transaction as the rows: a replay after a crash skips what they hold.
            ChunkStore.setMeta(connection, JournalStore.META_POSITION, pendingJournalWatermark);
        }
        ChunkStore.setMeta(connection, ChunkStore.META_CHECKPOINT, newCheckpoint);
        ChunkStore.setMeta(connection, ChunkStore.META_SEQUENCE, sequence);
        ChunkStore.setMeta(connection, ChunkStore.META_HEARTBEAT, Micros.of(Instant.now()));
        connection.commit();
        checkpoint = newCheckpoint;
        if (pendingJournal > 0) {
            journalWatermark = pendingJournalWatermark;
            journalWritten.addAndGet(pendingJournal);
            pendingJournal = 0;
        }
        for (TagState t : inTransaction) {
            t.committed(encoder);
            if (t.rowDirty) {
                t.rowHasLast = t.lastStoredTime != Long.MIN_VALUE;
                t.rowLastGap = t.lastIsGap;
                t.rowHeld = t.pendingHeld;
            }
            if (t.pendingWatermark >= 0) {
                // Written, or covered by the checkpoint: readings up to here are not stored again.
                t.watermark = Math.max(t.watermark, t.pendingWatermark);
            }
            t.pendingWatermark = -1;
            t.rowDirty = false;
            t.inTransaction = false;
        }
        inTransaction.clear();
        uncommittedSamples = 0;
        written.addAndGet(processedSinceCommit);
        processedSinceCommit = 0;
        metaDirty = false;
        lastCommitNanos = now;
        retryMillis = FIRST_RETRY_MILLIS;
        completeSatisfied();
    }

    /**
     * Whether the commit must write {@code t}'s row. Not when the checkpoint covers its watermark (a replay starts
     * there anyway), it holds no reading, its gap state is unchanged, and it is lossless: its latest times are then
     * what its data says, and {@link #ensureHead} reads them from there. With thousands of tags, this saves an
     * update of every tag's row at every publish interval.
     */
    private static boolean rowNeeded(TagState t, long newCheckpoint) {
        return t.pendingWatermark > newCheckpoint
                || t.pendingHeld != null || t.rowHeld != null
                || t.lastIsGap != t.rowLastGap
                || (t.lastStoredTime != Long.MIN_VALUE) != t.rowHasLast
                || !(t.filter instanceof SampleFilter.Lossless);
    }

    private void maybeCheckpoint() throws SQLException, IOException {
        long now = System.nanoTime();
        if (now - lastCheckpointNanos < CHECKPOINT_NANOS && wal.bytes() < CHECKPOINT_LOG_BYTES) {
            return;
        }
        lastCheckpointNanos = now;
        if (checkpoint == syncedCheckpoint || !inTransaction.isEmpty()) {
            return;
        }
        syncCheckpoint();
    }

    /** Forces H2's file to disk, after which the log before the checkpoint is no longer needed. */
    private void syncCheckpoint() throws SQLException, IOException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("CHECKPOINT SYNC");
        }
        syncedCheckpoint = checkpoint;
        wal.deleteUpTo(checkpoint);
    }

    private void takeRequests() {
        FlushRequest r;
        while ((r = requests.poll()) != null) {
            waiting.add(r);
        }
    }

    private boolean flushSatisfiable() {
        if (waiting.isEmpty() || recovering) {
            return false;
        }
        long read = consumedEnd();
        for (FlushRequest r : waiting) {
            if (r.target <= read) {
                return true;
            }
        }
        return false;
    }

    private void completeSatisfied() {
        if (waiting.isEmpty() || recovering) {
            return;
        }
        long read = consumedEnd();
        waiting.removeIf(r -> {
            if (r.target <= read) {
                r.done.complete(true);
                return true;
            }
            return false;
        });
    }

    // ---- tags

    private TagState state(String name) throws SQLException {
        TagState t = tags.get(name);
        if (t != null) {
            return t;
        }
        ChunkStore.TagRow row = ChunkStore.findTag(dictionary, name);
        if (row == null) {
            row = ChunkStore.createTag(dictionary, name);
        }
        t = new TagState(row.id(), name, row.walPosition());
        t.lastStoredTime = row.lastMicros() == null ? Long.MIN_VALUE : row.lastMicros();
        t.lastIsGap = row.lastGap();
        t.lastSeenTime = row.seenMicros() == null ? Long.MIN_VALUE : row.seenMicros();
        t.rowHasLast = row.lastMicros() != null;
        t.rowLastGap = row.lastGap();
        t.rowHeld = row.held();
        t.interpolation = row.interpolation() == 0 ? Interpolation.STEP : Interpolation.LINEAR;
        tags.put(name, t);
        applySettings(t, row.interpolation());
        if (row.held() != null) {
            // The reading a swinging door held when the writer last stopped: its door is gone, so store it.
            SampleBuffer one = new SampleBuffer(1);
            codec.decodeAll(row.held(), one);
            Sample held = new Sample();
            one.get(0, held);
            outsideRecord(t);
            synchronized (t) {
                store(held, false);
            }
            endOfRecord(t);
            touch(t);
            cover(t);
        }
        return t;
    }

    private void outsideRecord(TagState t) {
        current = t;
        inRecord = false;
    }

    private void applyConfiguration() throws SQLException {
        long version = configuration.version();
        if (version == configurationVersion) {
            return;
        }
        configurationVersion = version;
        for (String name : configuration.all().keySet()) {
            TagState t = tags.get(name);
            if (t == null) {
                // Creates the row, so that readers in other processes learn the tag's interpolation.
                state(name);
            } else {
                applySettings(t, t.interpolation == Interpolation.STEP ? 0 : 1);
            }
        }
    }

    private void applySettings(TagState t, int storedInterpolation) throws SQLException {
        TagHistorySettings wanted = configuration.get(t.name);
        if (!wanted.equals(t.settings)) {
            outsideRecord(t);
            synchronized (t) {
                t.filter.release(sink);
                t.settings = wanted;
                t.filter = SampleFilter.of(wanted);
                t.interpolation = wanted.interpolation();
            }
            endOfRecord(t);
            touch(t);
        }
        int interpolation = wanted.interpolation() == Interpolation.STEP ? 0 : 1;
        if (interpolation != storedInterpolation) {
            try (PreparedStatement update = dictionary.prepareStatement(
                    "UPDATE tag SET interpolation = ? WHERE id = ?")) {
                update.setInt(1, interpolation);
                update.setInt(2, t.id);
                update.executeUpdate();
            }
        }
    }

    // ---- gaps

    /**
     * Stores a gap marker for {@code t}: the held reading first, then the marker at {@code time}, or, when
     * {@code afterLast}, just after the latest reading received (or stored), where the known history ends.
     */
    private void gap(TagState t, long time, boolean afterLast, Quality quality, String detail)
            throws SQLException {
        outsideRecord(t);
        // The latest times may be newer in the data than in the tag's row.
        ensureHead(t);
        synchronized (t) {
            t.filter.release(sink);
            long at = afterLast ? Math.max(t.lastSeenTime, t.lastStoredTime) + 1 : time;
            marker.set(at, Sample.GAP, 0, null, quality.code(), Sample.NO_SERVER_TIME, detail);
            store(marker, false);
            t.filter.restart();
        }
        endOfRecord(t);
        touch(t);
    }

    /** Once the log of earlier runs is replayed: after a crash, a gap marker for every tag left open. */
    private void finishRecovery() throws SQLException {
        recovering = false;
        if (!crashed) {
            return;
        }
        List<String> names = new ArrayList<>();
        for (ChunkStore.TagRow row : ChunkStore.openTags(connection)) {
            names.add(row.name());
        }
        for (TagState t : tags.values()) {
            if (!names.contains(t.name)) {
                names.add(t.name);
            }
        }
        int marked = 0;
        for (String name : names) {
            TagState t = state(name);
            if (!t.lastIsGap && (t.lastStoredTime != Long.MIN_VALUE || t.filter.held() != null)) {
                gap(t, 0, true, Quality.BAD_SHUTDOWN, "no history recorded: Stator stopped unexpectedly");
                marked++;
            }
        }
        publishAll();
        commit();
        LOG.info("history database {}: recovered after an unexpected stop: {} readings stored from the write-ahead"
                + " log, gap marked for {} tags", file, replayed, marked);
    }

    /** At close: gap markers, everything committed, H2 forced to disk, the log emptied. */
    private void finish() throws SQLException, IOException {
        if (recovering) {
            finishRecovery();
        }
        for (TagState t : tags.values()) {
            if (!t.lastIsGap && (t.lastStoredTime != Long.MIN_VALUE || t.filter.held() != null)) {
                gap(t, 0, true, Quality.BAD_SHUTDOWN, "no history recorded: Stator stopped");
            }
        }
        publishAll();
        ChunkStore.setMeta(connection, ChunkStore.META_RUNNING, 0);
        metaDirty = true;
        commit();
        try (Statement statement = connection.createStatement()) {
            statement.execute("CHECKPOINT SYNC");
        }
        if (checkpoint >= wal.end()) {
            wal.deleteAll();
        } else {
            wal.deleteUpTo(checkpoint);
        }
    }

    // ---- retention

    private void maybeRetention() throws SQLException {
        long now = System.nanoTime();
        if (!retentionRequested && now - lastRetentionNanos < settings.retentionInterval().toNanos()) {
            return;
        }
        if (!inTransaction.isEmpty()) {
            publishAll();
            commit();
        }
        retentionRequested = false;
        lastRetentionNanos = now;
        long nowMicros = Micros.of(Instant.now());
        long removed = applyRetention(nowMicros);
        long entries = 0;
        if (settings.journalRetention() != null) {
            entries = JournalStore.removeBefore(connection, cutoff(nowMicros, settings.journalRetention()));
        }
        retentionRuns.incrementAndGet();
        if (removed > 0 || entries > 0) {
            LOG.info("history retention removed {} samples and {} journal entries from {}", removed, entries, file);
        }
    }

    /** Deletes or trims every chunk and slice older than each tag's retention; returns the samples removed. */
    private long applyRetention(long nowMicros) throws SQLException {
        List<Object[]> rows = new ArrayList<>();
        try (Statement select = connection.createStatement();
             ResultSet rs = select.executeQuery("SELECT id, name FROM tag")) {
            while (rs.next()) {
                rows.add(new Object[] {rs.getInt(1), rs.getString(2)});
            }
        }
        long removed = 0;
        int sinceCommit = 0;
        for (Object[] row : rows) {
            int id = (Integer) row[0];
            String name = (String) row[1];
            Duration keep = configuration.isConfigured(name) && configuration.get(name).retention() != null
                    ? configuration.get(name).retention() : settings.retention();
            if (keep == null) {
                continue;
            }
            long cutoff = cutoff(nowMicros, keep);
            long r = removeBefore("chunk", id, cutoff) + removeBefore("head", id, cutoff);
            if (r > 0) {
                TagState t = tags.get(name);
                if (t != null) {
                    t.headLoaded = false;
                }
                removed += r;
                if (++sinceCommit >= 100) {
                    connection.commit();
                    sinceCommit = 0;
                }
            }
        }
        connection.commit();
        return removed;
    }

    private static long cutoff(long nowMicros, Duration keep) {
        long micros;
        try {
            micros = keep.toNanos() / 1_000;
        } catch (ArithmeticException e) {
            micros = Long.MAX_VALUE;
        }
        return nowMicros - Math.min(micros, Long.MAX_VALUE / 4);
    }

    private long removeBefore(String table, int tagId, long cutoff) throws SQLException {
        long removed = 0;
        try (PreparedStatement count = connection.prepareStatement("SELECT COALESCE(SUM(samples), 0) FROM " + table
                + " WHERE tag_id = ? AND start_us < ? AND end_us < ?");
             PreparedStatement delete = connection.prepareStatement("DELETE FROM " + table
                     + " WHERE tag_id = ? AND start_us < ? AND end_us < ?")) {
            count.setInt(1, tagId);
            count.setLong(2, cutoff);
            count.setLong(3, cutoff);
            try (ResultSet rs = count.executeQuery()) {
                rs.next();
                removed += rs.getLong(1);
            }
            delete.setInt(1, tagId);
            delete.setLong(2, cutoff);
            delete.setLong(3, cutoff);
            delete.executeUpdate();
        }
        // Chunks that straddle the cutoff keep their newer samples.
        List<Object[]> straddling = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT start_us, seq, data FROM " + table
                + " WHERE tag_id = ? AND start_us < ? AND end_us >= ?")) {
            select.setInt(1, tagId);
            select.setLong(2, cutoff);
            select.setLong(3, cutoff);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    straddling.add(new Object[] {rs.getLong(1), rs.getLong(2), rs.getBytes(3)});
                }
            }
        }
        for (Object[] chunk : straddling) {
            SampleBuffer all = new SampleBuffer();
            codec.decodeAll((byte[]) chunk[2], all);
            SampleBuffer kept = new SampleBuffer(all.size());
            for (int i = 0; i < all.size(); i++) {
                if (all.time[i] >= cutoff) {
                    kept.add(all, i);
                }
            }
            removed += all.size() - kept.size();
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM " + table
                    + " WHERE tag_id = ? AND start_us = ? AND seq = ?")) {
                delete.setInt(1, tagId);
                delete.setLong(2, (Long) chunk[0]);
                delete.setLong(3, (Long) chunk[1]);
                delete.executeUpdate();
            }
            try (PreparedStatement insert = connection.prepareStatement(
                    table.equals("chunk") ? ChunkStore.INSERT_CHUNK : ChunkStore.INSERT_HEAD)) {
                byte[] data = codec.encode(kept, 0, kept.size(), new Summary());
                insert.setInt(1, tagId);
                if (table.equals("chunk")) {
                    insert.setLong(2, kept.firstTime());
                    insert.setLong(3, (Long) chunk[1]);
                } else {
                    insert.setLong(2, (Long) chunk[1]);
                    insert.setLong(3, kept.firstTime());
                }
                insert.setLong(4, kept.lastTime());
                insert.setInt(5, kept.size());
                insert.setBytes(6, data);
                insert.executeUpdate();
            }
        }
        return removed;
    }

    // ---- failures

    private boolean awaitGate() {
        while (tuning.gate().isClosed()) {
            if (stopRequested && System.nanoTime() - giveUpAt >= 0) {
                return false;
            }
            sleep(SLEEP_SLICE_MILLIS);
        }
        return true;
    }

    private void fail(Exception e) {
        failing = true;
        failedAttempts++;
        String message = e instanceof SQLException sql ? file.translate(sql, "write").getMessage()
                : "cannot write history database " + file + " (" + e + ")";
        noteError(message);
        if (errorLog.tryAcquire()) {
            LOG.error("{}; samples are kept in the write-ahead log and written once the database works again",
                    message, e);
        }
        try {
            connection.rollback();
        } catch (SQLException | RuntimeException ignored) {
            // The connection is replaced below anyway.
        }
        closeConnections();
    }

    /** Pauses, reconnects and starts over from the checkpoint; false when closing gave up first. */
    private boolean recover() {
        while (true) {
            if (!pause(retryMillis)) {
                return false;
            }
            retryMillis = Math.min(retryMillis * 2, MAX_RETRY_MILLIS);
            try {
                connection = file.connectAsOwner(Duration.ZERO);
                connection.setAutoCommit(false);
                dictionary = file.connectAsOwner(Duration.ZERO);
                prepare();
                checkpoint = ChunkStore.meta(connection, ChunkStore.META_CHECKPOINT, checkpoint);
                sequence = Math.max(sequence, ChunkStore.meta(connection, ChunkStore.META_SEQUENCE, sequence));
                journalWatermark = JournalStore.watermark(connection);
                pendingJournal = 0;
                pendingJournalWatermark = -1;
                // What the failed transaction held is in the log: forget it and read the log again.
                tags.clear();
                touched.clear();
                inTransaction.clear();
                Arrays.fill(local, null);
                localSegment = Long.MIN_VALUE;
                uncommittedSamples = 0;
                processedSinceCommit = 0;
                metaDirty = false;
                inRecord = false;
                batch.clear();
                batch.newSegment();
                pending = null;
                wal.seek(checkpoint);
                LOG.info("writing to history database {} again after {} failed attempts", file, failedAttempts);
                failing = false;
                failedAttempts = 0;
                return true;
            } catch (SQLException | IOException e) {
                failedAttempts++;
                noteError(e instanceof SQLException sql ? file.translate(sql, "write").getMessage() : e.toString());
                closeConnections();
            } catch (HistoryException e) {
                failedAttempts++;
                noteError(e.getMessage());
                closeConnections();
                if (errorLog.tryAcquire()) {
                    LOG.error("{}; samples are kept in the write-ahead log", e.getMessage());
                }
            }
        }
    }

    /** Sleeps, or returns false at once when closing has given up on a failing database. */
    private boolean pause(long millis) {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (true) {
            if (stopRequested && System.nanoTime() - giveUpAt >= 0) {
                return false;
            }
            long left = end - System.nanoTime();
            if (left <= 0) {
                return true;
            }
            sleep(Math.min(SLEEP_SLICE_MILLIS, TimeUnit.NANOSECONDS.toMillis(left) + 1));
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            // See loop().
        }
    }

    private void prepare() throws SQLException {
        insertChunk = connection.prepareStatement(ChunkStore.INSERT_CHUNK);
        insertHead = connection.prepareStatement(ChunkStore.INSERT_HEAD);
        selectHeadData = connection.prepareStatement(ChunkStore.SELECT_HEAD_DATA);
        selectHeadInfo = connection.prepareStatement(ChunkStore.SELECT_HEAD_INFO);
        deleteHead = connection.prepareStatement(ChunkStore.DELETE_HEAD);
        updateTag = connection.prepareStatement(ChunkStore.UPDATE_TAG);
        insertJournal = connection.prepareStatement(JournalStore.INSERT);
        lastChunkEnd = connection.prepareStatement("SELECT end_us FROM chunk WHERE tag_id = ?"
                + " ORDER BY tag_id DESC, start_us DESC, seq DESC FETCH FIRST ROW ONLY");
    }

    private void noteError(String message) {
        errors.incrementAndGet();
        lastError = new Historian.WriteError(Instant.now(), message);
    }

    private void closeConnections() {
        for (Connection c : new Connection[] {connection, dictionary}) {
            if (c != null) {
                try {
                    c.close();
                } catch (SQLException | RuntimeException e) {
                    LOG.debug("closing a writer session of {}", file, e);
                }
            }
        }
        connection = null;
        dictionary = null;
    }

    /** Carries a database error out of the filter's sink, which cannot throw checked exceptions. */
    static final class StoreFailure extends RuntimeException {
        StoreFailure(SQLException cause) {
            super(cause);
        }

        @Override
        public synchronized SQLException getCause() {
            return (SQLException) super.getCause();
        }
    }
}
