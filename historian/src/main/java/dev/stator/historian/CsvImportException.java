package dev.stator.historian;

import java.nio.file.Path;

/**
 * A line of a history CSV file that cannot be imported. The message names the file, the line and the column, says
 * what is wrong and what to do; nothing of the file was imported.
 */
public class CsvImportException extends HistoryException {

    private final Path file;
    private final long line;
    private final int column;

    public CsvImportException(Path file, long line, int column, String message, Throwable cause) {
        super(message, cause);
        this.file = file;
        this.line = line;
        this.column = column;
    }

    public Path file() {
        return file;
    }

    /** The line in the file, from 1 (the header). */
    public long line() {
        return line;
    }

    /** The column, from 1; 0 when the whole line is wrong. */
    public int column() {
        return column;
    }
}
