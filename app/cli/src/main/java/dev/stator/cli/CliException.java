package dev.stator.cli;

/**
 * A failure the command reports as one line on standard error, with an exit code: {@link #BAD_INPUT} (2) when the
 * user's input is wrong (a project error, an unknown tag, a bad time), {@link #FAILURE} (1) when something outside the
 * input failed (a database in use, a port taken).
 */
public final class CliException extends Exception {

    public static final int FAILURE = 1;
    public static final int BAD_INPUT = 2;

    private final int exitCode;

    public CliException(int exitCode, String message) {
        super(message, null, false, false);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
