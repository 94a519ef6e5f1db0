package dev.stator.cli;

import dev.stator.driver.api.DriverRegistry;
import dev.stator.historian.Historian;
import dev.stator.historian.HistoryCsv;
import dev.stator.historian.HistoryException;
import dev.stator.historian.HistoryReader;
import dev.stator.runtime.DataDirectory;
import dev.stator.runtime.project.Project;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.concurrent.Callable;

/**
 * {@code stator history export}: one tag over a time range as CSV on standard output. Works while the workstation
 * runs (the database is shared with it over loopback), and when it does not.
 */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Print the history of one tag over a time range as CSV (time,value,quality) on standard "
                + "output.",
                "TIME is now, -1h, -30m, -2d, a date (2026-11-25), a local time (\"2026-11-25 10:00\") or an "
                        + "instant (2026-11-25T10:00:00Z)."})
final class ExportCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ProjectOptions options;

    @Option(names = "--tag", required = true, paramLabel = "NAME", description = "The tag to export.")
    String tag;

    @Option(names = "--from", paramLabel = "TIME", defaultValue = "-1h",
            description = "Start of the range, included (default: ${DEFAULT-VALUE}).")
    String from;

    @Option(names = "--to", paramLabel = "TIME", defaultValue = "now",
            description = "End of the range, excluded (default: ${DEFAULT-VALUE}).")
    String to;

    @Override
    public Integer call() throws Exception {
        Path data = options.dataDirectory();
        System.setProperty("stator.log.dir", data.resolve("logs").toString());
        System.setProperty("stator.console.level", "WARN");
        Clock clock = Clock.systemUTC();
        Instant start;
        Instant end;
        try {
            start = Converters.parseTime(from, clock, ZoneId.systemDefault());
            end = Converters.parseTime(to, clock, ZoneId.systemDefault());
        } catch (IllegalArgumentException e) {
            throw new CliException(CliException.BAD_INPUT, e.getMessage());
        }
        if (!start.isBefore(end)) {
            throw new CliException(CliException.BAD_INPUT, "--from " + from + " is not before --to " + to);
        }
        Project project = options.load(DriverRegistry.load(ExportCommand.class.getClassLoader()));
        Path database = DataDirectory.historyDatabase(data, project.id());
        boolean recorded = Files.exists(database.resolveSibling(database.getFileName() + ".mv.db"));
        if (project.tag(tag) == null && !recorded) {
            throw new CliException(CliException.BAD_INPUT, "unknown tag '" + tag + "': not in project '"
                    + project.id() + "'");
        }
        if (!recorded) {
            throw new CliException(CliException.FAILURE, "no history of project '" + project.id() + "' in " + data
                    + " yet (run the project first, or give --data)");
        }
        try (HistoryReader history = Historian.openForReading(database)) {
            if (project.tag(tag) == null && !history.hasHistory(tag)) {
                throw new CliException(CliException.BAD_INPUT, "unknown tag '" + tag + "': not in project '"
                        + project.id() + "' and not in its history");
            }
            PrintWriter out = spec.commandLine().getOut();
            if (project.tag(tag) != null && !history.hasHistory(tag)) {
                // A tag of the project that was never recorded: an empty series, not an error.
                out.print("time,value,quality\n");
                out.flush();
                return 0;
            }
            HistoryCsv.write(history, tag, start, end, out);
            out.flush();
            return 0;
        } catch (HistoryException | IOException e) {
            throw new CliException(CliException.FAILURE, e.getMessage());
        }
    }
}
