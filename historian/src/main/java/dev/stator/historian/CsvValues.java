package dev.stator.historian;

import dev.stator.driver.api.Quality;
import dev.stator.driver.api.TagValue;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** Times, values and qualities as history CSV writes and reads them (see {@link HistoryCsv}). */
final class CsvValues {

    private static final DateTimeFormatter MILLIS = formatter(3);
    private static final DateTimeFormatter MICROS = formatter(6);
    private static final Pattern INTEGER = Pattern.compile("[-+]?\\d+");
    private static final Pattern DECIMAL = Pattern.compile("[-+]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][-+]?\\d+)?");
    /** A number written with a decimal comma, read with a decimal point: refused rather than kept as text. */
    private static final Pattern COMMA_NUMBER = Pattern.compile("[-+]?\\d+,\\d+");
    private static final Pattern UNNAMED_QUALITY = Pattern.compile("(?:Good|Uncertain|Bad) \\(0x([0-9A-Fa-f]{8})\\)");

    private CsvValues() {
    }

    private static DateTimeFormatter formatter(int digits) {
        return new DateTimeFormatterBuilder().appendPattern("uuuu-MM-dd'T'HH:mm:ss")
                .appendFraction(ChronoField.NANO_OF_SECOND, digits, digits, true)
                .appendOffset("+HH:MM", "Z").toFormatter(Locale.ROOT);
    }

    /**
     * A time to the millisecond, or to the microsecond when it has digits there: {@code 2026-11-25T12:00:00.125Z},
     * {@code 2026-11-25T12:00:02.000999Z}; with its offset in {@code zone} ({@code +01:00}) when one is given.
     */
    static String time(Instant t, ZoneId zone) {
        OffsetDateTime at = zone == null ? t.atOffset(ZoneOffset.UTC) : t.atZone(zone).toOffsetDateTime();
        return (t.getNano() % 1_000_000 == 0 ? MILLIS : MICROS).format(at);
    }

    /**
     * A time with an offset ({@code Z}, {@code +01:00}), or without one in {@code zone}; a space may stand for the
     * {@code T}. Null when it is not a time, or has no offset and no zone is given.
     */
    static Instant parseTime(String text, ZoneId zone) {
        String iso = text.trim().replace(' ', 'T');
        try {
            return OffsetDateTime.parse(iso).toInstant();
        } catch (DateTimeParseException e) {
            // no offset: local time in the given zone
        }
        if (zone == null) {
            return null;
        }
        try {
            return LocalDateTime.parse(iso).atZone(zone).toInstant();
        } catch (DateTimeException e) {
            return null;
        }
    }

    /** True when {@code text} is a local time without offset (for a message that asks for a zone). */
    static boolean isLocalTime(String text) {
        try {
            LocalDateTime.parse(text.trim().replace(' ', 'T'));
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    /**
     * A value in the long and wide formats: a Double always with a decimal mark and every digit that tells it apart
     * ({@code 1.0}, {@code 0.30000000000000004}, {@code 0.0000001}, {@code -0.0}, {@code NaN}, {@code Infinity}),
     * a Long without ({@code 42}), booleans {@code true}/{@code false}, text as it is, empty for no value. Reads back
     * as the same value (see {@link #parseValue}).
     */
    static String value(Object value, char decimalMark) {
        if (value == null) {
            return "";
        }
        if (value instanceof Double d) {
            return number(d, decimalMark);
        }
        if (value instanceof List<?> list) {
            return ArrayText.encode(list);
        }
        return value.toString();
    }

    /** A double as {@link #value} writes it. */
    static String number(double d, char decimalMark) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            return Double.toString(d);
        }
        String plain = new BigDecimal(Double.toString(d)).toPlainString();
        if (plain.indexOf('.') < 0) {
            plain += ".0";
        }
        if (d == 0 && 1 / d < 0 && !plain.startsWith("-")) {
            plain = "-" + plain;
        }
        return decimalMark == '.' ? plain : plain.replace('.', decimalMark);
    }

    /** The single-tag layout's value ({@link HistoryCsv#value}) with the given decimal mark. */
    static String legacyValue(TagValue sample, char decimalMark) {
        String text = HistoryCsv.value(sample);
        return decimalMark != '.' && sample.value() instanceof Double ? text.replace('.', decimalMark) : text;
    }

    /**
     * A value as written by a person or a spreadsheet: {@code true}/{@code false} (any case) a Boolean; digits a
     * Long; a decimal number (with the given mark, optionally an exponent), {@code NaN} or {@code Infinity} a Double;
     * anything else text; empty nothing.
     *
     * @throws IllegalArgumentException for a number written with a decimal comma when the mark is a point
     */
    static Object parseValue(String text, char decimalMark) {
        if (text == null) {
            return null;
        }
        if (text.isBlank()) {
            return text;
        }
        if (text.equalsIgnoreCase("true")) {
            return Boolean.TRUE;
        }
        if (text.equalsIgnoreCase("false")) {
            return Boolean.FALSE;
        }
        String t = text.trim();
        if (INTEGER.matcher(t).matches()) {
            try {
                return Long.parseLong(t.startsWith("+") ? t.substring(1) : t);
            } catch (NumberFormatException e) {
                return Double.parseDouble(t);
            }
        }
        String n = decimalMark == '.' ? t : t.replace(decimalMark, '.');
        if (decimalMark == '.' || t.indexOf('.') < 0) {
            if (DECIMAL.matcher(n).matches()) {
                return Double.parseDouble(n);
            }
        }
        switch (t) {
            case "NaN":
                return Double.NaN;
            case "Infinity", "+Infinity":
                return Double.POSITIVE_INFINITY;
            case "-Infinity":
                return Double.NEGATIVE_INFINITY;
            default:
                break;
        }
        if (decimalMark == '.' && COMMA_NUMBER.matcher(t).matches()) {
            throw new IllegalArgumentException("'" + text + "' looks like a number with a decimal comma; give the"
                    + " decimal mark ',' (--decimal ,)");
        }
        return text;
    }

    /** A quality by its name ({@code Good}, {@code Bad_Timeout}) or as an unnamed code ({@code Bad (0x80AA0000)}). */
    static Quality parseQuality(String text) {
        String t = text == null ? "" : text.trim();
        if (t.isEmpty()) {
            return Quality.GOOD;
        }
        var m = UNNAMED_QUALITY.matcher(t);
        if (m.matches()) {
            return Quality.of(Long.parseLong(m.group(1), 16));
        }
        return Quality.byName(t);
    }
}
