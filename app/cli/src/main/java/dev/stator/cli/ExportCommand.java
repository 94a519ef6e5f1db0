package dev.stator.cli;

import dev.stator.driver.api.DriverRegistry;
import dev.stator.driver.api.Options;
import dev.stator.historian.CsvDialect;
import dev.stator.historian.Historian;
import dev.stator.historian.HistoryCsv;
import dev.stator.historian.HistoryException;
import dev.stator.historian.HistoryExport;
import dev.stator.historian.HistoryReader;
import dev.stator.historian.Interpolation;
import dev.stator.runtime.DataDirectory;
import dev.stator.runtime.project.Project;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;

/**
 * {@code stator history export}: the history of one or many tags over a time range as CSV, on standard output or
 * into a file. Works while the workstation runs (the database is shared with it over loopback), and when it does
 * not. One plain {@code --tag} in raw mode keeps the single-tag layout {@code time,value,quality} that scripts rely
 * on; everything else is the long, binned or wide layout of {@link HistoryCsv}.
 */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Print the history of tags over a time range as CSV.",
                "One --tag in raw mode: time,value,quality. Several tags, a glob or --long: time,tag,value,quality. "
                        + "--mode binned: start,tag,count,min,max,avg,first,last per --step. --mode interpolated: "
                        + "time,TAG-A,TAG-B,... every --step.",
                "TIME is now, -1h, -30m, -2d, a date (2026-11-25), a local time (\"2026-11-25 10:00\") or an "
                        + "instant (2026-11-25T10:00:00Z)."})
final class ExportCommand implements Callable<Integer> {

    enum Mode { raw, binned, interpolated }

    @Spec
    CommandSpec spec;

    @Mixin
    ProjectOptions options;

    @Option(names = "--tag", paramLabel = "NAME",
            description = "A tag to export; repeatable; a glob such as 'P-*' matches the tags with history.")
    List<String> tag = new ArrayList<>();

    @Option(names = "--tags", paramLabel = "A,B", split = ",", description = "Tags to export, comma-separated.")
    List<String> tagList = new ArrayList<>();

    @Option(names = "--from", paramLabel = "TIME", defaultValue = "-1h",
            description = "Start of the range, included; with --step moved back to a whole step "
                    + "(default: ${DEFAULT-VALUE}).")
    String from;

    @Option(names = "--to", paramLabel = "TIME", defaultValue = "now",
            description = "End of the range, excluded (default: ${DEFAULT-VALUE}).")
    String to;

    @Option(names = "--mode", paramLabel = "MODE", defaultValue = "raw",
            description = "raw (every sample), binned (aggregates per step) or interpolated (a value per step); "
                    + "default: ${DEFAULT-VALUE}.")
    Mode mode;

    @Option(names = "--step", paramLabel = "DURATION",
            description = "Bucket width (binned) or step (interpolated): 500ms, 10s, 1m, 1h, 1d.")
    String step;

    @Option(names = "--interpolation", paramLabel = "step|linear",
            description = "Interpolated mode: the same interpolation for every tag (default: each tag's own).")
    String interpolation;

    @Option(names = "--separator", paramLabel = "SEP", defaultValue = ",",
            description = "Field separator: , or ; or tab (default: ${DEFAULT-VALUE}).")
    String separator;

    @Option(names = "--decimal", paramLabel = "MARK", defaultValue = ".",
            description = "Decimal mark: . or , (a comma needs --separator ';' or tab; default: ${DEFAULT-VALUE}).")
    String decimal;

    @Option(names = "--zone", paramLabel = "ZONE",
            description = "Write times in this zone with their offset: local, Europe/Berlin, +02:00 "
                    + "(default: UTC with Z).")
    String zone;

    @Option(names = "--long", description = "One tag in the long layout time,tag,value,quality, as several tags.")
    boolean longLayout;

    @Option(names = "--output", paramLabel = "FILE", description = "Write into FILE instead of standard output.")
    Path output;

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
        List<String> asked = new ArrayList<>(tag);
        tagList.stream().map(String::trim).filter(s -> !s.isEmpty()).forEach(asked::add);
        if (asked.isEmpty()) {
            throw new CliException(CliException.BAD_INPUT, "give the tags to export: --tag NAME (repeatable, or a"
                    + " glob such as 'P-*') or --tags A,B");
        }
        CsvDialect dialect = dialect(separator, decimal, zone);
        Duration width = mode == Mode.raw ? null : step(mode, step);
        if (mode == Mode.raw && step != null) {
            throw new CliException(CliException.BAD_INPUT, "--step is for --mode binned or interpolated");
        }
        if (width != null) {
            // Buckets and steps on whole steps of the clock (10:00, 10:15, ...), as a trend's axis has them.
            start = HistoryExport.alignDown(start, width, dialect.zone() == null ? java.time.ZoneOffset.UTC : dialect.zone());
        }
        Interpolation forced = interpolation(interpolation);
        boolean single = asked.size() == 1 && !isGlob(asked.get(0)) && tagList.isEmpty() && mode == Mode.raw
                && !longLayout;

        Project project = options.load(DriverRegistry.load(ExportCommand.class.getClassLoader()));
        Path database = DataDirectory.historyDatabase(data, project.id());
        boolean recorded = Files.exists(database.resolveSibling(database.getFileName() + ".mv.db"));
        for (String t : asked) {
            if (!isGlob(t) && project.tag(t) == null && !recorded) {
                throw unknown(t, project, false);
            }
        }
        if (!recorded) {
            throw new CliException(CliException.FAILURE, "no history of project '" + project.id() + "' in " + data
                    + " yet (run the project first, or give --data)");
        }
        try (HistoryReader history = Historian.openForReading(database)) {
            List<String> tags = resolve(asked, history, project);
            PrintWriter stdout = spec.commandLine().getOut();
            Path part = output == null ? null : partFile(output);
            Writer file = null;
            try {
                file = part == null ? null : Files.newBufferedWriter(part, StandardCharsets.UTF_8);
                Writer out = file == null ? stdout : file;
                long rows;
                if (single) {
                    String t = asked.get(0);
                    if (tags.isEmpty()) {
                        // A tag of the project that was never recorded: an empty series, not an error.
                        out.write(String.join(String.valueOf(dialect.separator()), "time", "value", "quality")
                                + "\n");
                        rows = 0;
                    } else {
                        rows = HistoryCsv.write(history, t, start, end, dialect, out);
                    }
                } else {
                    rows = HistoryCsv.export(history, new HistoryExport(tags, start, end, switch (mode) {
                        case raw -> HistoryExport.Mode.RAW;
                        case binned -> HistoryExport.Mode.BINNED;
                        case interpolated -> HistoryExport.Mode.INTERPOLATED;
                    }, width, forced, dialect), out);
                }
                out.flush();
                if (file != null) {
                    file.close();
                    file = null;
                    Files.move(part, output, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                    spec.commandLine().getErr().printf(Locale.ROOT, "stator: %,d rows written to %s%n", rows,
                            output.toAbsolutePath());
                }
                return 0;
            } catch (IOException e) {
                throw new CliException(CliException.FAILURE, "cannot write " + (output == null ? "the export"
                        : output.toAbsolutePath()) + " (" + e.getMessage() + "); check the folder and the free disk"
                        + " space");
            } finally {
                if (file != null) {
                    file.close();
                }
                if (part != null) {
                    Files.deleteIfExists(part);
                }
            }
        } catch (HistoryException e) {
            throw new CliException(CliException.FAILURE, e.getMessage());
        }
    }

    /** The tags to export, in the order given: globs matched against the tags with history, never one twice. */
    private static List<String> resolve(List<String> asked, HistoryReader history, Project project)
            throws HistoryException, CliException {
        Set<String> tags = new LinkedHashSet<>();
        List<String> withHistory = null;
        for (String t : asked) {
            if (isGlob(t)) {
                if (withHistory == null) {
                    withHistory = history.tags();
                }
                Pattern glob = glob(t);
                List<String> matched = withHistory.stream().filter(n -> glob.matcher(n).matches()).toList();
                if (matched.isEmpty()) {
                    throw new CliException(CliException.BAD_INPUT, "no tag with history matches '" + t + "' (in"
                            + " project '" + project.id() + "'); check the pattern: * is any text, ? one character");
                }
                tags.addAll(matched);
            } else if (history.hasHistory(t)) {
                tags.add(t);
            } else if (project.tag(t) == null) {
                throw unknown(t, project, true);
            }
            // A tag of the project that was never recorded: no rows.
        }
        return List.copyOf(tags);
    }

    private static CliException unknown(String tag, Project project, boolean checkedHistory) {
        return new CliException(CliException.BAD_INPUT, "unknown tag '" + tag + "': not in project '"
                + project.id() + "'" + (checkedHistory ? " and not in its history" : ""));
    }

    static boolean isGlob(String tag) {
        return tag.indexOf('*') >= 0 || tag.indexOf('?') >= 0;
    }

    static Pattern glob(String glob) {
        StringBuilder regex = new StringBuilder();
        for (String part : glob.split("(?<=[*?])|(?=[*?])")) {
            regex.append(part.equals("*") ? ".*" : part.equals("?") ? "." : Pattern.quote(part));
        }
        return Pattern.compile(regex.toString());
    }

    /** Separator, decimal mark and zone as typed; a mistake is bad input naming the option. */
    static CsvDialect dialect(String separator, String decimal, String zone) throws CliException {
        char sep;
        char mark;
        try {
            sep = CsvDialect.parseSeparator(separator);
        } catch (IllegalArgumentException e) {
            throw new CliException(CliException.BAD_INPUT, "--separator: " + e.getMessage());
        }
        try {
            mark = CsvDialect.parseDecimalMark(decimal);
        } catch (IllegalArgumentException e) {
            throw new CliException(CliException.BAD_INPUT, "--decimal: " + e.getMessage());
        }
        try {
            return new CsvDialect(sep, mark, zone(zone));
        } catch (IllegalArgumentException e) {
            throw new CliException(CliException.BAD_INPUT, "--separator " + separator + " --decimal " + decimal
                    + ": " + e.getMessage());
        }
    }

    static ZoneId zone(String text) throws CliException {
        if (text == null) {
            return null;
        }
        if (text.equalsIgnoreCase("local")) {
            return ZoneId.systemDefault();
        }
        try {
            return ZoneId.of(text);
        } catch (DateTimeException e) {
            throw new CliException(CliException.BAD_INPUT, "--zone: '" + text + "' is not a time zone: write local,"
                    + " UTC, Europe/Berlin or +02:00");
        }
    }

    private static Duration step(Mode mode, String text) throws CliException {
        if (text == null) {
            throw new CliException(CliException.BAD_INPUT, "--mode " + mode + " needs --step, e.g. --step 1m");
        }
        Duration d;
        try {
            String t = text.trim().toLowerCase(Locale.ROOT);
            d = t.matches("\\d+d") ? Duration.ofDays(Long.parseLong(t.substring(0, t.length() - 1)))
                    : Options.parseDuration(t);
        } catch (IllegalArgumentException e) {
            throw new CliException(CliException.BAD_INPUT, "--step: " + e.getMessage());
        }
        if (d.toNanos() < 1_000_000) {
            throw new CliException(CliException.BAD_INPUT, "--step " + text + " is too short: at least 1ms");
        }
        return d;
    }

    private static Interpolation interpolation(String text) throws CliException {
        if (text == null) {
            return null;
        }
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "step" -> Interpolation.STEP;
            case "linear" -> Interpolation.LINEAR;
            default -> throw new CliException(CliException.BAD_INPUT, "--interpolation is step or linear, not '"
                    + text + "'");
        };
    }

    private static Path partFile(Path output) throws CliException {
        Path target = output.toAbsolutePath();
        if (Files.isDirectory(target)) {
            throw new CliException(CliException.BAD_INPUT, "--output " + output + " is a folder; give a file name");
        }
        try {
            Files.createDirectories(target.getParent());
        } catch (IOException e) {
            throw new CliException(CliException.FAILURE, "cannot create the folder of " + target + " (" + e + ")");
        }
        return target.resolveSibling(target.getFileName() + ".part");
    }
}
