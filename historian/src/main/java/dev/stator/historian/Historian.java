package dev.stator.historian;

import dev.stator.driver.api.TagValue;
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
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The workstation's local history: records tag values as they arrive and answers queries by tag and time range.
 *
 * <p>{@link #record} only offers the sample to a bounded queue, so acquisition threads never wait for the disk; one
 * thread named {@value #WRITER_THREAD} writes the queue to an H2 database in batches and commits at least every
 * flush interval. When the queue is full new samples are dropped and counted ({@link #droppedSamples()}).
 *
 * <p>What is kept of a {@link TagValue}: the value with its type (null, Boolean, Long, Double including NaN and -0.0,
 * String up to 100,000 characters), the quality code, the source timestamp and the server timestamp to the
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
public final class Historian implements HistorySource {

    /** The name of the writer thread. */
    public static final String WRITER_THREAD = "stator-historian-writer";

    private static final Logger LOG = LoggerFactory.getLogger(Historian.class);
    private static final long THREAD_GONE_MILLIS = 5_000;

    /** Data files held by a Historian in this JVM: a second writer on one file would shut the first one's down. */
    private static final Set<Path> OPEN = ConcurrentHashMap.newKeySet();

    /**
     * The last error met by the writer.
     *
     * @param time    when it happened
     * @param message what happened, naming the file and what to do
     */
    public record WriteError(Instant time, String message) {
    }

    private final HistoryFile file;
    private final HistorianSettings settings;
    private final Connection keeper;
    private final String serverAddress;
    private final BlockingQueue<Pending> queue;
    private final SampleWriter writer;
    private final Thread writerThread;
    private final HistoryQueries queries;
    private final LongAdder dropped = new LongAdder();
    private final LogThrottle dropLog = new LogThrottle(Duration.ofMinutes(1));
    private volatile boolean closed;

    private Historian(HistoryFile file, HistorianSettings settings, Connection keeper, Connection writerSession)
            throws SQLException {
        this.file = file;
        this.settings = settings;
        this.keeper = keeper;
        this.serverAddress = file.serverAddress().orElse(null);
        this.queue = new ArrayBlockingQueue<>(settings.queueCapacity());
        this.writer = new SampleWriter(file, settings, queue, writerSession);
        this.writerThread = new Thread(writer, WRITER_THREAD);
        // A forgotten close() must not keep the JVM alive; H2's own exit hook then closes the file.
        writerThread.setDaemon(true);
        this.queries = new HistoryQueries(file);
    }

    /** Opens with {@link HistorianSettings#defaults()}. See {@link #open(Path, HistorianSettings)}. */
    public static Historian open(Path database) throws HistoryException {
        return open(database, HistorianSettings.defaults());
    }

    /**
     * Opens or creates the history database and starts the writer thread. Upgrades the schema of an older database
     * in place. If another program holds the file (an export), waits for it up to {@code settings.openTimeout()}.
     * Called once by the workstation at start-up, on any thread but the JavaFX application thread.
     *
     * @param database the database path without suffix, such as {@code <data>/history/history}, which gives
     *                 {@code history.mv.db}; the folder is created if needed
     * @throws HistoryInUseException when another program holds the file beyond the open timeout, or a Historian of
     *                               this program already has it open
     * @throws HistoryException      when the database cannot be opened (damaged, written by a newer Stator, ...)
     */
    public static Historian open(Path database, HistorianSettings settings) throws HistoryException {
        Objects.requireNonNull(settings, "settings");
        HistoryFile file = HistoryFile.of(database);
        if (!OPEN.add(file.dataFile())) {
            throw new HistoryInUseException(file.dataFile(), "history database " + file.dataFile()
                    + " is already open in this program", null);
        }
        try {
            file.createFolder();
            Connection keeper = file.connectAsOwner(settings.openTimeout());
            try {
                new SchemaMigrator(SchemaMigrator.STEPS).migrate(keeper);
                // The database is open in this JVM now, so this session is embedded too; checked all the same.
                Connection writerSession = file.connectAsOwner(Duration.ZERO);
                Historian historian;
                try {
                    historian = new Historian(file, settings, keeper, writerSession);
                } catch (SQLException | RuntimeException e) {
                    writerSession.close();
                    throw e;
                }
                historian.writerThread.start();
                LOG.info("history database {} open{}", file,
                        historian.serverAddress == null ? " (exclusive)"
                                : ", readable by other processes through " + historian.serverAddress);
                return historian;
            } catch (SchemaMigrator.SchemaTooNewException e) {
                closeQuietly(keeper);
                throw new HistoryException("history database " + file + " was written by a newer Stator (schema"
                        + " version " + e.found() + "; this one knows up to " + e.known() + "); use that version, or"
                        + " move the file aside to start a new history", e);
            } catch (SQLException e) {
                closeQuietly(keeper);
                throw file.translate(e, "open");
            } catch (HistoryException | RuntimeException e) {
                closeQuietly(keeper);
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
        Objects.requireNonNull(tag, "tag");
        Objects.requireNonNull(value, "value");
        if (value.isNoValueYet()) {
            return;
        }
        if (tag.isEmpty() || tag.length() > SampleStore.MAX_TAG_LENGTH) {
            throw new IllegalArgumentException("a tag name has 1 to " + SampleStore.MAX_TAG_LENGTH
                    + " characters: '" + tag + "'");
        }
        if (closed) {
            dropped.increment();
            return;
        }
        Pending sample;
        try {
            long server = value.serverTime() == null ? Pending.NO_SERVER_TIME : Micros.of(value.serverTime());
            sample = new Pending(tag, value, Micros.of(value.sourceTime()), server);
        } catch (ArithmeticException e) {
            drop("a timestamp of tag '" + tag + "' is out of the storable range: " + value);
            return;
        }
        if (!queue.offer(sample)) {
            drop("the history queue is full (" + settings.queueCapacity() + " samples)");
        }
    }

    /**
     * Blocks until every sample recorded before this call is committed, or {@code timeout} passes. For tests,
     * exports from this program and shutdown; called on any thread but the JavaFX application thread.
     *
     * @return true when committed; false on timeout, or when the database keeps failing (see {@link #lastWriteError})
     */
    public boolean flush(Duration timeout) throws InterruptedException {
        return writer.flush(timeout);
    }

    /** Samples committed to the database since opening. Any thread. */
    public long writtenSamples() {
        return writer.written();
    }

    /**
     * Samples not recorded since opening: dropped because the queue was full (or the historian closed), plus those
     * lost because the database failed until close gave up. Any thread.
     */
    public long droppedSamples() {
        return dropped.sum() + writer.lost();
    }

    /** Samples waiting in the queue. Any thread. */
    public int queueDepth() {
        return queue.size();
    }

    /** Failed write attempts since opening. Any thread. */
    public long writeErrors() {
        return writer.errors();
    }

    /** The latest write error, which stays after the writer recovers; empty while none happened. Any thread. */
    public Optional<WriteError> lastWriteError() {
        return Optional.ofNullable(writer.lastError());
    }

    @Override
    public Path file() {
        return file.dataFile();
    }

    @Override
    public List<String> tags() throws HistoryException {
        checkOpen();
        return queries.tags();
    }

    @Override
    public boolean hasHistory(String tag) throws HistoryException {
        checkOpen();
        return queries.hasHistory(tag);
    }

    /** {@inheritDoc} Sees committed samples only: call {@link #flush} first to include the latest ones. */
    @Override
    public List<TagValue> query(String tag, Instant from, Instant to) throws HistoryException {
        checkOpen();
        return queries.query(tag, from, to);
    }

    @Override
    public <X extends Exception> long stream(String tag, Instant from, Instant to, SampleVisitor<X> visitor)
            throws HistoryException, X {
        checkOpen();
        return queries.stream(tag, from, to, visitor);
    }

    @Override
    public Optional<TagValue> lastBefore(String tag, Instant time) throws HistoryException {
        checkOpen();
        return queries.lastBefore(tag, time);
    }

    /**
     * Writes what is queued, commits, stops the writer thread, lets exports in progress finish, and closes the
     * database, all within {@code settings.closeTimeout()}. Afterwards no thread of the historian or of H2 serves this
     * database. Idempotent. Called once at shutdown, on any thread but the JavaFX application thread.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        long deadline = System.nanoTime() + settings.closeTimeout().toNanos();
        writer.stop(deadline);
        try {
            writerThread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (writerThread.isAlive()) {
            LOG.error("history writer for {} did not stop within {} s; closing the database under it", file,
                    settings.closeTimeout().toSeconds());
        }
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

    private void drop(String why) {
        dropped.increment();
        if (dropLog.tryAcquire()) {
            LOG.warn("{}: dropping samples for {}; {} dropped so far", why, file, dropped.sum());
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("history database " + file + " is closed");
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
