package dev.stator.driver.api;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The protocol options of an endpoint or a device, as written in the project file ({@code port: 502},
 * {@code timeout: 1s}). A driver reads each key it knows with a documented default, then calls
 * {@link #checkAllUsed()} so that a misspelt key is an error rather than a silently ignored setting.
 *
 * <p>Errors are {@link ConfigException}s that name the owner ("endpoint 'plant-link'") and the key, so the project
 * loader can point at the line. Not thread-safe: read once while the project is loaded.
 */
public final class Options {

    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|min|h|d|y)");

    private final String owner;
    private final Map<String, String> values;
    private final Set<String> used = new LinkedHashSet<>();

    /**
     * @param owner  who the options belong to, as a person would name it: {@code endpoint 'plant-link'}
     * @param values key to text, in file order
     */
    public Options(String owner, Map<String, String> values) {
        this.owner = owner;
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    public String owner() {
        return owner;
    }

    public Map<String, String> asMap() {
        return values;
    }

    public boolean has(String key) {
        used.add(key);
        return values.containsKey(key);
    }

    public String getString(String key, String defaultValue) {
        used.add(key);
        String v = values.get(key);
        return v == null ? defaultValue : v;
    }

    public String requireString(String key) throws ConfigException {
        used.add(key);
        String v = values.get(key);
        if (v == null || v.isBlank()) {
            throw new ConfigException(owner, key, "'" + key + "' is required");
        }
        return v;
    }

    public int getInt(String key, int defaultValue, int min, int max) throws ConfigException {
        used.add(key);
        String v = values.get(key);
        if (v == null) {
            return defaultValue;
        }
        try {
            int i = Integer.parseInt(v.trim());
            if (i < min || i > max) {
                throw new ConfigException(owner, key, "'" + key + "' is " + i + ", must be " + min + " to " + max);
            }
            return i;
        } catch (NumberFormatException e) {
            throw new ConfigException(owner, key, "'" + key + "' must be a whole number, not '" + v + "'");
        }
    }

    public boolean getBoolean(String key, boolean defaultValue) throws ConfigException {
        used.add(key);
        String v = values.get(key);
        if (v == null) {
            return defaultValue;
        }
        return switch (v.trim().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new ConfigException(owner, key, "'" + key + "' must be true or false, not '" + v + "'");
        };
    }

    public Duration getDuration(String key, Duration defaultValue) throws ConfigException {
        used.add(key);
        String v = values.get(key);
        if (v == null) {
            return defaultValue;
        }
        try {
            return parseDuration(v);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(owner, key, "'" + key + "': " + e.getMessage());
        }
    }

    /** Fails on any key no one asked for, listing the known ones. */
    public void checkAllUsed() throws ConfigException {
        for (String key : values.keySet()) {
            if (!used.contains(key)) {
                throw new ConfigException(owner, key, "unknown option '" + key + "' (known: "
                        + String.join(", ", new TreeSet<>(used)) + ")");
            }
        }
    }

    /**
     * Parses a duration as written in project files and on the command line: a number and a unit, {@code 250ms},
     * {@code 1s}, {@code 1.5s}, {@code 10m} or {@code 10min}, {@code 2h}, and for retention periods {@code 90d}
     * (days of 24 hours) and {@code 2y} (years of 365 days).
     */
    public static Duration parseDuration(String text) {
        Matcher m = DURATION.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a duration (write e.g. 250ms, 1s, 10m, 2h, 90d)");
        }
        double amount = Double.parseDouble(m.group(1));
        double millis = switch (m.group(2)) {
            case "ms" -> amount;
            case "s" -> amount * 1_000;
            case "m", "min" -> amount * 60_000;
            case "h" -> amount * 3_600_000;
            case "d" -> amount * 86_400_000;
            default -> amount * 365 * 86_400_000.0;
        };
        return Duration.ofNanos(Math.round(millis * 1_000_000));
    }

    /** The inverse of {@link #parseDuration}: {@code 250ms}, {@code 1s}, {@code 10m}. */
    public static String formatDuration(Duration d) {
        long ms = d.toMillis();
        if (ms % 3_600_000 == 0 && ms != 0) {
            return ms / 3_600_000 + "h";
        }
        if (ms % 60_000 == 0 && ms != 0) {
            return ms / 60_000 + "m";
        }
        if (ms % 1_000 == 0 && ms != 0) {
            return ms / 1_000 + "s";
        }
        return ms + "ms";
    }
}
