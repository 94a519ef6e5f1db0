package dev.stator.historian;

import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * How history CSV text is written and read: the field separator, the decimal mark of numbers, and the time zone of
 * the time column. Immutable and thread-safe.
 *
 * @param separator   {@code ','}, {@code ';'} or tab
 * @param decimalMark {@code '.'} or {@code ','}; a decimal comma needs another separator than the comma
 * @param zone        the zone times are written in, with their offset ({@code 2026-11-25T13:00:00.000+01:00}); null
 *                    for UTC with a {@code Z} ({@code 2026-11-25T12:00:00.000Z}). When reading, the zone of times
 *                    that carry no offset; null to refuse them
 */
public record CsvDialect(char separator, char decimalMark, ZoneId zone) {

    /** Comma, decimal point, UTC: what {@code stator history export} has always written. */
    public static final CsvDialect DEFAULT = new CsvDialect(',', '.', null);

    public CsvDialect {
        if (separator != ',' && separator != ';' && separator != '\t') {
            throw new IllegalArgumentException("the separator is ',', ';' or a tab, not '" + separator + "'");
        }
        if (decimalMark != '.' && decimalMark != ',') {
            throw new IllegalArgumentException("the decimal mark is '.' or ',', not '" + decimalMark + "'");
        }
        if (separator == ',' && decimalMark == ',') {
            throw new IllegalArgumentException("a decimal comma needs another separator than the comma: use ';' or"
                    + " a tab as the separator, or '.' as the decimal mark");
        }
        if (zone != null && zone.normalized().equals(ZoneOffset.UTC)) {
            zone = null;
        }
    }

    public CsvDialect withSeparator(char value) {
        return new CsvDialect(value, decimalMark, zone);
    }

    public CsvDialect withDecimalMark(char value) {
        return new CsvDialect(separator, value, zone);
    }

    public CsvDialect withZone(ZoneId value) {
        return new CsvDialect(separator, decimalMark, value);
    }

    /** The separator as a person names it: {@code ","}, {@code ";"} or {@code "tab"}. */
    public String separatorName() {
        return separator == '\t' ? "tab" : String.valueOf(separator);
    }

    /**
     * A separator as typed on a command line or picked in a form: {@code ,} {@code ;} {@code tab} (or a tab
     * character), also {@code comma} and {@code semicolon}.
     */
    public static char parseSeparator(String text) {
        Objects.requireNonNull(text, "text");
        return switch (text.equals("\t") ? "tab" : text.trim().toLowerCase(java.util.Locale.ROOT)) {
            case ",", "comma" -> ',';
            case ";", "semicolon" -> ';';
            case "tab", "\\t" -> '\t';
            default -> throw new IllegalArgumentException("'" + text + "' is not a separator: write , or ; or tab");
        };
    }

    /** A decimal mark as typed: {@code .} or {@code ,} (also {@code point}, {@code comma}). */
    public static char parseDecimalMark(String text) {
        Objects.requireNonNull(text, "text");
        return switch (text.trim().toLowerCase(java.util.Locale.ROOT)) {
            case ".", "point", "dot" -> '.';
            case ",", "comma" -> ',';
            default -> throw new IllegalArgumentException("'" + text + "' is not a decimal mark: write . or ,");
        };
    }
}
