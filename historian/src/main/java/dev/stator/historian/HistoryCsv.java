package dev.stator.historian;

import dev.stator.driver.api.TagValue;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.concurrent.CancellationException;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * History as CSV, streamed: rows are written as they are read, so an export of a long range never holds the range in
 * memory. The layouts (each with a header line, lines ending in {@code \n}; docs/historian.md, "CSV export and
 * import", is the reference):
 *
 * <ul>
 *   <li><b>single tag</b>, {@link #write(HistorySource, String, Instant, Instant, Appendable)}:
 *       {@code time,value,quality}, as {@code stator history export --tag X} has always written it:
 *       <ul>
 *         <li>time: ISO-8601 UTC to the millisecond, {@code 2026-11-25T12:00:00.125Z} (sub-millisecond digits
 *             cut);</li>
 *         <li>value: numbers in full precision with a '.' decimal point and no exponent ({@code 21.5}, {@code 1},
 *             {@code 0.0000001}, {@code NaN}, {@code Infinity}); a value that is exactly a 32-bit float, as read
 *             from a float32 register, with the digits that identify that float; booleans {@code true}/{@code
 *             false}, text as it is (quoted when needed), empty when there is no value;</li>
 *         <li>quality: the symbolic name, {@code Good} or {@code Bad_CommunicationError}.</li>
 *       </ul></li>
 *   <li><b>raw</b> ({@link HistoryExport.Mode#RAW}), long format {@code time,tag,value,quality}: every sample of
 *       every tag, in time order across tags (equal times in the order the tags are given, then recording order).
 *       Times to the microsecond when they have digits there; a Double always with a decimal mark and every digit
 *       that tells it apart ({@code 1.0}, {@code 2.0999999046325684}), a Long without: the text reads back as the
 *       same values ({@link HistoryCsvImport}).</li>
 *   <li><b>binned</b> ({@link HistoryExport.Mode#BINNED}): {@code start,tag,count,min,max,avg,first,last}, one row
 *       per bucket and tag, as {@link HistorySource#aggregate} gives them for {@link Buckets#every}; an empty bucket
 *       has count 0 and empty fields.</li>
 *   <li><b>interpolated</b> ({@link HistoryExport.Mode#INTERPOLATED}), wide format {@code time,TAG-A,TAG-B,...}:
 *       one row per step, the value of each tag from {@link HistorySource#interpolate}; empty in a gap.</li>
 * </ul>
 *
 * <p>Memory: a raw export of n tags holds at most n pages of samples (a k-way merge of per-tag cursors, each reading
 * its tag a page at a time); binned and interpolated exports query the range in pieces of a few thousand buckets
 * or steps. Samples recorded into the range while it is exported may or may not appear.
 */
public final class HistoryCsv {

    /** Samples per tag read at a time (raw), buckets or steps per query (binned, interpolated). */
    static final int PAGE = 4_096;
    /** Rows between two progress reports. */
    static final int PROGRESS_EVERY = 1_000;

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter TIME_WITH_OFFSET =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSXXX");

    private static final CSVFormat FORMAT = CSVFormat.DEFAULT.builder()
            .setHeader("time", "value", "quality")
            .setRecordSeparator('\n')
            .get();

    /**
     * Told how many rows an export has written, every thousand rows and at the end, on the exporting thread.
     * Returning false stops the export with a {@link CancellationException}.
     */
    @FunctionalInterface
    public interface Progress {
        boolean rowsWritten(long rows);
    }

    /** What an export took: pages read, the most samples one tag held at once, the most buckets or steps queried. */
    static final class Stats {
        long pages;
        int mostHeld;
        int mostPerQuery;
    }

    private HistoryCsv() {
    }

    /**
     * Writes the samples of {@code tag} with a source time in {@code [from, to)} to {@code out}, in time order.
     * Flushes {@code out} but does not close it. Called on the exporting thread, never the JavaFX application thread.
     *
     * @return the number of samples written
     * @throws UnknownTagException when {@code tag} has no history; the message names the tag
     * @throws IOException         when {@code out} fails; the export stops there
     */
    public static long write(HistorySource history, String tag, Instant from, Instant to, Appendable out)
            throws HistoryException, IOException {
        return write(history, tag, from, to, CsvDialect.DEFAULT, out);
    }

    /**
     * As {@link #write(HistorySource, String, Instant, Instant, Appendable)}, the single-tag layout with another
     * separator, decimal mark or time zone; with {@link CsvDialect#DEFAULT} the very same text.
     */
    public static long write(HistorySource history, String tag, Instant from, Instant to, CsvDialect dialect,
                             Appendable out) throws HistoryException, IOException {
        if (!history.hasHistory(tag)) {
            throw new UnknownTagException(tag, history.file());
        }
        DateTimeFormatter time = dialect.zone() == null ? TIME : TIME_WITH_OFFSET.withZone(dialect.zone());
        // Not closed: that would close the caller's writer.
        CSVPrinter printer = new CSVPrinter(out, FORMAT.builder().setDelimiter(dialect.separator()).get());
        long count = history.stream(tag, from, to,
                sample -> printer.printRecord(time.format(sample.sourceTime()),
                        CsvValues.legacyValue(sample, dialect.decimalMark()), sample.quality().name()));
        printer.flush();
        return count;
    }

    /**
     * Writes {@code export} to {@code out} in its mode's layout (see the class comment). Flushes {@code out} but does
     * not close it. Called on the exporting thread, never the JavaFX application thread.
     *
     * @return the number of rows written, header excluded
     * @throws UnknownTagException when a tag has no history; nothing is written then
     * @throws IOException         when {@code out} fails; the export stops there
     */
    public static long export(HistorySource history, HistoryExport export, Appendable out)
            throws HistoryException, IOException {
        return export(history, export, out, rows -> true);
    }

    /**
     * As {@link #export(HistorySource, HistoryExport, Appendable)}, reporting progress to {@code progress}, which may
     * stop the export.
     *
     * @throws CancellationException when {@code progress} returned false; what was written stays written
     */
    public static long export(HistorySource history, HistoryExport export, Appendable out, Progress progress)
            throws HistoryException, IOException {
        return export(history, export, out, progress, PAGE, new Stats());
    }

    static long export(HistorySource history, HistoryExport export, Appendable out, Progress progress, int page,
                       Stats stats) throws HistoryException, IOException {
        Objects.requireNonNull(progress, "progress");
        for (String tag : export.tags()) {
            if (!history.hasHistory(tag)) {
                throw new UnknownTagException(tag, history.file());
            }
        }
        Rows rows = new Rows(out, export.dialect(), progress);
        switch (export.mode()) {
            case RAW -> raw(history, export, rows, page, stats);
            case BINNED -> binned(history, export, rows, page, stats);
            case INTERPOLATED -> interpolated(history, export, rows, page, stats);
            default -> throw new IllegalStateException(export.mode().toString());
        }
        return rows.finish();
    }

    /**
     * Writes records with a row count and progress reports. Fields are quoted when they hold the separator, a quote,
     * a line break or surrounding spaces, and an empty text is written {@code ""}, so that it reads back apart from
     * an empty field (no value).
     */
    private static final class Rows {
        final Appendable out;
        final CsvDialect dialect;
        final Progress progress;
        final StringBuilder line = new StringBuilder(128);
        long count;

        Rows(Appendable out, CsvDialect dialect, Progress progress) {
            this.out = out;
            this.dialect = dialect;
            this.progress = progress;
        }

        void header(List<String> names) throws IOException {
            record(names.toArray(new Object[0]));
        }

        void row(Object... fields) throws IOException {
            record(fields);
            if (++count % PROGRESS_EVERY == 0) {
                flush();
                if (!progress.rowsWritten(count)) {
                    throw new CancellationException("export stopped after " + count + " rows");
                }
            }
        }

        private void record(Object[] fields) throws IOException {
            line.setLength(0);
            for (int i = 0; i < fields.length; i++) {
                if (i > 0) {
                    line.append(dialect.separator());
                }
                Object f = fields[i];
                if (f != null) {
                    field(f.toString());
                }
            }
            line.append('\n');
            out.append(line);
        }

        private void field(String text) {
            boolean quote = text.isEmpty() || Character.isWhitespace(text.charAt(0))
                    || Character.isWhitespace(text.charAt(text.length() - 1));
            for (int i = 0; i < text.length() && !quote; i++) {
                char c = text.charAt(i);
                quote = c == dialect.separator() || c == '"' || c == '\n' || c == '\r';
            }
            if (!quote) {
                line.append(text);
                return;
            }
            line.append('"');
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c == '"') {
                    line.append('"');
                }
                line.append(c);
            }
            line.append('"');
        }

        private void flush() throws IOException {
            if (out instanceof java.io.Flushable f) {
                f.flush();
            }
        }

        long finish() throws IOException {
            flush();
            if (!progress.rowsWritten(count)) {
                throw new CancellationException("export stopped after " + count + " rows");
            }
            return count;
        }

        String time(Instant t) {
            return CsvValues.time(t, dialect.zone());
        }

        String number(double d) {
            return CsvValues.number(d, dialect.decimalMark());
        }
    }

    /** A k-way merge of one cursor per tag: time order, then the order of the tags, then recording order. */
    private static void raw(HistorySource history, HistoryExport export, Rows rows, int page, Stats stats)
            throws HistoryException, IOException {
        rows.header(List.of("time", "tag", "value", "quality"));
        List<TagCursor> cursors = new ArrayList<>();
        PriorityQueue<TagCursor> heads = new PriorityQueue<>(Math.max(1, export.tags().size()),
                Comparator.<TagCursor, Instant>comparing(c -> peekTime(c)).thenComparingInt(c -> c.index));
        for (int i = 0; i < export.tags().size(); i++) {
            TagCursor c = new TagCursor(history, export.tags().get(i), i, export.from(), export.to(), page);
            cursors.add(c);
            if (c.peek() != null) {
                heads.add(c);
            }
        }
        char mark = rows.dialect.decimalMark();
        TagCursor c;
        while ((c = heads.poll()) != null) {
            TagValue s = c.next();
            rows.row(rows.time(s.sourceTime()), c.tag, s.value() == null ? null : CsvValues.value(s.value(), mark),
                    s.quality().name());
            if (c.peek() != null) {
                heads.add(c);
            }
        }
        for (TagCursor cursor : cursors) {
            stats.pages += cursor.pages;
            stats.mostHeld = Math.max(stats.mostHeld, cursor.mostHeld);
        }
    }

    /** The head of a cursor that is in the queue: it has one, read already. */
    private static Instant peekTime(TagCursor c) {
        try {
            return c.peek().sourceTime();
        } catch (HistoryException e) {
            throw new IllegalStateException("a cursor in the merge has its next sample read", e);
        }
    }

    private static void binned(HistorySource history, HistoryExport export, Rows rows, int page, Stats stats)
            throws HistoryException, IOException {
        rows.header(List.of("start", "tag", "count", "min", "max", "avg", "first", "last"));
        Duration width = export.step();
        Duration piece = width.multipliedBy(page);
        int tags = export.tags().size();
        for (Instant from = export.from(); from.isBefore(export.to()); from = end(from, piece, export.to())) {
            Buckets buckets = Buckets.every(from, end(from, piece, export.to()), width);
            stats.mostPerQuery = Math.max(stats.mostPerQuery, buckets.count());
            List<List<Aggregate>> perTag = new ArrayList<>(tags);
            for (String tag : export.tags()) {
                perTag.add(history.aggregate(tag, buckets));
            }
            for (int b = 0; b < buckets.count(); b++) {
                for (int t = 0; t < tags; t++) {
                    Aggregate a = perTag.get(t).get(b);
                    boolean empty = a.count() == 0;
                    rows.row(rows.time(a.start()), export.tags().get(t), a.count(),
                            empty ? null : rows.number(a.min()), empty ? null : rows.number(a.max()),
                            empty ? null : rows.number(a.average()), empty ? null : rows.number(a.first()),
                            empty ? null : rows.number(a.last()));
                }
            }
        }
    }

    private static void interpolated(HistorySource history, HistoryExport export, Rows rows, int page, Stats stats)
            throws HistoryException, IOException {
        List<String> header = new ArrayList<>();
        header.add("time");
        header.addAll(export.tags());
        rows.header(header);
        Duration step = export.step();
        Duration piece = step.multipliedBy(page);
        int tags = export.tags().size();
        Object[] fields = new Object[tags + 1];
        for (Instant from = export.from(); from.isBefore(export.to()); from = end(from, piece, export.to())) {
            Instant to = end(from, piece, export.to());
            List<List<InterpolatedValue>> perTag = new ArrayList<>(tags);
            for (String tag : export.tags()) {
                perTag.add(export.interpolation() == null ? history.interpolate(tag, from, to, step)
                        : history.interpolate(tag, from, to, step, export.interpolation()));
            }
            int n = 0;
            for (Instant t = from; t.isBefore(to); t = t.plus(step)) {
                fields[0] = rows.time(t);
                for (int k = 0; k < tags; k++) {
                    InterpolatedValue v = perTag.get(k).get(n);
                    fields[k + 1] = v.isGap() || Double.isNaN(v.value()) ? null : rows.number(v.value());
                }
                rows.row(fields);
                n++;
            }
            stats.mostPerQuery = Math.max(stats.mostPerQuery, n);
        }
    }

    /** {@code from + piece}, or {@code to} when that is sooner (or the sum overflows). */
    private static Instant end(Instant from, Duration piece, Instant to) {
        if (Duration.between(from, to).compareTo(piece) <= 0) {
            return to;
        }
        return from.plus(piece);
    }

    /** The value column: plain text, empty for no value. */
    static String value(TagValue sample) {
        Object value = sample.value();
        if (value == null) {
            return "";
        }
        if (value instanceof Double d) {
            if (d.isNaN() || d.isInfinite()) {
                return d.toString();
            }
            // Shortest digits that read back as the same value, without an exponent. A value that is exactly a
            // 32-bit float (a float32 register) gets the digits that identify the float: 2.1, not 2.0999999046325684.
            String shortest = (double) (float) (double) d == d ? Float.toString((float) (double) d) : d.toString();
            String plain = new BigDecimal(shortest).stripTrailingZeros().toPlainString();
            return d == 0 && 1 / d < 0 ? "-" + plain : plain;
        }
        return value.toString();
    }
}
