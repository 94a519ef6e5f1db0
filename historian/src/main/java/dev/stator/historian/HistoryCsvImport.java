package dev.stator.historian;

import dev.stator.driver.api.Quality;
import dev.stator.driver.api.TagValue;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.apache.commons.csv.QuoteMode;

/**
 * Reads history CSV files into a {@link Historian}: the long format {@code time,tag,value[,quality]} that a raw
 * export writes, the wide format {@code time,TAG-A,TAG-B,...}, and the single-tag layout
 * {@code time,value[,quality]} (with the tag given). Streamed: a file of any length is read a line at a time.
 *
 * <p><b>All or nothing.</b> The file is read twice: first every line is checked, and only when every line is good
 * is it read again and recorded. A bad line stops the import before anything is recorded, with a
 * {@link CsvImportException} naming the file, line and column and what to do. (A failure of the disk or the
 * database during the second pass can still leave part of the file imported; the message says so.)
 *
 * <p>Fields: the header names the columns (case does not matter; a UTF-8 byte order mark is skipped). The separator
 * is {@code ,} {@code ;} or tab, found from the header unless given. Times are ISO-8601 with an offset
 * ({@code 2026-11-25T12:00:00.000125Z}, {@code 2026-11-25 13:00:00+01:00}) or, when a zone is given, without one.
 * Values: {@code true}/{@code false} Booleans, digits Longs, decimal numbers (with the given decimal mark, optionally
 * an exponent), {@code NaN} and {@code Infinity} Doubles, anything else text, empty no value (in the wide format, an
 * empty cell is no sample). Quality: a name as exports write it ({@code Good}, {@code Bad_Timeout},
 * {@code Bad (0x80AA0000)}); empty or missing, Good.
 *
 * <p>Samples are recorded as readings with their own timestamps; the historian accepts late and out-of-order ones.
 * Called on any thread but the JavaFX application thread.
 */
public final class HistoryCsvImport {

    /** Samples recorded before waiting for the historian's queue to drain. */
    private static final int BATCH = 1_000;

    /**
     * How to read a file.
     *
     * @param separator   the separator; null to find it from the header
     * @param decimalMark {@code '.'} or {@code ','}
     * @param zone        the zone of times written without an offset; null to refuse such times
     * @param tag         the tag of a single-tag file ({@code time,value,quality}); null otherwise
     */
    public record Options(Character separator, char decimalMark, ZoneId zone, String tag) {

        public static final Options DEFAULT = new Options(null, '.', null, null);

        public Options withSeparator(Character value) {
            return new Options(value, decimalMark, zone, tag);
        }

        public Options withDecimalMark(char value) {
            return new Options(separator, value, zone, tag);
        }

        public Options withZone(ZoneId value) {
            return new Options(separator, decimalMark, value, tag);
        }

        public Options withTag(String value) {
            return new Options(separator, decimalMark, zone, value);
        }
    }

    /**
     * What a file holds, or what was imported from it.
     *
     * @param rows    data lines (the header excluded)
     * @param samples samples (a wide line holds one per non-empty cell)
     * @param tags    the tags, sorted
     * @param first   the earliest sample time; null when there is none
     * @param last    the latest sample time; null when there is none
     */
    public record Result(long rows, long samples, Set<String> tags, Instant first, Instant last) {
    }

    private enum Layout { LONG, WIDE, SINGLE }

    private HistoryCsvImport() {
    }

    /**
     * Checks every line of {@code file} without recording anything.
     *
     * @throws CsvImportException at the first bad line
     * @throws HistoryException   when the file cannot be read
     */
    public static Result check(Path file, Options options) throws HistoryException {
        return pass(file, options, null);
    }

    /**
     * Checks every line of {@code file}, then records its samples into {@code target} and waits until they are
     * committed (up to {@code commitTimeout}).
     *
     * @throws CsvImportException at the first bad line; nothing was recorded
     * @throws HistoryException   when the file cannot be read, or the historian dropped or could not commit samples
     */
    public static Result read(Path file, Options options, Historian target, Duration commitTimeout)
            throws HistoryException {
        Objects.requireNonNull(target, "target");
        pass(file, options, null);
        long droppedBefore = target.droppedSamples();
        Result result = pass(file, options, target);
        try {
            if (!target.flush(commitTimeout)) {
                throw new HistoryException("the samples of " + file + " were recorded but not yet committed to "
                        + target.file() + " within " + commitTimeout.toSeconds() + " s; they are kept in its"
                        + " write-ahead log and stored when the historian next opens");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HistoryException("interrupted while importing " + file + "; part of it may be imported", e);
        }
        long dropped = target.droppedSamples() - droppedBefore;
        if (dropped > 0) {
            throw new HistoryException(dropped + " samples of " + file + " were dropped by the historian (queue full"
                    + " or timestamps out of range); the rest is imported");
        }
        return result;
    }

    private static Result pass(Path file, Options options, Historian target) throws HistoryException {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(options, "options");
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            reader.mark(4096);
            String firstLine = reader.readLine();
            reader.reset();
            if (firstLine == null) {
                throw new CsvImportException(file, 1, 0, file + " is empty: a history CSV starts with a header"
                        + " such as time,tag,value,quality", null);
            }
            if (firstLine.startsWith("\uFEFF")) {
                reader.skip(1);
                firstLine = firstLine.substring(1);
            }
            char separator = options.separator() != null ? options.separator() : detect(firstLine);
            CsvDialect dialect;
            try {
                dialect = new CsvDialect(separator, options.decimalMark(), options.zone());
            } catch (IllegalArgumentException e) {
                throw new CsvImportException(file, 0, 0, file + ": " + e.getMessage(), e);
            }
            // ALL_NON_NULL: an empty field reads as null (no value), a quoted "" as the empty text.
            CSVFormat format = CSVFormat.DEFAULT.builder().setDelimiter(separator).setIgnoreEmptyLines(true)
                    .setIgnoreSurroundingSpaces(true).setQuoteMode(QuoteMode.ALL_NON_NULL).get();
            try (CSVParser parser = CSVParser.parse(reader, format)) {
                return new Reader(file, dialect, options, parser, target).run();
            }
        } catch (NoSuchFileException e) {
            throw new HistoryException("no file " + file + "; check the path", e);
        } catch (CharacterCodingException e) {
            throw new HistoryException(file + " is not UTF-8 text; save it as UTF-8 CSV and import again", e);
        } catch (IOException | UncheckedIOException e) {
            throw new HistoryException("cannot read " + file + " (" + e.getMessage() + ")"
                    + (target != null ? "; part of it may be imported" : ""), e);
        }
    }

    /** The separator that splits the header into the most fields. */
    private static char detect(String header) {
        char best = ',';
        int most = 0;
        for (char c : new char[] {',', ';', '\t'}) {
            int n = (int) header.chars().filter(ch -> ch == c).count();
            if (n > most) {
                most = n;
                best = c;
            }
        }
        return best;
    }

    /** One pass over the records. */
    private static final class Reader {
        final Path file;
        final CsvDialect dialect;
        final Options options;
        final CSVParser parser;
        final Historian target;
        Layout layout;
        List<String> columns;
        long line;
        long rows;
        long samples;
        long waited;
        final Set<String> tags = new TreeSet<>();
        final Set<String> seenTags = new HashSet<>();
        Instant first;
        Instant last;

        Reader(Path file, CsvDialect dialect, Options options, CSVParser parser, Historian target) {
            this.file = file;
            this.dialect = dialect;
            this.options = options;
            this.parser = parser;
            this.target = target;
        }

        Result run() throws HistoryException, IOException {
            Iterator<CSVRecord> records = parser.iterator();
            long lineAfter = 0;
            if (!records.hasNext()) {
                throw error(1, 0, "no header: a history CSV starts with time,tag,value,quality or"
                        + " time,TAG-A,TAG-B,...");
            }
            header(records.next());
            lineAfter = parser.getCurrentLineNumber();
            while (true) {
                CSVRecord record;
                try {
                    if (!records.hasNext()) {
                        break;
                    }
                    record = records.next();
                } catch (UncheckedIOException | IllegalStateException e) {
                    throw error(lineAfter + 1, 0, "the text is not valid CSV (" + message(e) + "); check the"
                            + " quotes on that line");
                }
                line = firstLineOf(record);
                lineAfter = parser.getCurrentLineNumber();
                rows++;
                row(record);
                if (target != null && samples - waited >= BATCH) {
                    awaitQueue();
                    waited = samples;
                }
            }
            return new Result(rows, samples, tags, first, last);
        }

        /** The line a record starts on: the parser counts up to its last line; values may hold line breaks. */
        private long firstLineOf(CSVRecord record) {
            long breaks = 0;
            for (String v : record.values()) {
                breaks += v == null ? 0 : v.chars().filter(c -> c == '\n').count();
            }
            return parser.getCurrentLineNumber() - breaks;
        }

        private void header(CSVRecord record) throws CsvImportException {
            line = 1;
            List<String> names = new ArrayList<>();
            for (String v : record.values()) {
                names.add(v == null ? "" : v.trim());
            }
            columns = names;
            List<String> lower = names.stream().map(n -> n.toLowerCase(Locale.ROOT)).toList();
            if (lower.isEmpty() || !lower.get(0).equals("time")) {
                if (!lower.isEmpty() && lower.get(0).equals("start")) {
                    throw error(1, 1, "this is a binned export (aggregates per bucket), not samples: it cannot be"
                            + " imported; import a raw export (time,tag,value,quality)");
                }
                throw error(1, 1, "the first column is '" + (names.isEmpty() ? "" : names.get(0)) + "', not time:"
                        + " a history CSV starts with time,tag,value,quality or time,TAG-A,TAG-B,... (separator '"
                        + dialect.separatorName() + "'; give the separator if it is another)");
            }
            if (lower.size() >= 3 && lower.get(1).equals("tag") && lower.get(2).equals("value")
                    && (lower.size() == 3 || lower.size() == 4 && lower.get(3).equals("quality"))) {
                layout = Layout.LONG;
            } else if (lower.size() >= 2 && lower.get(1).equals("value")
                    && (lower.size() == 2 || lower.size() == 3 && lower.get(2).equals("quality"))) {
                layout = Layout.SINGLE;
                if (options.tag() == null || options.tag().isBlank()) {
                    throw error(1, 2, "a single-tag file (time,value,quality) does not say its tag: give the tag"
                            + " to import it as (--tag NAME)");
                }
                checkTag(options.tag(), 0);
            } else {
                if (names.size() < 2) {
                    throw error(1, 0, "only a time column: a history CSV has time,tag,value,quality or"
                            + " time,TAG-A,TAG-B,... (separator '" + dialect.separatorName()
                            + "'; give the separator if it is another)");
                }
                layout = Layout.WIDE;
                Set<String> unique = new HashSet<>();
                for (int c = 1; c < names.size(); c++) {
                    checkTag(names.get(c), c + 1);
                    if (!unique.add(names.get(c))) {
                        throw error(1, c + 1, "the tag '" + names.get(c) + "' has two columns; keep one");
                    }
                }
            }
            columns = names;
        }

        private void row(CSVRecord record) throws CsvImportException {
            if (record.size() != columns.size()) {
                throw error(line, 0, record.size() + (record.size() == 1 ? " field" : " fields") + ", the header has "
                        + columns.size() + " (" + String.join(dialect.separatorName(), columns) + "); fix that line,"
                        + " or quote a value that holds the separator '" + dialect.separatorName() + "'");
            }
            Instant time = time(record.get(0));
            switch (layout) {
                case LONG -> {
                    String tag = text(record.get(1)).trim();
                    checkTag(tag, 2);
                    Object value = value(record.get(2), 3);
                    Quality quality = record.size() > 3 ? quality(record.get(3), 4) : Quality.GOOD;
                    sample(tag, value, quality, time);
                }
                case SINGLE -> {
                    Object value = value(record.get(1), 2);
                    Quality quality = record.size() > 2 ? quality(record.get(2), 3) : Quality.GOOD;
                    sample(options.tag(), value, quality, time);
                }
                case WIDE -> {
                    for (int c = 1; c < columns.size(); c++) {
                        String text = record.get(c);
                        if (text != null) {
                            sample(columns.get(c), value(text, c + 1), Quality.GOOD, time);
                        }
                    }
                }
                default -> throw new IllegalStateException(layout.toString());
            }
        }

        private void sample(String tag, Object value, Quality quality, Instant time) {
            samples++;
            if (seenTags.add(tag)) {
                tags.add(tag);
            }
            if (first == null || time.isBefore(first)) {
                first = time;
            }
            if (last == null || time.isAfter(last)) {
                last = time;
            }
            if (target != null) {
                target.record(tag, new TagValue(value, quality, time, null, null));
            }
        }

        private static String text(String field) {
            return field == null ? "" : field;
        }

        private Instant time(String field) throws CsvImportException {
            String text = text(field);
            Instant t = CsvValues.parseTime(text, dialect.zone());
            if (t == null) {
                if (CsvValues.isLocalTime(text)) {
                    throw error(line, 1, "'" + text + "' has no offset: write it as 2026-11-25T12:00:00Z or"
                            + " 2026-11-25T13:00:00+01:00, or give the zone its times are in (--zone Europe/Berlin)");
                }
                throw error(line, 1, "'" + text + "' is not a time: write it as 2026-11-25T12:00:00.000Z or"
                        + " 2026-11-25T13:00:00+01:00");
            }
            try {
                Micros.of(t);
            } catch (ArithmeticException e) {
                throw error(line, 1, "'" + text + "' is out of the range the history can store");
            }
            return t;
        }

        private Object value(String text, int column) throws CsvImportException {
            try {
                return CsvValues.parseValue(text, dialect.decimalMark());
            } catch (IllegalArgumentException e) {
                throw error(line, column, e.getMessage());
            }
        }

        private Quality quality(String text, int column) throws CsvImportException {
            try {
                return CsvValues.parseQuality(text);
            } catch (IllegalArgumentException e) {
                throw error(line, column, "unknown quality '" + text + "': write a name as exports do (Good,"
                        + " Uncertain_LastUsableValue, Bad_CommunicationError, ...) or leave it empty for Good");
            }
        }

        private void checkTag(String tag, int column) throws CsvImportException {
            if (tag.isEmpty()) {
                throw error(line, column, "the tag name is empty; every sample needs its tag");
            }
            if (tag.length() > Limits.MAX_TAG_LENGTH) {
                throw error(line, column, "a tag name has at most " + Limits.MAX_TAG_LENGTH + " characters");
            }
        }

        /** Waits while the historian's queue is deep, so that a long file is never dropped for a full queue. */
        private void awaitQueue() {
            while (target.queueDepth() > BATCH) {
                try {
                    Thread.sleep(2);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }

        private CsvImportException error(long at, int column, String what) {
            String where = at <= 0 ? "" : " line " + at + (column > 0 ? ", column " + column + columnName(column)
                    : "");
            return new CsvImportException(file, at, column, file + where + ": " + what
                    + (target == null ? "; nothing was imported" : ""), null);
        }

        private String columnName(int column) {
            return columns != null && column <= columns.size() ? " (" + columns.get(column - 1) + ")" : "";
        }

        private static String message(Exception e) {
            Throwable t = e.getCause() != null ? e.getCause() : e;
            return t.getMessage();
        }
    }
}
