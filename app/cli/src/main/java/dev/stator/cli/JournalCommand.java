package dev.stator.cli;

import dev.stator.driver.api.DriverRegistry;
import dev.stator.historian.Historian;
import dev.stator.historian.HistoryException;
import dev.stator.historian.HistoryReader;
import dev.stator.historian.JournalCsv;
import dev.stator.historian.JournalEntry;
import dev.stator.historian.JournalKind;
import dev.stator.historian.JournalQuery;
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
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code stator history journal}: the alarm, operator and system journals over a time range, one line per entry or
 * CSV. Works while the workstation runs (the database is shared with it over loopback), and when it does not.
 */
@Command(name = "journal", mixinStandardHelpOptions = true,
        description = {"Print the journal entries (alarm events, operator actions, system events) of a time range, "
                + "oldest first: one line per entry (local time, kind, source, action, user, message, old -> new),"
                + " or CSV (time in UTC) with --csv.",
                "TIME is now, -1h, -30m, -2d, a date (2026-11-25), a local time (\"2026-11-25 10:00\") or an "
                        + "instant (2026-11-25T10:00:00Z)."})
final class JournalCommand implements Callable<Integer> {

    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSS xxx");

    @Spec
    CommandSpec spec;

    @Mixin
    ProjectOptions options;

    @Option(names = "--from", paramLabel = "TIME", defaultValue = "-1d",
            description = "Start of the range, included (default: ${DEFAULT-VALUE}).")
    String from;

    @Option(names = "--to", paramLabel = "TIME", defaultValue = "now",
            description = "End of the range, excluded (default: ${DEFAULT-VALUE}).")
    String to;

    @Option(names = "--kind", paramLabel = "KIND",
            description = "alarm, operator or system; repeat for several (default: all).")
    List<String> kinds = new ArrayList<>();

    @Option(names = "--source", paramLabel = "GLOB",
            description = "Only this source (tag, device, component); * stands for any characters, ? for one.")
    String source;

    @Option(names = "--user", paramLabel = "USER", description = "Only entries of this user.")
    String user;

    @Option(names = "--text", paramLabel = "TEXT", description = "Only entries whose message contains TEXT, in any"
            + " case.")
    String text;

    @Option(names = "--limit", paramLabel = "N", description = "At most N entries (default: all).")
    Integer limit;

    @Option(names = "--csv", description = "CSV: time,kind,source,user,action,message,old,new.")
    boolean csv;

    @Override
    public Integer call() throws Exception {
        Path data = options.dataDirectory();
        System.setProperty("stator.log.dir", data.resolve("logs").toString());
        System.setProperty("stator.console.level", "WARN");
        JournalQuery query = query(Clock.systemUTC(), ZoneId.systemDefault());
        Project project = options.load(DriverRegistry.load(JournalCommand.class.getClassLoader()));
        Path database = DataDirectory.historyDatabase(data, project.id());
        if (!Files.exists(database.resolveSibling(database.getFileName() + ".mv.db"))) {
            throw new CliException(CliException.FAILURE, "no history of project '" + project.id() + "' in " + data
                    + " yet (run the project first, or give --data)");
        }
        try (HistoryReader history = Historian.openForReading(database)) {
            PrintWriter out = spec.commandLine().getOut();
            if (csv) {
                JournalCsv.write(history, query, out);
            } else {
                ZoneId zone = ZoneId.systemDefault();
                history.streamJournal(query, e -> out.print(line(e, zone)));
            }
            out.flush();
            return 0;
        } catch (HistoryException | IOException e) {
            throw new CliException(CliException.FAILURE, e.getMessage());
        }
    }

    private JournalQuery query(Clock clock, ZoneId zone) throws CliException {
        Instant start;
        Instant end;
        try {
            start = Converters.parseTime(from, clock, zone);
            end = Converters.parseTime(to, clock, zone);
        } catch (IllegalArgumentException e) {
            throw new CliException(CliException.BAD_INPUT, e.getMessage());
        }
        if (!start.isBefore(end)) {
            throw new CliException(CliException.BAD_INPUT, "--from " + from + " is not before --to " + to);
        }
        Set<JournalKind> selected = EnumSet.noneOf(JournalKind.class);
        for (String k : kinds) {
            try {
                selected.add(JournalKind.parse(k));
            } catch (IllegalArgumentException e) {
                throw new CliException(CliException.BAD_INPUT, "--kind: " + e.getMessage());
            }
        }
        if (limit != null && limit < 1) {
            throw new CliException(CliException.BAD_INPUT, "--limit must be at least 1, not " + limit);
        }
        if (source != null && source.isEmpty()) {
            throw new CliException(CliException.BAD_INPUT, "--source cannot be empty");
        }
        return JournalQuery.between(start, end).withKinds(selected).withSource(source).withUser(user)
                .withText(text).withLimit(limit == null ? JournalQuery.UNLIMITED : limit);
    }

    /** One entry as a line: local time with its offset, kind, source, action, user, message, old -> new. */
    static String line(JournalEntry e, ZoneId zone) {
        StringBuilder b = new StringBuilder();
        b.append(LOCAL.format(e.time().atZone(zone))).append("  ")
                .append(String.format("%-8s", e.kind().label())).append("  ")
                .append(e.source()).append("  ")
                .append(e.action()).append("  ")
                .append(e.user().isEmpty() ? "-" : e.user()).append("  ")
                .append(e.message().replace("\r", " ").replace("\n", " "));
        if (e.oldValue() != null || e.newValue() != null) {
            b.append("  (").append(e.oldValue() == null ? "" : e.oldValue()).append(" -> ")
                    .append(e.newValue() == null ? "" : e.newValue()).append(')');
        }
        return b.append('\n').toString();
    }
}
