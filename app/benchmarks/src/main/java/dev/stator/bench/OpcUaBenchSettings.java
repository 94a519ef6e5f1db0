package dev.stator.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The knobs of the OPC UA benchmark, read from system properties (the benchmark pom passes the Maven properties of
 * the same names on):
 * <ul>
 *   <li>{@code bench.seconds} (30): length of each measured window, per phase and point;</li>
 *   <li>{@code bench.warmup} (5): seconds of warm-up before each window, once every item has its first value;</li>
 *   <li>{@code bench.items} (1000,5000,10000): the points: how many variables change, and are monitored;</li>
 *   <li>{@code bench.period} (100ms): how often every variable changes; also the scan group's rate, so the
 *       sampling and publishing interval of both clients;</li>
 *   <li>{@code bench.queueSize} (1, the driver's default): the monitored items' queue size, both clients;</li>
 *   <li>{@code bench.secureItems} (10000): one more point, Basic256Sha256/SignAndEncrypt, with this many items;
 *       0: none;</li>
 *   <li>{@code bench.phaseLock} (true): the server changes its variables half a period before each publish, so that
 *       both clients wait the same in the server (see {@link OpcUaServerHost}); false: at a fixed rate;</li>
 *   <li>{@code bench.strict} (false): exit with status 1 when a target is missed, for use as a gate.</li>
 * </ul>
 */
record OpcUaBenchSettings(int seconds, int warmup, List<Integer> items, Duration period, int queueSize,
                          int secureItems, boolean phaseLock, boolean strict) {

    /** More variables than this would not fit the index the server puts into each value. */
    static final int MAX_ITEMS = 99_999;

    static OpcUaBenchSettings fromSystemProperties() {
        Duration period = BenchSettings.duration("bench.period", "100ms");
        if (period.toNanos() % 1_000_000 != 0 || period.toMillis() < 10) {
            throw new IllegalArgumentException("bench.period must be whole milliseconds, at least 10ms (the "
                    + "server's shortest publishing interval), not " + period.toNanos() / 1e6 + " ms");
        }
        return new OpcUaBenchSettings(
                BenchSettings.integer("bench.seconds", 30, 1, 3600),
                BenchSettings.integer("bench.warmup", 5, 1, 600),
                counts("bench.items", "1000,5000,10000"),
                period,
                BenchSettings.integer("bench.queueSize", 1, 1, 10_000),
                BenchSettings.integer("bench.secureItems", 10_000, 0, MAX_ITEMS),
                Boolean.parseBoolean(System.getProperty("bench.phaseLock", "true").trim()),
                Boolean.parseBoolean(System.getProperty("bench.strict", "false").trim()));
    }

    /** The most items any point needs: the size of the server's address space. */
    int maxItems() {
        return Math.max(secureItems, items.stream().mapToInt(Integer::intValue).max().orElse(0));
    }

    private static List<Integer> counts(String key, String defaultValue) {
        String text = System.getProperty(key, defaultValue).trim();
        List<Integer> list = new ArrayList<>();
        for (String part : text.split(",")) {
            try {
                int n = Integer.parseInt(part.strip().replace("_", ""));
                if (n < 1 || n > MAX_ITEMS) {
                    throw new IllegalArgumentException(key + ": each count must be 1 to " + MAX_ITEMS + ", not " + n);
                }
                list.add(n);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(key + " must be whole numbers separated by commas, such as "
                        + defaultValue + ", not '" + text + "'");
            }
        }
        return List.copyOf(list);
    }
}
