package dev.stator.cli;

import dev.stator.driver.api.DriverRegistry;
import dev.stator.historian.Historian;
import dev.stator.historian.HistoryException;
import dev.stator.historian.HistoryReader;
import dev.stator.runtime.DataDirectory;
import dev.stator.runtime.project.Project;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code stator history backup --to FILE.zip}: a consistent copy of the history database, also while the workstation
 * runs. The copy is made by the database itself ({@code BACKUP TO}): through the workstation's loopback server while
 * it runs, directly otherwise.
 */
@Command(name = "backup", mixinStandardHelpOptions = true,
        description = {"Copy the history database into a zip file, also while the workstation runs.",
                "The copy holds what the workstation has committed (samples up to about 5 s old may be missing). "
                        + "To restore: stop the workstation, unzip into <data>/history/."})
final class BackupCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ProjectOptions options;

    @Option(names = "--to", required = true, paramLabel = "FILE.zip", description = "The zip file to write.")
    Path to;

    @Override
    public Integer call() throws Exception {
        Path data = options.dataDirectory();
        System.setProperty("stator.log.dir", data.resolve("logs").toString());
        System.setProperty("stator.console.level", "WARN");
        Path target = to.toAbsolutePath().normalize();
        if (Files.isDirectory(target)) {
            throw new CliException(CliException.BAD_INPUT, "--to " + to + " is a folder; give a file name such as "
                    + target.resolve("history.zip"));
        }
        Project project = options.load(DriverRegistry.load(BackupCommand.class.getClassLoader()));
        Path database = DataDirectory.historyDatabase(data, project.id());
        if (!Files.exists(database.resolveSibling(database.getFileName() + ".mv.db"))) {
            throw new CliException(CliException.FAILURE, "no history of project '" + project.id() + "' in " + data
                    + " yet (run the project first, or give --data)");
        }
        try (HistoryReader history = Historian.openForReading(database)) {
            long bytes = history.backup(target);
            spec.commandLine().getOut().printf(Locale.ROOT, "history of project '%s' backed up to %s (%,d bytes)%n",
                    project.id(), target, bytes);
            return 0;
        } catch (HistoryException e) {
            throw new CliException(CliException.FAILURE, e.getMessage());
        }
    }
}
