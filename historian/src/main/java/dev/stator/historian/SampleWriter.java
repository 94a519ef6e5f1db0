package dev.stator.historian;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The body of the writer thread: drains the queue into JDBC batches inside one transaction and commits at least
 * every flush interval, when a flush asks for it, and when closing.
 *
 * <p>On a database error it rolls back, keeps the samples of the failed transaction, and tries again with growing
 * pauses (reopening the database) until it succeeds or closing gives up; meanwhile the queue stays bounded and
 * {@code record()} drops and counts. The thread is never interrupted: H2 closes its file when a thread doing I/O is
 * interrupted.
 */
final class SampleWriter implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(SampleWriter.class);

    private static final long IDLE_POLL_MILLIS = 20;
    private static final long FIRST_RETRY_MILLIS = 500;
    private static final long MAX_RETRY_MILLIS = 30_000;
    private static final long SLEEP_SLICE_MILLIS = 50;

    private final HistoryFile file;
    private final BlockingQueue<Pending> queue;
    private final int batchSize;
    private final int maxUncommitted;
    private final long flushNanos;

    private final Queue<CompletableFuture<Boolean>> flushRequests = new ConcurrentLinkedQueue<>();
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong lost = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final LogThrottle errorLog = new LogThrottle(Duration.ofMinutes(1));
    private volatile Historian.WriteError lastError;
    private volatile boolean stopRequested;
    private volatile long giveUpAt;
    private volatile boolean finished;

    // Touched by the writer thread only (handed over by Thread.start()).
    private Connection connection;
    private PreparedStatement insert;
    private final Map<String, Integer> tagIds = new HashMap<>();
    private final List<Pending> uncommitted = new ArrayList<>();
    private final List<CompletableFuture<Boolean>> waiting = new ArrayList<>();
    private long firstUncommittedAt;
    private int owed;
    private boolean failing;
    private long retryMillis = FIRST_RETRY_MILLIS;
    private int failedAttempts;

    SampleWriter(HistoryFile file, HistorianSettings settings, BlockingQueue<Pending> queue, Connection connection)
            throws SQLException {
        this.file = file;
        this.queue = queue;
        this.batchSize = settings.batchSize();
        this.maxUncommitted = Math.max(settings.queueCapacity(), settings.batchSize());
        this.flushNanos = settings.flushInterval().toNanos();
        this.connection = connection;
        connection.setAutoCommit(false);
        this.insert = connection.prepareStatement(SampleStore.INSERT);
    }

    @Override
    public void run() {
        try {
            loop();
        } catch (RuntimeException | Error e) {
            // Last resort: say so loudly rather than let the thread vanish.
            noteError("the history writer stopped: " + e);
            LOG.error("history writer for {} stopped by an unexpected error; samples are no longer recorded", file,
                    e);
        } finally {
            long left = uncommitted.size() + drainQueue();
            uncommitted.clear();
            if (left > 0) {
                lost.addAndGet(left);
                LOG.error("{} samples could not be written to history database {} and are lost", left, file);
            }
            closeConnection();
            finished = true;
            completeAll(lost.get() == 0);
        }
    }

    /**
     * Asks the thread to write what is queued, commit and end; if the database keeps failing it gives up at
     * {@code giveUpAtNanos} ({@link System#nanoTime()} scale). Called by {@code close()}.
     */
    void stop(long giveUpAtNanos) {
        this.giveUpAt = giveUpAtNanos;
        this.stopRequested = true;
    }

    /** Blocks the calling thread until everything queued before the call is committed, or the timeout passes. */
    boolean flush(Duration timeout) throws InterruptedException {
        CompletableFuture<Boolean> done = new CompletableFuture<>();
        flushRequests.add(done);
        if (finished) {
            // The thread has ended and will not look at requests any more.
            done.complete(lost.get() == 0 && queue.isEmpty());
        }
        try {
            return done.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException | ExecutionException e) {
            return false;
        }
    }

    long written() {
        return written.get();
    }

    long lost() {
        return lost.get();
    }

    long errors() {
        return errors.get();
    }

    Historian.WriteError lastError() {
        return lastError;
    }

    private void loop() {
        List<Pending> batch = new ArrayList<>(batchSize);
        while (true) {
            if (failing && !recover()) {
                return;
            }
            boolean stopping = stopRequested;
            if (takeFlushRequests() || stopping) {
                // Everything in the queue now was offered before the request was seen.
                owed = queue.size();
            }
            batch.clear();
            queue.drainTo(batch, batchSize);
            if (batch.isEmpty() && owed == 0 && waiting.isEmpty() && !stopping) {
                Pending first = pollQueue();
                if (first != null) {
                    batch.add(first);
                    queue.drainTo(batch, batchSize - 1);
                }
            }
            try {
                if (!batch.isEmpty()) {
                    write(batch);
                    owed = Math.max(0, owed - batch.size());
                }
                if (!uncommitted.isEmpty() && commitDue(stopping)) {
                    commit();
                }
            } catch (SQLException e) {
                fail(e);
                continue;
            }
            if (uncommitted.isEmpty() && owed == 0 && !waiting.isEmpty()) {
                waiting.forEach(w -> w.complete(true));
                waiting.clear();
            }
            if (stopping && queue.isEmpty() && uncommitted.isEmpty()) {
                return;
            }
        }
    }

    private boolean commitDue(boolean stopping) {
        return System.nanoTime() - firstUncommittedAt >= flushNanos
                || owed == 0 && !waiting.isEmpty()
                || stopping && queue.isEmpty()
                || uncommitted.size() >= maxUncommitted;
    }

    private Pending pollQueue() {
        long wait = TimeUnit.MILLISECONDS.toNanos(IDLE_POLL_MILLIS);
        if (!uncommitted.isEmpty()) {
            long untilCommit = firstUncommittedAt + flushNanos - System.nanoTime();
            wait = Math.max(TimeUnit.MILLISECONDS.toNanos(1), Math.min(wait, untilCommit));
        }
        try {
            return queue.poll(wait, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            // Nobody interrupts this thread on purpose; carry on and let close() end it.
            return null;
        }
    }

    private void write(List<Pending> batch) throws SQLException {
        if (uncommitted.isEmpty()) {
            firstUncommittedAt = System.nanoTime();
        }
        // Kept before executing, so that a failed batch is retried together with the rest of its transaction.
        uncommitted.addAll(batch);
        insertBatch(batch);
    }

    private void insertBatch(List<Pending> batch) throws SQLException {
        for (Pending sample : batch) {
            SampleStore.bind(insert, tagId(sample.tag()), sample);
            insert.addBatch();
        }
        insert.executeBatch();
    }

    private int tagId(String tag) throws SQLException {
        Integer id = tagIds.get(tag);
        if (id == null) {
            id = SampleStore.findTagId(connection, tag);
            if (id == null) {
                id = SampleStore.createTag(connection, tag);
            }
            tagIds.put(tag, id);
        }
        return id;
    }

    private void commit() throws SQLException {
        connection.commit();
        written.addAndGet(uncommitted.size());
        uncommitted.clear();
    }

    private void fail(SQLException e) {
        failing = true;
        failedAttempts++;
        String message = file.translate(e, "write").getMessage();
        noteError(message);
        if (errorLog.tryAcquire()) {
            LOG.error("{}; {} samples are kept and retried, new samples are dropped once the queue is full", message,
                    uncommitted.size(), e);
        }
        try {
            connection.rollback();
        } catch (SQLException | RuntimeException ignored) {
            // The connection is replaced below anyway.
        }
        // Ids created in the rolled-back transaction are gone; start from a fresh session in a known state.
        tagIds.clear();
        closeConnection();
    }

    /** Pauses, reopens and writes the kept samples again; false when closing gave up first. */
    private boolean recover() {
        while (true) {
            if (!pause(retryMillis)) {
                return false;
            }
            retryMillis = Math.min(retryMillis * 2, MAX_RETRY_MILLIS);
            try {
                if (connection == null) {
                    connection = file.connectAsOwner(Duration.ZERO);
                    connection.setAutoCommit(false);
                    insert = connection.prepareStatement(SampleStore.INSERT);
                }
                for (int i = 0; i < uncommitted.size(); i += batchSize) {
                    insertBatch(uncommitted.subList(i, Math.min(i + batchSize, uncommitted.size())));
                }
                commit();
                LOG.info("writing to history database {} again after {} failed attempts", file, failedAttempts);
                failing = false;
                failedAttempts = 0;
                retryMillis = FIRST_RETRY_MILLIS;
                return true;
            } catch (SQLException e) {
                fail(e);
            } catch (HistoryException e) {
                failedAttempts++;
                noteError(e.getMessage());
                closeConnection();
                if (errorLog.tryAcquire()) {
                    LOG.error("{}; {} samples are kept and retried", e.getMessage(), uncommitted.size());
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
            try {
                Thread.sleep(Math.min(SLEEP_SLICE_MILLIS, TimeUnit.NANOSECONDS.toMillis(left) + 1));
            } catch (InterruptedException e) {
                // See pollQueue().
            }
        }
    }

    private boolean takeFlushRequests() {
        boolean any = false;
        CompletableFuture<Boolean> request;
        while ((request = flushRequests.poll()) != null) {
            waiting.add(request);
            any = true;
        }
        return any;
    }

    private void completeAll(boolean result) {
        takeFlushRequests();
        waiting.forEach(w -> w.complete(result));
        waiting.clear();
    }

    private long drainQueue() {
        List<Pending> rest = new ArrayList<>();
        queue.drainTo(rest);
        return rest.size();
    }

    private void noteError(String message) {
        errors.incrementAndGet();
        lastError = new Historian.WriteError(Instant.now(), message);
    }

    private void closeConnection() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException | RuntimeException e) {
                LOG.debug("closing the writer session of {}", file, e);
            }
            connection = null;
            insert = null;
        }
    }
}
