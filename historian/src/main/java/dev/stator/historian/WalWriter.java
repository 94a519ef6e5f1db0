package dev.stator.historian;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The body of the WAL thread: takes samples from the queue, appends them to the write-ahead log in blocks at least
 * every 100 ms, and forces the log to disk at least every half flush interval, so that a sample is on disk within
 * the flush interval of being recorded. Never touches H2, so a slow database never delays this. Also keeps the log
 * within its cap and watches the free disk space.
 */
final class WalWriter implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(WalWriter.class);

    private static final int BLOCK_BYTES = 256 << 10;
    private static final long BLOCK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final long DISK_CHECK_NANOS = TimeUnit.SECONDS.toNanos(5);
    private static final long RETRY_MILLIS = 200;

    private final HistoryFile file;
    private final WriteAheadLog wal;
    private final HistorianSettings settings;
    private final IngestQueue queue;
    private final Queue<Pending> control;
    private final Queue<JournalEntry> journal;
    private final StoreWriter store;
    private final long segmentBytes;
    private final Queue<StoreWriter.FlushRequest> flushes = new ConcurrentLinkedQueue<>();
    private final AtomicLong errors = new AtomicLong();
    private final LogThrottle errorLog = new LogThrottle(Duration.ofMinutes(1));
    private final LogThrottle dropLog = new LogThrottle(Duration.ofMinutes(1));
    private volatile Historian.WriteError lastError;
    private volatile boolean stopRequested;
    private volatile long giveUpAt;
    private volatile boolean finished;
    private volatile boolean full;
    private volatile boolean diskLow;
    private volatile long freeBytes = -1;

    // WAL thread only.
    private final WalRecords.Encoder encoder = new WalRecords.Encoder();
    private final Sample sample = new Sample();
    private final IngestQueue.Consumer encodeSlot = this::encode;
    /** When the drain before the current one started: what the current one takes was queued since, or waited. */
    private long quietSince;
    private long segment = Long.MIN_VALUE;
    private long blockStarted;
    private long oldestUnsynced = -1;
    private long lastDiskCheck;
    private long lost;

    WalWriter(HistoryFile file, WriteAheadLog wal, HistorianSettings settings, long segmentBytes,
              IngestQueue queue, Queue<Pending> control, Queue<JournalEntry> journal,
              StoreWriter store) {
        this.file = file;
        this.wal = wal;
        this.settings = settings;
        this.segmentBytes = segmentBytes;
        this.queue = queue;
        this.control = control;
        this.journal = journal;
        this.store = store;
    }

    @Override
    public void run() {
        try {
            checkDisk();
            loop();
        } catch (RuntimeException | Error e) {
            noteError("the write-ahead log writer stopped: " + e);
            LOG.error("write-ahead log writer for {} stopped by an unexpected error; samples are no longer recorded",
                    file, e);
        } finally {
            finished = true;
            StoreWriter.FlushRequest r;
            while ((r = flushes.poll()) != null) {
                r.done.complete(false);
            }
        }
    }

    /** Asks the thread to log what is queued, force it to disk and end. Called by close(). */
    void stop(long giveUpAtNanos) {
        giveUpAt = giveUpAtNanos;
        stopRequested = true;
        queue.wake();
    }

    /** Starts a flush: once everything queued before it is on disk, the store thread takes it over. */
    void flush(StoreWriter.FlushRequest request) {
        flushes.add(request);
        queue.wake();
        if (finished) {
            request.done.complete(false);
        }
    }

    long errors() {
        return errors.get();
    }

    /** Samples lost because the log could not be written until closing gave up. */
    long lost() {
        return lost;
    }

    Historian.WriteError lastError() {
        return lastError;
    }

    boolean storeAndForwardFull() {
        return full;
    }

    boolean diskSpaceLow() {
        return diskLow;
    }

    long freeDiskBytes() {
        return freeBytes;
    }

    private void loop() {
        List<StoreWriter.FlushRequest> flushing = new ArrayList<>();
        long syncNanos = Math.max(1, settings.flushInterval().toNanos() / 2);
        long blockNanos = Math.min(BLOCK_NANOS, syncNanos);
        beginBlock();
        long previousDrain = System.nanoTime();
        while (true) {
            boolean stopping = stopRequested;
            StoreWriter.FlushRequest r;
            while ((r = flushes.poll()) != null) {
                flushing.add(r);
            }
            boolean flushNow = !flushing.isEmpty() || stopping;
            long drainStarted = System.nanoTime();
            quietSince = previousDrain;
            previousDrain = drainStarted;
            encodeControl();
            encodeJournal();
            // On a flush: everything queued now was offered before the flush was asked for, or before closing.
            queue.drain(encodeSlot, flushNow ? Integer.MAX_VALUE : settings.batchSize());
            long now = System.nanoTime();
            if (!encoder.isEmpty() && (flushNow || encoder.length() >= BLOCK_BYTES
                    || now - blockStarted >= blockNanos)) {
                if (!writeBlock(stopping)) {
                    return;
                }
            }
            if (oldestUnsynced >= 0 && (flushNow || now - oldestUnsynced >= syncNanos)) {
                if (!sync(stopping)) {
                    return;
                }
            }
            if (!flushing.isEmpty()) {
                long end = wal.end();
                for (StoreWriter.FlushRequest f : flushing) {
                    f.target = end;
                    store.request(f);
                }
                flushing.clear();
            }
            keepWithinCap(now);
            if (stopping && queue.isEmpty() && control.isEmpty() && journal.isEmpty() && encoder.isEmpty()) {
                return;
            }
            if (!stopping && flushes.isEmpty() && control.isEmpty() && journal.isEmpty()) {
                // Sleeps while less than a sixteenth of the queue is taken: samples are taken in runs.
                long wait = encoder.isEmpty() ? blockNanos : blockStarted + blockNanos - System.nanoTime();
                if (oldestUnsynced >= 0) {
                    wait = Math.min(wait, oldestUnsynced + syncNanos - System.nanoTime());
                }
                if (wait > 0) {
                    queue.await(wait);
                }
            }
        }
    }

    private void encodeControl() {
        Pending p;
        while ((p = control.poll()) != null) {
            encode(p);
        }
    }

    /** Journal entries go in the same blocks as samples: the same durability window, and replay after a crash. */
    private void encodeJournal() {
        JournalEntry e;
        while ((e = journal.poll()) != null) {
            startBlockIfEmpty();
            encoder.addJournal(e);
        }
    }

    private void startBlockIfEmpty() {
        if (encoder.isEmpty()) {
            // The block's age counts from when its first sample may have been queued.
            blockStarted = Math.min(quietSince, System.nanoTime());
        }
    }

    private void encode(IngestQueue.Segment s, int i) {
        startBlockIfEmpty();
        s.fill(sample, i);
        encoder.add(s.tag[i], sample);
    }

    private void encode(Pending p) {
        startBlockIfEmpty();
        if (p.gap()) {
            sample.set(p.sourceMicros(), Sample.GAP, 0, null, p.value().quality().code(), Sample.NO_SERVER_TIME,
                    p.value().detail());
        } else {
            sample.from(p.value(), p.sourceMicros(), p.serverMicros());
        }
        encoder.add(p.tag(), sample);
    }

    private void beginBlock() {
        try {
            wal.rotateIfFull();
        } catch (IOException e) {
            noteError("cannot start a new write-ahead log segment in " + wal.folder() + " (" + e + ")");
        }
        long start = wal.currentStart();
        if (start != segment) {
            // Tag numbers refer to definitions in the same segment.
            segment = start;
            encoder.newSegment();
        }
        encoder.begin(Micros.of(Instant.now()));
    }

    /** Appends the block, retrying on errors; false when closing gave up, after counting the samples lost. */
    private boolean writeBlock(boolean stopping) {
        byte[] block = encoder.finish();
        while (true) {
            try {
                wal.append(block, encoder.length(), encoder.samples());
                if (oldestUnsynced < 0) {
                    oldestUnsynced = blockStarted;
                }
                beginBlock();
                return true;
            } catch (IOException e) {
                if (!retry("write", e, stopping)) {
                    lost += encoder.samples();
                    return false;
                }
            }
        }
    }

    private boolean sync(boolean stopping) {
        while (true) {
            try {
                wal.sync();
                oldestUnsynced = -1;
                return true;
            } catch (IOException e) {
                if (!retry("force", e, stopping)) {
                    return false;
                }
            }
        }
    }

    private boolean retry(String action, IOException e, boolean stopping) {
        String message = "cannot " + action + " the write-ahead log in " + wal.folder() + " (" + e
                + "); check the free disk space; new samples are dropped once the queue is full";
        noteError(message);
        if (errorLog.tryAcquire()) {
            LOG.error(message);
        }
        if ((stopping || stopRequested) && System.nanoTime() - giveUpAt >= 0) {
            return false;
        }
        try {
            Thread.sleep(RETRY_MILLIS);
        } catch (InterruptedException ignored) {
            // See poll().
        }
        return true;
    }

    private void keepWithinCap(long now) {
        if (now - lastDiskCheck >= DISK_CHECK_NANOS) {
            checkDisk();
            queue.removeEndedLanes();
        }
        long cap = settings.storeAndForwardCap();
        if (diskLow) {
            // Protect the disk: keep only a little backlog while space is short.
            cap = Math.min(cap, 4 * segmentBytes);
        }
        try {
            if (wal.bytes() > cap) {
                long dropped = wal.dropOldestUnreadAbove(cap);
                if (dropped > 0) {
                    full = true;
                    if (dropLog.tryAcquire()) {
                        LOG.warn("history store-and-forward buffer {} is full ({} MiB): dropped the {} oldest samples"
                                + " not yet in the database; {} dropped so far", wal.folder(), cap >> 20, dropped,
                                wal.droppedSamples());
                    }
                }
            }
            if (full && wal.unreadBytes() < settings.storeAndForwardCap() / 2) {
                full = false;
            }
        } catch (IOException e) {
            noteError("cannot drop old write-ahead log segments in " + wal.folder() + " (" + e + ")");
        }
    }

    private void checkDisk() {
        lastDiskCheck = System.nanoTime();
        try {
            long free = Files.getFileStore(wal.folder()).getUsableSpace();
            freeBytes = free;
            boolean low = free < settings.diskSpaceFloor();
            if (low && !diskLow) {
                LOG.warn("free disk space for history {} is {} MiB, below the floor of {} MiB", wal.folder(),
                        free >> 20, settings.diskSpaceFloor() >> 20);
            }
            diskLow = low;
        } catch (IOException e) {
            freeBytes = -1;
        }
    }

    private void noteError(String message) {
        errors.incrementAndGet();
        lastError = new Historian.WriteError(Instant.now(), message);
    }
}
