package dev.stator.historian;

import dev.stator.driver.api.Quality;
import dev.stator.driver.api.TagValue;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The workstation's local history: records tag values as they arrive and answers queries by tag and time range.
 *
 * <p><b>Ingest.</b> {@link #record} only puts the sample into its thread's lane of a bounded queue, without a lock,
 * so acquisition threads never wait for the disk or for each other; when the queue is full the sample is dropped and
 * counted ({@link #droppedSamples()}). The thread
 * {@value #WAL_THREAD} appends the queue to a write-ahead log next to the database and forces it to disk at least
 * every {@link HistorianSettings#flushInterval() flush interval} (1 s by default): that is the durability window,
 * whatever H2 does. The thread {@value #WRITER_THREAD} reads the log, compresses each tag's samples into chunks and
 * commits them to H2 at least every {@link HistorianSettings#publishInterval() publish interval}; queries in this
 * process see samples as soon as that thread has them. If H2 falls behind or stops, samples wait in the log up to
 * {@link HistorianSettings#storeAndForwardCap() a cap} (store and forward); past it the oldest are dropped and
 * counted, and {@link #health()} says so.
 *
 * <p><b>Storage.</b> Each tag's samples are kept in time chunks of up to 4,096 samples, compressed losslessly
 * (delta-of-delta timestamps, decimal or XOR-coded floats, see {@code ChunkCodec}), with summaries per chunk and
 * per interval of 512 samples that binned and trend queries read instead of the samples. A tag may keep fewer
 * readings ({@link #configure}: on change, deadband, swinging door). Late and out-of-order samples are accepted.
 * When the historian closes, or is told of lost communication ({@link #markGap}), a gap marker is stored: trends and
 * interpolation never bridge it.
 *
 * <p><b>Journals.</b> {@link #journal(JournalEntry)} records alarm events, operator actions and system events the
 * same way, through a queue of their own and the same write-ahead log, so they share the samples' durability
 * window; they are committed as soon as the writer reads them, kept by their own retention
 * ({@link HistorianSettings#journalRetention()}) and queried with {@link #journal(JournalQuery)}.
 *
 * <p>What is kept of a {@link TagValue}: the value with its type (null, Boolean, Long, Double including NaN and -0.0,
 * String up to 100,000 characters, arrays), the quality code, the source timestamp and the server timestamp to the
 * microsecond, and the {@code detail} text up to 1,000 characters.
 *
 * <p>While the workstation holds the database, a second process can read it through {@link #openForReading(Path)}:
 * H2's automatic mixed mode serves it over a TCP server bound to 127.0.0.1 only (see {@code HistoryFile}). If this
 * program cannot confine that server to the loopback address, the database is opened exclusively and a reader gets
 * a {@link HistoryInUseException} instead. To confine it, the historian sets the system property
 * {@code h2.bindAddress} to {@code 127.0.0.1} (when it is unset) before H2 loads; H2 reads it once per JVM, so a
 * program that uses H2 for something else too should open the historian first or start with
 * {@code -Dh2.bindAddress=127.0.0.1}.
 */
public final class Historian extends HistoryQuerySource {

    /** The name of the thread that writes chunks to the database. */
    public static final String WRITER_THREAD = "stator-historian-writer";
    /** The name of the thread that appends recorded samples to the write-ahead log. */
    public static final String WAL_THREAD = "stator-historian-wal";
    /** The name of the thread that encodes full intervals of samples beside the writer thread. */
    public static final String ENCODER_THREAD = "stator-historian-encoder";
    /** Journal entries waiting to go to the write-ahead log; beyond it new entries are dropped and counted. */
    public static final int JOURNAL_QUEUE_CAPACITY = 10_000;

    private static final Logger LOG = LoggerFactory.getLogger(Historian.class);
    private static final long THREAD_GONE_MILLIS = 5_000;

    /** Data files held by a Historian in this JVM: a second writer on one file would shut the first one's down. */
    private static final Set<Path> OPEN = ConcurrentHashMap.newKeySet();

    /**
     * The last error met by the writers.
     *
     * @param time    when it happened
     * @param message what happened, naming the file and what to do
     */
    public record WriteError(Instant time, String message) {
    }

    private final HistoryFile file;
    private final HistorianSettings settings;
    private final Tuning tuning;
    private final Connection keeper;
    private final String serverAddress;
    private final IngestQueue queue;
    private final Queue<Pending> control = new ConcurrentLinkedQueue<>();
    private final BlockingQueue<JournalEntry> journal = new ArrayBlockingQueue<>(JOURNAL_QUEUE_CAPACITY);
    private final LongAdder droppedJournal = new LongAdder();
    private final TagConfiguration configuration;
    private final WriteAheadLog wal;
    private final StoreWriter store;
    private final WalWriter walWriter;
    private final Thread storeThread;
    private final Thread walThread;
    private final HistoryQueries queries;
    private final LongAdder dropped = new LongAdder();
    private final LogThrottle dropLog = new LogThrottle(Duration.ofMinutes(1));
    private volatile boolean closed;

    private Historian(HistoryFile file, HistorianSettings settings, Tuning tuning, Connection keeper,
                      TagConfiguration configuration, WriteAheadLog wal, StoreWriter store, long segmentBytes) {
        this.file = file;
        this.settings = settings;
        this.tuning = tuning;
        this.keeper = keeper;
        this.serverAddress = file.serverAddress().orElse(null);
        this.queue = new IngestQueue(settings.queueCapacity());
        this.configuration = configuration;
        this.wal = wal;
        this.store = store;
        this.walWriter = new WalWriter(file, wal, settings, segmentBytes, queue, control, journal,
                store);
        this.storeThread = new Thread(store, WRITER_THREAD);
        this.walThread = new Thread(walWriter, WAL_THREAD);
        // A forgotten close() must not keep the JVM alive; the log keeps what was recorded, for the next start.
        storeThread.setDaemon(true);
        walThread.setDaemon(true);
        this.queries = new HistoryQueries(file, store::snapshot);
    }

    /** Opens with {@link HistorianSettings#defaults()}. See {@link #open(Path, HistorianSettings)}. */
    public static Historian open(Path database) throws HistoryException {
        return open(database, HistorianSettings.defaults());
    }

    /**
     * Opens or creates the history database and starts the writer threads. Upgrades the schema of an older database
     * in place (version 1, one row per sample, becomes chunks). After an unexpected stop, stores what the
     * write-ahead log still holds and marks the gap. If another program holds the file (an export), waits for it up
     * to {@code settings.openTimeout()}. Called once by the workstation at start-up, on any thread but the JavaFX
     * application thread.
     *
     * @param database the database path without suffix, such as {@code <data>/history/history}, which gives
     *                 {@code history.mv.db} and the write-ahead log folder {@code history.wal}; the folder is created
     *                 if needed
     * @throws HistoryInUseException when another program holds the file beyond the open timeout, or a Historian of
     *                               this program already has it open
     * @throws HistoryException      when the database cannot be opened (damaged, written by a newer Stator, ...)
     */
    public static Historian open(Path database, HistorianSettings settings) throws HistoryException {
        return open(database, settings, Tuning.defaults());
    }

    static Historian open(Path database, HistorianSettings settings, Tuning tuning) throws HistoryException {
        Objects.requireNonNull(settings, "settings");
        HistoryFile file = HistoryFile.of(database);
        if (!OPEN.add(file.dataFile())) {
            throw new HistoryInUseException(file.dataFile(), "history database " + file.dataFile()
                    + " is already open in this program", null);
        }
        try {
            file.createFolder();
            Connection keeper = file.connectAsOwner(settings.openTimeout());
            WriteAheadLog wal = null;
            try {
                new SchemaMigrator(SchemaMigrator.STEPS).migrate(keeper);
                if (tuning.h2RetentionMillis() >= 0) {
                    try (Statement statement = keeper.createStatement()) {
                        statement.execute("SET RETENTION_TIME " + tuning.h2RetentionMillis());
                    }
                }
                long checkpoint = ChunkStore.meta(keeper, ChunkStore.META_CHECKPOINT, 0);
                long sequence = ChunkStore.meta(keeper, ChunkStore.META_SEQUENCE, 1);
                boolean crashed = ChunkStore.meta(keeper, ChunkStore.META_RUNNING, 0) != 0;
                long notBelow = Math.max(checkpoint, Math.max(ChunkStore.maxTagWalPosition(keeper),
                        JournalStore.watermark(keeper)) + 1);
                ChunkStore.setMeta(keeper, ChunkStore.META_RUNNING, 1);
                long segmentBytes = tuning.segmentBytes() > 0 ? tuning.segmentBytes()
                        : Math.max(256L << 10, Math.min(16L << 20, settings.storeAndForwardCap() / 16));
                wal = WriteAheadLog.open(file.walFolder(), segmentBytes, notBelow);
                Connection storeSession = file.connectAsOwner(Duration.ZERO);
                Connection dictionarySession = file.connectAsOwner(Duration.ZERO);
                Historian historian;
                try {
                    storeSession.setAutoCommit(false);
                    TagConfiguration configuration = new TagConfiguration();
                    StoreWriter store = new StoreWriter(file, settings, tuning, wal, wal.currentStart(),
                            configuration, storeSession, dictionarySession, checkpoint, sequence, crashed);
                    historian = new Historian(file, settings, tuning, keeper, configuration, wal, store,
                            segmentBytes);
                } catch (SQLException | RuntimeException e) {
                    closeQuietly(storeSession);
                    closeQuietly(dictionarySession);
                    throw e;
                }
                historian.walThread.start();
                historian.storeThread.start();
                LOG.info("history database {} open{}{}", file,
                        historian.serverAddress == null ? " (exclusive)"
                                : ", readable by other processes through " + historian.serverAddress,
                        crashed ? "; recovering from an unexpected stop" : "");
                return historian;
            } catch (SchemaMigrator.SchemaTooNewException e) {
                closeQuietly(keeper);
                throw new HistoryException("history database " + file + " was written by a newer Stator (schema"
                        + " version " + e.found() + "; this one knows up to " + e.known() + "); use that version, or"
                        + " move the file aside to start a new history", e);
            } catch (SQLException e) {
                closeQuietly(keeper);
                closeLog(wal);
                throw file.translate(e, "open");
            } catch (IOException e) {
                closeQuietly(keeper);
                closeLog(wal);
                throw new HistoryException("cannot open the write-ahead log " + file.walFolder() + " (" + e
                        + "); check the free disk space and the permissions of its folder", e);
            } catch (HistoryException | RuntimeException e) {
                closeQuietly(keeper);
                closeLog(wal);
                throw e;
            }
        } catch (HistoryException | RuntimeException e) {
            OPEN.remove(file.dataFile());
            throw e;
        }
    }

    /**
     * Opens a database for reading only, for an export from another process (or from this one). Shorthand for
     * {@link HistoryReader#open(Path)}; called on any thread but the JavaFX application thread.
     */
    public static HistoryReader openForReading(Path database) throws HistoryException {
        return HistoryReader.open(database);
    }

    /**
     * Queues one reading for writing. Never blocks and never touches the disk: when the queue is full the sample is
     * dropped and counted, with a warning logged at most once a minute. {@link TagValue#NO_VALUE_YET} (a tag not yet
     * read) is ignored, and so is everything after {@link #close()} (counted as dropped). Called on acquisition
     * threads, any number at once.
     *
     * @throws IllegalArgumentException for an empty tag name or one longer than 1,000 characters
     */
    public void record(String tag, TagValue value) {
        Objects.requireNonNull(value, "value");
        checkTag(tag);
        if (value.isNoValueYet()) {
            return;
        }
        if (closed) {
            dropped.increment();
            return;
        }
        long source;
        long server;
        try {
            server = value.serverTime() == null ? Sample.NO_SERVER_TIME : Micros.of(value.serverTime());
            source = Micros.of(value.sourceTime());
        } catch (ArithmeticException e) {
            drop("a timestamp of tag '" + tag + "' is out of the storable range: " + value);
            return;
        }
        if (!queue.offer(tag, value, source, server)) {
            drop("the history queue is full (" + settings.queueCapacity() + " samples)");
        }
    }

    /**
     * Queues one journal entry (an alarm event, an operator action, a system event) for writing. Never blocks and
     * never touches the disk: the entry goes through the write-ahead log with the samples, so it is on disk within
     * the {@link HistorianSettings#flushInterval() flush interval} and survives a crash. Queries in any process see
     * it once committed, normally within half a second (at once after {@link #flush}). When its own queue (of
     * {@value #JOURNAL_QUEUE_CAPACITY} entries, apart from the samples' queue) is full, or after {@link #close()},
     * the entry is dropped and counted ({@link HistorianHealth#droppedJournalEntries()}). Any thread.
     */
    public void journal(JournalEntry entry) {
        Objects.requireNonNull(entry, "entry");
        if (closed || !journal.offer(entry)) {
            droppedJournal.increment();
            if (dropLog.tryAcquire()) {
                LOG.warn("{}: dropping journal entries for {}; {} dropped so far",
                        closed ? "the history is closed" : "the journal queue is full (" + JOURNAL_QUEUE_CAPACITY
                                + " entries)", file, droppedJournal.sum());
            }
        }
    }

    /** Journal entries not recorded since opening: their queue was full, or they came after closing. Any thread. */
    public long droppedJournalEntries() {
        return droppedJournal.sum();
    }

    /** Journal entries committed to the database since opening. Any thread. */
    public long writtenJournalEntries() {
        return store.journalWritten();
    }

    /**
     * Marks a gap in the history of {@code tag} from {@code time} until its next sample: communication with its
     * source was lost. Trends break there and interpolation does not cross it; raw queries do not return the marker.
     * Never blocks. Called by the acquisition side, any thread.
     */
    public void markGap(String tag, Instant time) {
        checkTag(tag);
        Objects.requireNonNull(time, "time");
        if (closed) {
            return;
        }
        try {
            control.add(new Pending(tag, TagValue.bad(Quality.BAD_NO_COMMUNICATION, time, "communication lost"),
                    Micros.of(time), Sample.NO_SERVER_TIME, true));
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("a gap at " + time + " is out of the storable range", e);
        }
    }

    /**
     * Sets how the history of {@code tag} is kept from now on: which readings are stored, its interpolation and its
     * retention. Readings already stored stay as they are. Tags never configured are lossless with linear
     * interpolation. Called at start-up and when the project changes, any thread; takes effect within a moment.
     */
    public void configure(String tag, TagHistorySettings tagSettings) {
        checkTag(tag);
        Objects.requireNonNull(tagSettings, "tagSettings");
        configuration.put(tag, tagSettings);
    }

    /**
     * Blocks until every sample recorded before this call is on disk and committed to the database, where other
     * processes see it, or {@code timeout} passes. For tests, exports from this program and shutdown; called on any
     * thread but the JavaFX application thread.
     *
     * @return true when committed; false on timeout, or when the database keeps failing (see {@link #lastWriteError})
     */
    public boolean flush(Duration timeout) throws InterruptedException {
        if (closed) {
            return walWriter.lost() == 0 && store.isFinished();
        }
        StoreWriter.FlushRequest request = new StoreWriter.FlushRequest();
        walWriter.flush(request);
        try {
            return request.done.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException | ExecutionException e) {
            return false;
        }
    }

    /**
     * Readings stored since opening: committed to the database, or left out by their tag's compression. Any thread.
     */
    public long writtenSamples() {
        return store.written();
    }

    /**
     * Samples not recorded since opening: dropped because the queue was full (or the historian closed), dropped from
     * the store-and-forward buffer at its cap, plus those lost because the log could not be written until close gave
     * up. Any thread.
     */
    public long droppedSamples() {
        return dropped.sum() + wal.droppedSamples() + walWriter.lost();
    }

    /** Samples waiting in the queue. Any thread. */
    public int queueDepth() {
        return queue.size() + control.size();
    }

    /** Failed write attempts (log or database) since opening. Any thread. */
    public long writeErrors() {
        return store.errors() + walWriter.errors();
    }

    /** The latest write error, which stays after the writer recovers; empty while none happened. Any thread. */
    public Optional<WriteError> lastWriteError() {
        WriteError a = store.lastError();
        WriteError b = walWriter.lastError();
        if (a == null || b != null && b.time().isAfter(a.time())) {
            return Optional.ofNullable(b);
        }
        return Optional.of(a);
    }

    /** The state of the history now: queue, store-and-forward buffer, drops, disk. Any thread; cheap. */
    public HistorianHealth health() {
        long database;
        try {
            database = Files.size(file.dataFile());
        } catch (IOException e) {
            database = -1;
        }
        return new HistorianHealth(queueDepth(), wal.unreadBytes(), droppedSamples(), walWriter.freeDiskBytes(),
                database, walWriter.storeAndForwardFull(), walWriter.diskSpaceLow(), droppedJournalEntries());
    }

    /**
     * Writes a consistent copy of the database to {@code zip} while recording goes on: first commits what was
     * recorded (up to the close timeout), then H2's {@code BACKUP TO}, which copies one committed state without
     * stopping the writer. The copy opens with {@link HistoryReader} once unzipped. Called on any thread but the
     * JavaFX application thread.
     *
     * @throws HistoryException when the copy cannot be written; the message names the file
     */
    public void backup(Path zip) throws HistoryException {
        checkOpen();
        Objects.requireNonNull(zip, "zip");
        try {
            if (!flush(settings.closeTimeout())) {
                LOG.warn("backing up {} without the latest samples: they could not be committed in time", file);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HistoryException("interrupted while backing up history database " + file, e);
        }
        Path target = zip.toAbsolutePath();
        try {
            Files.createDirectories(target.getParent());
        } catch (IOException e) {
            throw new HistoryException("cannot create the folder for the backup " + target + " (" + e + ")", e);
        }
        try (Connection connection = file.connect(true, false);
             Statement statement = connection.createStatement()) {
            statement.execute("BACKUP TO '" + target.toString().replace("'", "''") + "'");
        } catch (SQLException e) {
            throw new HistoryException("cannot back up history database " + file + " to " + target + " ("
                    + HistoryFile.reason(e) + "); check the free disk space and the folder's permissions", e);
        }
    }

    /**
     * Logs what is queued, stores it with gap markers for every tag (the history stops here), commits, stops both
     * threads, lets exports in progress finish, and closes the database, all within {@code settings.closeTimeout()}.
     * What could not be stored in time stays in the write-ahead log for the next start. Afterwards no thread of the
     * historian or of H2 serves this database. Idempotent. Called once at shutdown, on any thread but the JavaFX
     * application thread.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        long deadline = System.nanoTime() + settings.closeTimeout().toNanos();
        walWriter.stop(deadline);
        join(walThread, deadline);
        store.stop(deadline);
        join(storeThread, deadline);
        closeLog(wal);
        // Read again: after a failure the writer may have reopened the database with a server on a new port.
        String server = file.serverAddress().orElse(serverAddress);
        shutDownDatabase(deadline);
        OPEN.remove(file.dataFile());
        awaitThreadsGone(server);
        LOG.info("history database {} closed: {} samples written, {} dropped", file, writtenSamples(),
                droppedSamples());
    }

    /** True while this process holds the database file itself rather than going through another's server. */
    boolean holdsFile() throws SQLException {
        return !HistoryFile.isRemote(keeper);
    }

    /** The {@code host:port} of the loopback server sharing the database, or null when opened exclusively. */
    String serverAddress() {
        return serverAddress;
    }

    Tuning tuning() {
        return tuning;
    }

    WriteAheadLog wal() {
        return wal;
    }

    StoreWriter store() {
        return store;
    }

    @Override
    HistoryQueries queries() {
        return queries;
    }

    private static void checkTag(String tag) {
        Objects.requireNonNull(tag, "tag");
        if (tag.isEmpty() || tag.length() > Limits.MAX_TAG_LENGTH) {
            throw new IllegalArgumentException("a tag name has 1 to " + Limits.MAX_TAG_LENGTH
                    + " characters: '" + tag + "'");
        }
    }

    private void drop(String why) {
        dropped.increment();
        if (dropLog.tryAcquire()) {
            LOG.warn("{}: dropping samples for {}; {} dropped so far", why, file, dropped.sum());
        }
    }

    @Override
    HistoryFile historyFile() {
        return file;
    }

    @Override
    void checkOpen() {
        if (closed) {
            throw new IllegalStateException("history database " + file + " is closed");
        }
    }

    private void join(Thread thread, long deadline) {
        try {
            thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            LOG.error("history thread {} for {} did not stop within {} s; closing under it", thread.getName(), file,
                    settings.closeTimeout().toSeconds());
        }
    }

    private static void closeLog(WriteAheadLog wal) {
        if (wal != null) {
            wal.close();
        }
    }

    /**
     * Closes the database for every session, including exports served to other processes, once they have finished
     * or the deadline has passed. A plain close would leave the database, its server and their threads running for
     * as long as a remote session stays open.
     */
    private void shutDownDatabase(long deadline) {
        try {
            if (keeper.isValid(1)) {
                awaitOtherSessions(deadline);
                try (Statement statement = keeper.createStatement()) {
                    statement.execute("SHUTDOWN");
                }
            }
        } catch (SQLException e) {
            LOG.warn("closing history database {}: {}", file, HistoryFile.reason(e));
        } finally {
            closeQuietly(keeper);
        }
    }

    private void awaitOtherSessions(long deadline) throws SQLException {
        boolean told = false;
        try (PreparedStatement count = keeper.prepareStatement(
                "SELECT COUNT(*) FROM INFORMATION_SCHEMA.SESSIONS WHERE SESSION_ID <> SESSION_ID()")) {
            while (true) {
                int others;
                try (ResultSet rs = count.executeQuery()) {
                    rs.next();
                    others = rs.getInt(1);
                }
                if (others == 0) {
                    return;
                }
                if (System.nanoTime() - deadline >= 0) {
                    LOG.warn("closing history database {} under {} reader(s) still busy", file, others);
                    return;
                }
                if (!told) {
                    LOG.info("waiting for {} reader(s) of history database {} to finish", others, file);
                    told = true;
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private void awaitThreadsGone(String server) {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(THREAD_GONE_MILLIS);
        List<Thread> left = file.h2Threads(server);
        while (!left.isEmpty() && System.nanoTime() - end < 0) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            left = file.h2Threads(server);
        }
        if (!left.isEmpty()) {
            LOG.warn("threads still serving history database {} after close: {}", file, left);
        }
    }

    private static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (SQLException | RuntimeException e) {
            LOG.debug("closing a history session", e);
        }
    }
}
