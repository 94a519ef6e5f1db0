package dev.stator.historian;

import java.io.IOException;
import java.io.Reader;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import org.h2.api.ErrorCode;
import org.h2.engine.SysProperties;
import org.h2.jdbc.JdbcConnection;
import org.h2.jdbc.JdbcException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One history database on disk: where its files are, how to connect to it, and what its errors mean to a person.
 *
 * <p><b>Sharing between processes.</b> The workstation and a console export may use the database at the same time
 * through H2's automatic mixed mode ({@code AUTO_SERVER=TRUE}): the first process opens the file and starts a TCP
 * server, later ones connect to it. H2 starts that server with {@code -tcpAllowOthers} on every interface unless the
 * system property {@code h2.bindAddress} names an address, and it reads that property once, when its
 * {@code SysProperties} class loads. This class sets it to {@code 127.0.0.1} before touching H2 and then checks the
 * value H2 actually took; when it is not a loopback address (set otherwise by the user, or H2 was loaded earlier in
 * this JVM) the database is opened exclusively instead, so a database server is never reachable from the network.
 * The address H2 writes into the {@code .lock.db} file proves nothing: it says {@code localhost} even when the
 * server listens on all interfaces.
 */
final class HistoryFile {

    private static final Logger LOG = LoggerFactory.getLogger(HistoryFile.class);

    static final String BIND_ADDRESS_PROPERTY = "h2.bindAddress";
    static final String LOOPBACK = "127.0.0.1";

    private static final String DATA_SUFFIX = ".mv.db";
    private static final String LOCK_SUFFIX = ".lock.db";
    private static final String USER = "stator";
    private static final String PASSWORD = "";
    private static final long RETRY_MILLIS = 200;

    private static final boolean SHARED = confineServerToLoopback();

    private final Path base;

    private HistoryFile(Path base) {
        this.base = base;
    }

    /**
     * The database at {@code database}: a path without suffix ({@code <data>/history/history}) or the data file itself
     * ({@code ….mv.db}).
     */
    static HistoryFile of(Path database) {
        String name = database.toAbsolutePath().normalize().toString();
        if (name.endsWith(DATA_SUFFIX)) {
            name = name.substring(0, name.length() - DATA_SUFFIX.length());
        }
        if (name.indexOf(';') >= 0) {
            // The path goes into a JDBC URL, where ';' starts a setting.
            throw new IllegalArgumentException("a history database path cannot contain ';': " + database);
        }
        return new HistoryFile(Path.of(name));
    }

    /** True when other processes may read while this one holds the database (server on loopback only). */
    static boolean sharedAccess() {
        return SHARED;
    }

    Path dataFile() {
        return Path.of(base + DATA_SUFFIX);
    }

    Path lockFile() {
        return Path.of(base + LOCK_SUFFIX);
    }

    /** The folder of the write-ahead log, next to the data file. */
    Path walFolder() {
        return Path.of(base + WriteAheadLog.SUFFIX);
    }

    boolean exists() {
        return Files.isRegularFile(dataFile());
    }

    void createFolder() throws HistoryException {
        try {
            Files.createDirectories(base.getParent());
        } catch (IOException e) {
            throw new HistoryException("cannot create the folder " + base.getParent() + " for the history database ("
                    + e + "); check its permissions", e);
        }
    }

    /** A new session; embedded, or through the owner's loopback server when another process holds the file. */
    Connection connect(boolean ifExists, boolean lazy) throws SQLException {
        StringBuilder url = new StringBuilder("jdbc:h2:file:").append(base);
        if (SHARED) {
            url.append(";AUTO_SERVER=TRUE");
        }
        // No .trace.db file next to the data, and no second report of each error: every H2 failure reaches the
        // caller as an exception, which the historian turns into a message naming the file.
        url.append(";TRACE_LEVEL_FILE=0");
        if (ifExists) {
            url.append(";IFEXISTS=TRUE");
        }
        if (lazy) {
            // Rows are produced as they are fetched, so a long range is never materialised.
            url.append(";LAZY_QUERY_EXECUTION=TRUE");
        }
        Set<Integer> servers = SHARED ? AutoServerCleanup.ports() : Set.of();
        try {
            return DriverManager.getConnection(url.toString(), USER, PASSWORD);
        } catch (SQLException e) {
            if (SHARED && e.getErrorCode() != ErrorCode.DATABASE_ALREADY_OPEN_1) {
                AutoServerCleanup.stopStartedSince(servers, base);
            }
            throw e;
        }
    }

    /**
     * A session in which this process holds the database file itself, never one that goes through another process's
     * server: the writer must not depend on a short-lived export. While another program holds the file, waits and
     * tries again until {@code timeout}.
     */
    Connection connectAsOwner(Duration timeout) throws HistoryException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            SQLException held = null;
            try {
                Connection connection = connect(false, false);
                if (!isRemote(connection)) {
                    return connection;
                }
                connection.close();
            } catch (SQLException e) {
                if (e.getErrorCode() != ErrorCode.DATABASE_ALREADY_OPEN_1) {
                    throw translate(e, "open");
                }
                held = e;
            }
            if (System.nanoTime() - deadline >= 0) {
                String waited = timeout.isZero() ? "" : " and was not released within " + timeout.toSeconds() + " s";
                throw new HistoryInUseException(dataFile(), "history database " + dataFile()
                        + " is held by another Stator program (an export, or a second workstation on the same data"
                        + " folder)" + waited + "; let the export finish or stop the other program, then start again",
                        held);
            }
            try {
                Thread.sleep(RETRY_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new HistoryException("interrupted while waiting for history database " + dataFile(), e);
            }
        }
    }

    /** True when the session goes through another process's server rather than holding the file. */
    static boolean isRemote(Connection connection) throws SQLException {
        return connection.unwrap(JdbcConnection.class).getSession().isRemote();
    }

    /** The {@code host:port} of the server sharing this database, as written in the lock file, if any. */
    Optional<String> serverAddress() {
        Properties lock = new Properties();
        try (Reader in = Files.newBufferedReader(lockFile(), StandardCharsets.ISO_8859_1)) {
            lock.load(in);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | IllegalArgumentException e) {
            LOG.debug("cannot read {}", lockFile(), e);
            return Optional.empty();
        }
        return Optional.ofNullable(lock.getProperty("server"));
    }

    /** Live H2 threads that serve this database: file lock watchdog, store writer, sharing server. */
    List<Thread> h2Threads(String serverAddress) {
        String file = base.toString();
        String server = serverAddress == null ? null : "tcp://" + serverAddress + ")";
        String serverThread = serverAddress == null ? null : "tcp://" + serverAddress + ") thread";
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .filter(t -> t.getName().contains(file) || server != null
                        && (t.getName().endsWith(server) || t.getName().contains(serverThread)))
                .collect(Collectors.toList());
    }

    /** The message for a database held exclusively by the workstation. */
    String inUseMessage() {
        return "history database " + dataFile() + " is in use by a running Stator workstation; stop it, or export"
                + " from the console";
    }

    /**
     * A {@link HistoryException} whose message names the file, says what failed in the user's words and what to do.
     *
     * @param action what was being done: "open", "write", "read"
     */
    HistoryException translate(SQLException e, String action) {
        String reason = reason(e);
        String file = dataFile().toString();
        switch (e.getErrorCode()) {
            case ErrorCode.DATABASE_ALREADY_OPEN_1:
                return new HistoryInUseException(dataFile(), inUseMessage(), e);
            case ErrorCode.FILE_CORRUPTED_1:
                return new HistoryException("history database " + file + " is damaged (" + reason + "); stop Stator,"
                        + " move the file aside to keep it for recovery, and start again with a new history", e);
            case ErrorCode.FILE_VERSION_ERROR_1:
                return new HistoryException("history database " + file + " was written in a storage format this"
                        + " Stator cannot read (" + reason + "); open it with the Stator version that wrote it", e);
            case ErrorCode.DATABASE_NOT_FOUND_1:
            case ErrorCode.DATABASE_NOT_FOUND_WITH_IF_EXISTS_1:
                return new HistoryException("no history database at " + file + "; check the path, or start the"
                        + " workstation once to create it", e);
            case ErrorCode.IO_EXCEPTION_1:
            case ErrorCode.IO_EXCEPTION_2:
            case ErrorCode.FILE_CREATION_FAILED_1:
            case ErrorCode.FILE_RENAME_FAILED_2:
            case ErrorCode.FILE_DELETE_FAILED_1:
            case ErrorCode.OUT_OF_MEMORY:
                return new HistoryException("cannot " + action + " history database " + file + " (" + reason
                        + "); check the free disk space and the permissions of its folder", e);
            case ErrorCode.DATABASE_IS_CLOSED:
            case ErrorCode.DATABASE_CALLED_AT_SHUTDOWN:
                // H2's own text for these suggests URL settings, which is no help to anyone here.
                return new HistoryException("history database " + file + " was closed while in use; it is opened"
                        + " again on the next attempt", e);
            case ErrorCode.CONNECTION_BROKEN_1:
                return new HistoryException("lost the connection to the Stator program holding history database "
                        + file + " (" + reason + "); try again", e);
            default:
                return new HistoryException("cannot " + action + " history database " + file + " (" + reason + ")",
                        e);
        }
    }

    /** H2's message without its SQL and error-code decoration, plus the root cause (such as "No space left"). */
    static String reason(SQLException e) {
        String message = e instanceof JdbcException ? ((JdbcException) e).getOriginalMessage() : e.getMessage();
        if (message == null) {
            message = e.getClass().getSimpleName();
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root != e && root.getMessage() != null && !message.contains(root.getMessage())) {
            message = message + ": " + root.getMessage();
        }
        return message;
    }

    @Override
    public String toString() {
        return dataFile().toString();
    }

    private static boolean confineServerToLoopback() {
        String configured = System.getProperty(BIND_ADDRESS_PROPERTY);
        if (configured == null || configured.isBlank()) {
            System.setProperty(BIND_ADDRESS_PROPERTY, LOOPBACK);
        }
        // Loads H2's SysProperties now; from here on the bind address is fixed for this JVM.
        String effective = SysProperties.BIND_ADDRESS;
        try {
            if (effective != null && !effective.isBlank() && InetAddress.getByName(effective).isLoopbackAddress()) {
                LOG.debug("history database shared with other processes through a server on {}", effective);
                return true;
            }
        } catch (UnknownHostException e) {
            // Not resolvable, so not known to be loopback: fall through to exclusive access.
        }
        LOG.warn("H2 servers in this program would listen on {} rather than on a loopback address (system property"
                        + " {} set elsewhere, or H2 loaded before the historian), so the history database is opened"
                        + " exclusively: an export needs the workstation stopped",
                effective == null || effective.isBlank() ? "every network interface" : effective,
                BIND_ADDRESS_PROPERTY);
        return false;
    }
}
