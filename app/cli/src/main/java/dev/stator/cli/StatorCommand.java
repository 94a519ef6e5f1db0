package dev.stator.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** {@code stator}: without a subcommand, starts the console on the demo project, like {@code stator run}. */
@Command(name = "stator", mixinStandardHelpOptions = true, versionProvider = StatorCommand.Version.class,
        description = "Stator SCADA/HMI operator workstation.",
        subcommands = {RunCommand.class, HistoryCommand.class, SimulateCommand.class, ModbusCommand.class,
                OpcUaCommand.class, TagsCommand.class, CertificatesCommand.class},
        footer = {"", "Exit codes: 0 success, 1 failure (e.g. database in use, port taken), 2 bad input "
                + "(project error, unknown tag, bad option)."})
public final class StatorCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    /** The command line with Stator's error handling: one line on standard error, then the exit code. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new StatorCommand());
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            if (ex instanceof CliException c) {
                for (String line : c.getMessage().split("\\R")) {
                    commandLine.getErr().println("stator: " + line);
                }
                commandLine.getErr().flush();
                return c.exitCode();
            }
            commandLine.getErr().println("stator: " + ex);
            commandLine.getErr().flush();
            throw ex;
        });
        return cl;
    }

    @Override
    public Integer call() throws Exception {
        RunCommand run = new RunCommand();
        run.spec = spec;
        run.options = new ProjectOptions();
        return run.call();
    }

    /** The version from the jar's manifest, when there is one. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = StatorCommand.class.getPackage().getImplementationVersion();
            return new String[] {"Stator " + (v == null ? "(development build)" : v)};
        }
    }
}
