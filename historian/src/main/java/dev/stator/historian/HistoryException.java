package dev.stator.historian;

/**
 * Something went wrong with the history database. The message names the file and says what to do; it is meant to be
 * shown to a person as it is.
 */
public class HistoryException extends Exception {

    public HistoryException(String message) {
        super(message);
    }

    public HistoryException(String message, Throwable cause) {
        super(message, cause);
    }
}
