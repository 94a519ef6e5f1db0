package dev.stator.cli;

import picocli.CommandLine;

/**
 * The {@code stator} command. This class does not extend JavaFX's Application, so the console starts from a plain
 * class path.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(StatorCommand.commandLine().execute(args));
    }

    /** Runs the command line as {@link #main} would, without exiting: for tests and embedding. */
    public static int run(CommandLine commandLine, String... args) {
        return commandLine.execute(args);
    }
}
