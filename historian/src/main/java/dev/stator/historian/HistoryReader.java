package dev.stator.historian;

import dev.stator.driver.api.TagValue;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Read-only access to a history database, for {@code stator history export} and other tools. It never creates,
 * upgrades or writes the database. It sees what the workstation has committed: samples up to one publish interval
 * old (5 s by default), or everything after the workstation's {@code flush}.
 *
 * <p>While a workstation holds the file, the reader's sessions go through the workstation's server on 127.0.0.1 and
 * see everything committed so far. When no workstation runs, the reader holds the file itself for as long as it is
 * open (a workstation starting meanwhile waits for it), so close it as soon as the export is done. If the workstation
 * holds the file exclusively, opening fails with a {@link HistoryInUseException}.
 */
public final class HistoryReader extends HistoryQuerySource {

    private static final Logger LOG = LoggerFactory.getLogger(HistoryReader.class);

    private final HistoryFile file;
    private final Connection keeper;
    private final HistoryQueries queries;
    private volatile boolean closed;

    private HistoryReader(HistoryFile file, Connection keeper) {
        this.file = file;
        this.keeper = keeper;
        this.queries = new HistoryQueries(file, null);
    }

    /**
     * Opens an existing history database for reading. Called on any thread but the JavaFX application thread.
     *
     * @param database the database path without suffix ({@code <data>/history/history}) or the {@code .mv.db} file
     * @throws HistoryInUseException when a workstation holds the database exclusively
     * @throws HistoryException      when there is no database there, or it has a schema this version cannot read
     */
    public static HistoryReader open(Path database) throws HistoryException {
        HistoryFile file = HistoryFile.of(database);
        if (!file.exists()) {
            throw new HistoryException("no history database at " + file + "; check the path, or start the"
                    + " workstation once to create it");
        }
        Connection keeper;
        try {
            keeper = file.connect(true, false);
        } catch (SQLException e) {
            throw file.translate(e, "open");
        }
        try {
            checkSchema(file, SchemaMigrator.currentVersion(keeper));
            LOG.debug("history database {} open for reading{}", file,
                    HistoryFile.isRemote(keeper) ? " through the workstation's server" : "");
            return new HistoryReader(file, keeper);
        } catch (SQLException e) {
            closeQuietly(keeper);
            throw file.translate(e, "read");
        } catch (HistoryException | RuntimeException e) {
            closeQuietly(keeper);
            throw e;
        }
    }

    private static void checkSchema(HistoryFile file, int version) throws HistoryException {
        int known = SchemaMigrator.latestVersion();
        if (version == 0) {
            throw new HistoryException(file + " is not a Stator history database");
        }
        if (version > known) {
            throw new HistoryException("history database " + file + " was written by a newer Stator (schema version "
                    + version + "; this one reads up to " + known + "); export with that version");
        }
        if (version < known) {
            throw new HistoryException("history database " + file + " has an older schema (version " + version
                    + "); start the workstation once to upgrade it, then export again");
        }
    }

    /**
     * Writes a consistent copy of the database to {@code zip} (H2's {@code BACKUP TO}): one committed state, copied
     * while a workstation goes on recording. While a workstation holds the file, the statement runs in the
     * workstation's process through its loopback server (H2's automatic mixed mode), which writes the file; it is the
     * same machine and user, so {@code zip} is given as an absolute path. The copy holds what the workstation had
     * committed: samples up to one publish interval old (5 s by default) may be missing. The copy opens with
     * {@link HistoryReader} once unzipped. Called on any thread but the JavaFX application thread.
     *
     * @return the size of the written file in bytes
     * @throws HistoryException when the copy cannot be written; the message names the file and what to check
     */
    public long backup(Path zip) throws HistoryException {
        checkOpen();
        Path target = zip.toAbsolutePath().normalize();
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
        try {
            return Files.size(target);
        } catch (IOException e) {
            throw new HistoryException("the backup of " + file + " to " + target + " was not written (" + e
                    + "); check the folder's permissions", e);
        }
    }

    /**
     * Ends this reader's sessions. Never shuts the database down: it may belong to a running workstation, or to a
     * Historian in this program. Idempotent; any thread.
     */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            closeQuietly(keeper);
        }
    }

    /** True when the sessions go through another process's server (a running workstation). */
    boolean throughServer() throws SQLException {
        return HistoryFile.isRemote(keeper);
    }

    @Override
    HistoryQueries queries() {
        return queries;
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

    private static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (SQLException | RuntimeException e) {
            LOG.debug("closing a history session", e);
        }
    }
}
