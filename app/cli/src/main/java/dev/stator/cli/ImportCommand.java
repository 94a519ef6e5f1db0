package dev.stator.cli;

import dev.stator.driver.api.DriverRegistry;
import dev.stator.historian.CsvDialect;
import dev.stator.historian.CsvImportException;
import dev.stator.historian.Historian;
import dev.stator.historian.HistorianSettings;
import dev.stator.historian.HistoryCsvImport;
import dev.stator.historian.HistoryException;
import dev.stator.historian.HistoryInUseException;
import dev.stator.runtime.DataDirectory;
import dev.stator.runtime.project.Project;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code stator history import FILE}: samples from a CSV file into the project's history. The whole file is checked
 * first; a bad line stops the import before anything is recorded. The workstation must be stopped: the history
 * database is written by one program at a time.
 */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = {"Import samples from a CSV file into the history (the workstation must be stopped).",
                "Layouts: time,tag,value[,quality] (as history export writes), time,TAG-A,TAG-B,... (one column per "
                        + "tag), or time,value,quality with --tag. Every line is checked before anything is "
                        + "imported."})
final class ImportCommand implements Callable<Integer> {

    /** How long to wait for a workstation holding the database before saying it is in use. */
    private static final Duration IN_USE_WAIT = Duration.ofSeconds(2);

    @Spec
    CommandSpec spec;

    @Mixin
    ProjectOptions options;

    @Parameters(index = "0", paramLabel = "FILE", description = "The CSV file.")
    Path file;

    @Option(names = "--separator", paramLabel = "SEP",
            description = "Field separator: , or ; or tab (default: found from the header).")
    String separator;

    @Option(names = "--decimal", paramLabel = "MARK", defaultValue = ".",
            description = "Decimal mark: . or , (default: ${DEFAULT-VALUE}).")
    String decimal;

    @Option(names = "--zone", paramLabel = "ZONE",
            description = "The zone of times written without an offset: local, Europe/Berlin (default: refuse them).")
    String zone;

    @Option(names = "--tag", paramLabel = "NAME", description = "The tag of a single-tag file (time,value,quality).")
    String tag;

    @Override
    public Integer call() throws Exception {
        Path data = options.dataDirectory();
        System.setProperty("stator.log.dir", data.resolve("logs").toString());
        System.setProperty("stator.console.level", "WARN");
        char mark;
        try {
            mark = CsvDialect.parseDecimalMark(decimal);
        } catch (IllegalArgumentException e) {
            throw new CliException(CliException.BAD_INPUT, "--decimal: " + e.getMessage());
        }
        Character sep = separator == null ? null : ExportCommand.dialect(separator, decimal, null).separator();
        HistoryCsvImport.Options how = new HistoryCsvImport.Options(sep, mark, ExportCommand.zone(zone), tag);
        Project project = options.load(DriverRegistry.load(ImportCommand.class.getClassLoader()));
        Path database = DataDirectory.historyDatabase(data, project.id());
        try {
            HistoryCsvImport.check(file, how);
        } catch (CsvImportException e) {
            throw new CliException(CliException.BAD_INPUT, e.getMessage());
        } catch (HistoryException e) {
            throw new CliException(CliException.BAD_INPUT, e.getMessage());
        }
        HistorianSettings settings = new HistorianSettings(HistorianSettings.DEFAULT_QUEUE_CAPACITY,
                HistorianSettings.DEFAULT_FLUSH_INTERVAL, HistorianSettings.DEFAULT_BATCH_SIZE, IN_USE_WAIT,
                HistorianSettings.DEFAULT_CLOSE_TIMEOUT);
        try (Historian history = Historian.open(database, settings)) {
            HistoryCsvImport.Result r = HistoryCsvImport.read(file, how, history, Duration.ofMinutes(10));
            spec.commandLine().getOut().printf(Locale.ROOT, "imported %,d samples of %,d %s from %s into %s%s%n",
                    r.samples(), r.tags().size(), r.tags().size() == 1 ? "tag" : "tags", file.toAbsolutePath(),
                    history.file(), r.first() == null ? "" : " (" + r.first() + " to " + r.last() + ")");
            return 0;
        } catch (HistoryInUseException e) {
            throw new CliException(CliException.FAILURE, "history database " + e.file() + " is in use (a running"
                    + " workstation or an export): stop the workstation, then import again");
        } catch (CsvImportException e) {
            throw new CliException(CliException.BAD_INPUT, e.getMessage());
        } catch (HistoryException e) {
            throw new CliException(CliException.FAILURE, e.getMessage());
        }
    }
}
