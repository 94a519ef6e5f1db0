package dev.stator.cli;

import dev.stator.driver.api.Options;
import picocli.CommandLine;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parsers for command-line values: durations and points in time. */
final class Converters {

    private static final Pattern RELATIVE = Pattern.compile("-(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|min|h|d)");

    private Converters() {
    }

    /** {@code 30s}, {@code 500ms}, {@code 10m}, {@code 2h}. */
    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            try {
                return Options.parseDuration(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    /**
     * A point in time as typed by a person: {@code now}; relative to now, {@code -1h}, {@code -30m}, {@code -2d};
     * an instant with its offset, {@code 2026-11-25T10:00:00Z}; a local date and time in the workstation's zone,
     * {@code 2026-11-25T10:00}, {@code "2026-11-25 10:00:00"}; a date, meaning its start in that zone.
     */
    static Instant parseTime(String text, Clock clock, ZoneId zone) {
        String t = text.trim();
        if (t.equalsIgnoreCase("now")) {
            return clock.instant();
        }
        Matcher m = RELATIVE.matcher(t.toLowerCase(Locale.ROOT));
        if (m.matches()) {
            String unit = m.group(2);
            Duration d = unit.equals("d") ? Duration.ofMillis(Math.round(Double.parseDouble(m.group(1)) * 86_400_000))
                    : Options.parseDuration(m.group(1) + unit);
            return clock.instant().minus(d);
        }
        String iso = t.replace(' ', 'T');
        try {
            return Instant.parse(iso);
        } catch (DateTimeParseException ignored) {
            // not an instant with an offset; try local forms
        }
        try {
            return java.time.OffsetDateTime.parse(iso).toInstant();
        } catch (DateTimeParseException ignored) {
            // try local
        }
        try {
            return LocalDateTime.parse(iso).atZone(zone).toInstant();
        } catch (DateTimeParseException ignored) {
            // try a date
        }
        try {
            return LocalDate.parse(iso).atStartOfDay(zone).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'" + text + "' is not a time: write now, -1h, -30m, -2d, "
                    + "2026-11-25, \"2026-11-25 10:00\" (local) or 2026-11-25T10:00:00Z (UTC)");
        }
    }
}
