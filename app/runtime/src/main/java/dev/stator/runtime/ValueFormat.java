package dev.stator.runtime;

import dev.stator.driver.api.EngineeringRange;
import dev.stator.driver.api.TagValue;
import dev.stator.runtime.project.TagSpec;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * How values, timestamps and ages are written for people: on screens and in the command line alike, so an operator
 * reads the same text everywhere. Thread-safe.
 */
public final class ValueFormat {

    /** Shown where a tag has no value (Bad quality, or nothing read yet). */
    public static final String NO_VALUE = "—";

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS", Locale.ROOT);

    private final ZoneId zone;

    public ValueFormat(ZoneId zone) {
        this.zone = zone;
    }

    /** The value alone, with the tag's decimals; {@link #NO_VALUE} when there is none. */
    public String value(TagSpec tag, TagValue v) {
        if (!v.hasValue()) {
            return NO_VALUE;
        }
        Object value = v.value();
        if (value instanceof Boolean b) {
            return b ? "ON" : "OFF";
        }
        if (value instanceof Double d) {
            if (d.isNaN() || d.isInfinite()) {
                return d.toString();
            }
            return String.format(Locale.ROOT, "%." + decimals(tag) + "f", d);
        }
        return value.toString();
    }

    /** The value and its units, e.g. {@code 2.04 m}. */
    public String valueWithUnits(TagSpec tag, TagValue v) {
        String text = value(tag, v);
        String units = tag.definition().units();
        return v.hasValue() && !units.isEmpty() ? text + " " + units : text;
    }

    /** Decimals to show: the tag's own, else from the engineering range (about four significant digits). */
    public static int decimals(TagSpec tag) {
        if (tag.decimals() >= 0) {
            return tag.decimals();
        }
        EngineeringRange range = tag.definition().range();
        if (range == null) {
            return 2;
        }
        double span = range.span();
        return span >= 1000 ? 0 : span >= 100 ? 1 : span >= 10 ? 2 : 3;
    }

    /** A timestamp in the workstation's time zone, to the millisecond; empty for none. */
    public String time(Instant t) {
        return t == null ? "" : TIME.format(t.atZone(zone));
    }

    /** How long ago, briefly: {@code 4 s}, {@code 3 min}, {@code 2 h 5 min}, {@code 3 d}. */
    public static String age(Instant then, Instant now) {
        Duration d = Duration.between(then, now);
        long s = Math.max(0, d.getSeconds());
        if (s < 60) {
            return s + " s";
        }
        if (s < 3600) {
            return s / 60 + " min";
        }
        if (s < 86_400) {
            return s / 3600 + " h " + (s % 3600) / 60 + " min";
        }
        return s / 86_400 + " d";
    }

    /** {@code 1 tag}, {@code 28 tags}: a count with its noun. */
    public static String count(long n, String singular) {
        return n + " " + (n == 1 ? singular : singular + "s");
    }

    /** A size on disk for people: {@code 812 B}, {@code 4.2 kB}, {@code 17.3 MB}, {@code 1.25 GB} (powers of 1000). */
    public static String bytes(long n) {
        if (n < 0) {
            return "unknown";
        }
        if (n < 1000) {
            return n + " B";
        }
        String[] units = {"kB", "MB", "GB", "TB", "PB"};
        double v = n;
        int u = -1;
        while (v >= 1000 && u < units.length - 1) {
            v /= 1000;
            u++;
        }
        return String.format(Locale.ROOT, v < 10 ? "%.2f %s" : v < 100 ? "%.1f %s" : "%.0f %s", v, units[u]);
    }

    public ZoneId zone() {
        return zone;
    }
}
