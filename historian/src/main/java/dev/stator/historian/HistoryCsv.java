package dev.stator.historian;

import dev.stator.driver.api.TagValue;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * Exports the history of one tag as CSV, streamed: rows are written as they are read, so an export of a long range
 * never holds the range in memory.
 *
 * <p>The text is {@code time,value,quality} and then one line per sample, lines ending in {@code \n}:
 * <ul>
 *   <li>time: ISO-8601 UTC to the millisecond, {@code 2026-11-25T12:00:00.125Z} (sub-millisecond digits cut);</li>
 *   <li>value: numbers in full precision with a '.' decimal point and no exponent ({@code 21.5}, {@code 1},
 *       {@code 0.0000001}, {@code NaN}, {@code Infinity}); a value that is exactly a 32-bit float, as read from a
 *       float32 register, with the digits that identify that float; booleans {@code true}/{@code false}, text as it
 *       is (quoted when needed), empty when there is no value;</li>
 *   <li>quality: the symbolic name, {@code Good} or {@code Bad_CommunicationError}.</li>
 * </ul>
 */
public final class HistoryCsv {

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private static final CSVFormat FORMAT = CSVFormat.DEFAULT.builder()
            .setHeader("time", "value", "quality")
            .setRecordSeparator('\n')
            .get();

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
        if (!history.hasHistory(tag)) {
            throw new UnknownTagException(tag, history.file());
        }
        // Not closed: that would close the caller's writer.
        CSVPrinter printer = new CSVPrinter(out, FORMAT);
        long count = history.stream(tag, from, to,
                sample -> printer.printRecord(TIME.format(sample.sourceTime()), value(sample),
                        sample.quality().name()));
        printer.flush();
        return count;
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
