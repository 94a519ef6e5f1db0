package dev.stator.historian;

import java.nio.file.Path;

/**
 * The history database is held by another program (a running workstation, or an export) and could not be opened.
 * The message names the file and what to do.
 */
public class HistoryInUseException extends HistoryException {

    private final Path file;

    public HistoryInUseException(Path file, String message, Throwable cause) {
        super(message, cause);
        this.file = file;
    }

    /** The database file ({@code ….mv.db}) that is in use. */
    public Path file() {
        return file;
    }
}
