package dev.stator.bench;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The knobs of the Modbus benchmark, read from system properties (the benchmark pom passes the Maven properties of the
 * same names on):
 * <ul>
 *   <li>{@code bench.seconds} (30): length of each measured window;</li>
 *   <li>{@code bench.warmup} (5): seconds of warm-up before each window;</li>
 *   <li>{@code bench.devices} (10): devices, each a slave of its own and a connection of its own;</li>
 *   <li>{@code bench.rate} (10us): the scan group's rate ({@code us}, {@code ms} or {@code s}); shorter than a scan
 *       takes, so scans run back to back;</li>
 *   <li>{@code bench.maxGap} (10, the driver's default): the device's {@code max-gap}, also used for the minimum;</li>
 *   <li>{@code bench.staleAfter} (3, the driver's default): the device's {@code stale-after};</li>
 *   <li>{@code bench.strict} (false): exit with status 1 when a target is missed, for use as a gate;</li>
 *   <li>{@code bench.historian} (true): also run the driver with every reading recorded in a historian;</li>
 *   <li>{@code bench.historyRate} (10ms): the scan rate of that run: 10 devices x 1,000 tags every 10 ms offer the
 *       historian a million samples a second, where back-to-back scans would offer several times what a historian
 *       on two cores can take.</li>
 * </ul>
 */
record BenchSettings(int seconds, int warmup, int devices, Duration rate, int maxGap, int staleAfter,
                     boolean strict, boolean historian, Duration historyRate) {

    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(us|ms|s)");

    /** The same settings with the scan group at {@code value}. */
    BenchSettings withRate(Duration value) {
        return new BenchSettings(seconds, warmup, devices, value, maxGap, staleAfter, strict, historian, historyRate);
    }

    static BenchSettings fromSystemProperties() {
        return new BenchSettings(
                integer("bench.seconds", 30, 1, 3600),
                integer("bench.warmup", 5, 1, 600),
                integer("bench.devices", 10, 1, 100),
                duration("bench.rate", "10us"),
                integer("bench.maxGap", 10, 0, 2000),
                integer("bench.staleAfter", 3, 1, 1000),
                Boolean.parseBoolean(System.getProperty("bench.strict", "false").trim()),
                Boolean.parseBoolean(System.getProperty("bench.historian", "true").trim()),
                duration("bench.historyRate", "10ms"));
    }

    static int integer(String key, int defaultValue, int min, int max) {
        String text = System.getProperty(key);
        if (text == null || text.isBlank()) {
            return defaultValue;
        }
        try {
            int v = Integer.parseInt(text.trim());
            if (v < min || v > max) {
                throw new IllegalArgumentException(key + " must be " + min + " to " + max + ", not " + v);
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a whole number, not '" + text + "'");
        }
    }

    static Duration duration(String key, String defaultValue) {
        String text = System.getProperty(key, defaultValue).trim().toLowerCase(Locale.ROOT);
        Matcher m = DURATION.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException(key + " must be a duration such as 1ms, 500us or 1s, not '" + text
                    + "'");
        }
        double micros = Double.parseDouble(m.group(1)) * switch (m.group(2)) {
            case "us" -> 1.0;
            case "ms" -> 1e3;
            default -> 1e6;
        };
        if (micros < 1) {
            throw new IllegalArgumentException(key + " must be at least 1us");
        }
        return Duration.ofNanos(Math.round(micros * 1e3));
    }
}
