package dev.stator.historian;

import java.io.IOException;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * Exports journal entries as CSV, streamed: rows are written as they are read.
 *
 * <p>The text is {@code time,kind,source,user,action,message,old,new} and then one line per entry, lines ending in
 * {@code \n}: time in ISO-8601 UTC to the microsecond ({@code 2026-11-25T12:00:00.125000Z}), kind as
 * {@code alarm}, {@code operator} or {@code system}, the texts as they are (quoted when needed), old and new empty
 * when there is none.
 */
public final class JournalCsv {

    static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

    private static final CSVFormat FORMAT = CSVFormat.DEFAULT.builder()
            .setHeader("time", "kind", "source", "user", "action", "message", "old", "new")
            .setRecordSeparator('\n')
            .get();

    private JournalCsv() {
    }

    /**
     * Writes the entries {@code query} selects to {@code out}, in time order. Flushes {@code out} but does not close
     * it. Called on the exporting thread, never the JavaFX application thread.
     *
     * @return the number of entries written
     * @throws IOException when {@code out} fails; the export stops there
     */
    public static long write(HistorySource history, JournalQuery query, Appendable out)
            throws HistoryException, IOException {
        // Not closed: that would close the caller's writer.
        CSVPrinter printer = new CSVPrinter(out, FORMAT);
        long count = history.streamJournal(query, e -> printer.printRecord(TIME.format(e.time()), e.kind().label(),
                e.source(), e.user(), e.action(), e.message(), e.oldValue() == null ? "" : e.oldValue(),
                e.newValue() == null ? "" : e.newValue()));
        printer.flush();
        return count;
    }
}
