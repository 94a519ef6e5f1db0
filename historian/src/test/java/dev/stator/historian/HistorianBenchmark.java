package dev.stator.historian;

import dev.stator.driver.api.TagValue;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

/**
 * The historian's benchmark: ingest rate, bytes per sample on disk, and trend queries over a year, each against
 * what one row per sample in H2 does on the same machine in the same run. Run by
 * {@code mvn -B -q -DskipTests -Phistorian-benchmark -pl historian -am verify}; the figures go to standard output.
 *
 * <p><b>The plant mix</b> (ingest and bytes per sample), sampled every second, timestamps on the second:
 * <ul>
 *   <li>40 % slow analogs: a random walk (step sigma 0.05 units/s) in 0..100, reported with 0.01 resolution as a
 *       float32 (a transmitter's value in a PLC REAL);</li>
 *   <li>40 % noisy analogs: 50 + 10 sin(2 pi t / 10 min) + noise (sigma 0.2), read by a 16-bit analog input
 *       (0..27648 counts for 0..100 %) and scaled in the PLC to a float32 (count x 100 / 27648 in REAL arithmetic);
 *       every value differs, and the noise fills about 6 bits of each count;</li>
 *   <li>20 % booleans that change on average once a minute.</li>
 * </ul>
 *
 * <p><b>Ingest</b> is timed from the first {@code record} to the commit of the last sample, with the readings
 * generated beforehand; each side first repeats its run until the JIT compilers are done, then runs three times,
 * and the medians are compared.
 *
 * <p>Knobs: {@code -Dbench.tags} (10,000), {@code -Dbench.ingestSamples} (50,000,000),
 * {@code -Dbench.baselineSamples} (5,000,000), {@code -Dbench.bytesTags} (1,000), {@code -Dbench.bytesHours} (6),
 * {@code -Dbench.yearSeconds} (31,536,000), {@code -Dbench.skip} (comma-separated: ingest, bytes, year).
 */
public final class HistorianBenchmark {

    private static final Instant BASE = Instant.parse("2026-01-01T00:00:00Z");
    private static final int SLOW = 0;
    private static final int NOISY = 1;
    private static final int BOOL = 2;

    private final Path work;
    private final List<String> report = new ArrayList<>();

    private HistorianBenchmark(Path work) {
        this.work = work;
    }

    public static void main(String[] args) throws Exception {
        Path work = Files.createTempDirectory(Path.of("").toAbsolutePath(), "historian-bench");
        HistorianBenchmark bench = new HistorianBenchmark(work);
        String skip = System.getProperty("bench.skip", "");
        try {
            line("Stator historian benchmark: %d cores, %s, heap %d MiB, data in %s",
                    Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.version"),
                    Runtime.getRuntime().maxMemory() >> 20, work);
            if (!skip.contains("ingest")) {
                bench.ingest(Integer.getInteger("bench.tags", 10_000),
                        Long.getLong("bench.ingestSamples", 50_000_000L),
                        Long.getLong("bench.baselineSamples", 5_000_000L));
            }
            if (!skip.contains("bytes")) {
                bench.bytesPerSample(Integer.getInteger("bench.bytesTags", 1_000),
                        Integer.getInteger("bench.bytesHours", 6));
            }
            if (!skip.contains("year")) {
                bench.yearTrend(Integer.getInteger("bench.yearSeconds", 31_536_000));
            }
            line("");
            line("Summary");
            bench.report.forEach(System.out::println);
        } finally {
            if (!Boolean.getBoolean("bench.keep")) {
                delete(work);
            }
        }
        System.exit(0);
    }

    // ---- the plant

    /** Readings of the mix, tag by tag, second by second; deterministic for a seed. */
    static final class Plant {

        final int tags;
        private final int[] kind;
        private final double[] state;
        private final double[] phase;
        private final Random random;

        Plant(int tags, long seed) {
            this.tags = tags;
            kind = new int[tags];
            state = new double[tags];
            phase = new double[tags];
            random = new Random(seed);
            for (int t = 0; t < tags; t++) {
                kind[t] = t % 5 < 2 ? SLOW : t % 5 < 4 ? NOISY : BOOL;
                state[t] = kind[t] == SLOW ? 20 + 60 * random.nextDouble() : random.nextInt(2);
                phase[t] = random.nextDouble() * 600;
            }
        }

        /** The reading of {@code tag} at {@code second}: a Double or a Boolean. */
        Object next(int tag, long second) {
            switch (kind[tag]) {
                case SLOW -> {
                    double s = Math.min(100, Math.max(0, state[tag] + random.nextGaussian() * 0.05));
                    state[tag] = s;
                    return (double) (float) (Math.round(s * 100) / 100.0);
                }
                case NOISY -> {
                    double v = 50 + 10 * Math.sin(2 * Math.PI * (second + phase[tag]) / 600)
                            + random.nextGaussian() * 0.2;
                    int counts = (int) Math.round(v / 100 * 27_648);
                    return (double) ((float) counts * 100f / 27_648f);
                }
                default -> {
                    if (random.nextInt(60) == 0) {
                        state[tag] = 1 - state[tag];
                    }
                    return state[tag] != 0;
                }
            }
        }

        boolean isBoolean(int tag) {
            return kind[tag] == BOOL;
        }
    }

    /**
     * The readings of a run, generated before it is timed: the timed loops measure what stores the readings, not
     * the plant model's random numbers and sines. Every value of the mix is a float32 or a boolean, so one float
     * each holds them exactly.
     */
    static final class Readings {

        final int tags;
        final long samples;
        private final Plant plant;
        private final float[] values;

        Readings(int tags, long samples, long seed) {
            if (samples > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("at most " + (Integer.MAX_VALUE - 8) + " samples");
            }
            this.tags = tags;
            this.samples = samples;
            this.plant = new Plant(tags, seed);
            this.values = new float[(int) samples];
            int n = 0;
            for (long second = 0; n < samples; second++) {
                for (int tag = 0; tag < tags && n < samples; tag++, n++) {
                    Object v = plant.next(tag, second);
                    values[n] = v instanceof Boolean b ? (b ? 1f : 0f) : (float) (double) (Double) v;
                }
            }
        }

        /** The value of reading {@code n} (tag {@code n % tags}) as the driver hands it over. */
        Object value(int n, int tag) {
            float v = values[n];
            return plant.isBoolean(tag) ? (Object) (v != 0) : (Object) (double) v;
        }
    }

    // ---- ingest

    private void ingest(int tags, long samples, long baselineSamples) throws Exception {
        line("");
        line("Ingest: %,d tags, lossless, the plant mix, one record() thread", tags);
        String[] names = names(tags);
        long t0 = System.nanoTime();
        Readings readings = new Readings(tags, Math.max(samples, baselineSamples), 1);
        line("  (readings generated before timing, in %.1f s)", (System.nanoTime() - t0) / 1e9);
        // Warm-up, not measured, so that both sides run compiled code as a workstation does after its first
        // minutes, and the figures are the sustained rates: the JIT compiles the paths the measured runs take, and
        // is done compiling before they start. First a short run with fewer tags, whose chunks fill and are sealed
        // many times over (4,096 samples each); then each side repeats its measured run until the JIT compilers
        // take less than 5 % of the CPU time of a run (at most 4 times).
        Readings warmup = new Readings(Math.min(tags, 500), Math.min(samples, 6_000_000L), 1);
        runHistorian(work.resolve("warmup"), names(warmup.tags), warmup, warmup.samples, null);
        warmup = null;
        warmUp("historian", () -> {
            Map<String, Long> during = new LinkedHashMap<>();
            runHistorian(work.resolve("warmup-full"), names, readings, samples, during);
            delete(work.resolve("warmup-full"));
            return during;
        });
        warmUp("H2 rows", () -> {
            Map<String, Long> before = threadCpu();
            runRowPerSample(work.resolve("rows-warmup"), readings, baselineSamples);
            delete(work.resolve("rows-warmup"));
            return since(before);
        });
        // Three measured runs of each side, alternating, and their medians: on a shared two-core machine, H2's
        // background writer and the garbage collector make single runs vary by a quarter.
        double[] historianRuns = new double[RUNS];
        double[] h2Runs = new double[RUNS];
        List<Map<String, Long>> cpuRuns = new ArrayList<>();
        for (int r = 0; r < RUNS; r++) {
            Map<String, Long> during = new LinkedHashMap<>();
            historianRuns[r] = runHistorian(work.resolve("ingest-" + r), names, readings, samples, during);
            cpuRuns.add(during);
            delete(work.resolve("ingest-" + r));
            h2Runs[r] = runRowPerSample(work.resolve("rows-" + r), readings, baselineSamples);
            delete(work.resolve("rows-" + r));
        }
        int middle = medianIndex(historianRuns);
        double historian = historianRuns[middle];
        Map<String, Long> cpu = cpuRuns.get(middle);
        double h2 = h2Runs[medianIndex(h2Runs)];
        double firstCut = runFirstCutRows(work.resolve("rows-v1"), readings, baselineSamples);
        double file = runFile(work.resolve("samples.bin"), readings, samples);
        line("  historian (WAL + chunks)                       %,12.0f samples/s  (%,d samples; median of %s)",
                historian, samples, rates(historianRuns));
        if (!cpu.isEmpty()) {
            StringBuilder parts = new StringBuilder();
            cpu.forEach((thread, nanos) -> parts.append(parts.length() == 0 ? "" : ", ")
                    .append(String.format(Locale.ROOT, "%s %.0f", thread, (double) nanos / samples)));
            line("    CPU ns per sample in the median run, by thread: %s", parts);
        }
        line("  H2 rows (tag, time, value, quality), no key    %,12.0f samples/s  (%,d samples; median of %s)", h2,
                baselineSamples, rates(h2Runs));
        line("  H2 rows of the first historian (8 columns, index on tag and time, no key)  %,12.0f samples/s"
                + "  (%,d samples)", firstCut, baselineSamples);
        line("  append to a file, 20 B per sample              %,12.0f samples/s  (%,d samples)", file, samples);
        report.add(String.format(Locale.ROOT, "ingest, %,d tags: historian %,.0f samples/s = %.1fx plain H2 rows"
                + " (%,.0f/s), %.1fx the first historian's rows (%,.0f/s), %.0f %% of a file append (%,.0f/s)",
                tags, historian, historian / h2, h2, historian / firstCut, firstCut, 100 * historian / file, file));
    }

    /** Measured runs of each side of the ingest comparison. */
    private static final int RUNS = 3;

    /** The index of the median of {@code values} (odd length). */
    private static int medianIndex(double[] values) {
        Integer[] order = new Integer[values.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingDouble(i -> values[i]));
        return order[order.length / 2];
    }

    private static String rates(double[] values) {
        List<String> parts = new ArrayList<>();
        for (double v : values) {
            parts.add(String.format(Locale.ROOT, "%,.0f", v));
        }
        return String.join(" / ", parts);
    }

    /** A run of a warm-up, returning the CPU time its threads took by group, as {@link #threadCpu} gives it. */
    private interface WarmUpRun {
        Map<String, Long> run() throws Exception;
    }

    /** Repeats {@code run} until the JIT compilers take less than 5 % of its CPU time, at most 4 times. */
    private static void warmUp(String what, WarmUpRun run) throws Exception {
        List<String> shares = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Map<String, Long> cpu = run.run();
            long total = cpu.values().stream().mapToLong(Long::longValue).sum();
            if (!cpu.containsKey("JIT") || total == 0) {
                shares.add("?");
                break;
            }
            double share = 100.0 * cpu.get("JIT") / total;
            shares.add(String.format(Locale.ROOT, "%.0f %%", share));
            if (share < 5) {
                break;
            }
        }
        line("  (warm-up of the %s: %d runs; the JIT compilers' share of their CPU time: %s)", what, shares.size(),
                String.join(", ", shares));
    }

    /** The CPU time by group since {@code before}, a result of {@link #threadCpu}. */
    private static Map<String, Long> since(Map<String, Long> before) throws IOException {
        Map<String, Long> now = threadCpu();
        now.replaceAll((group, nanos) -> nanos - before.getOrDefault(group, 0L));
        return now;
    }

    /**
     * Records the first {@code samples} readings and waits until they are committed; returns samples/s. When
     * {@code cpu} is given, it receives the CPU time of the process's threads over the run, in nanoseconds, by
     * group: the recording thread (this one: the benchmark's loop and {@code record}), the log and writer threads,
     * H2's own threads, the JIT compilers, the garbage collector, and the rest.
     */
    private double runHistorian(Path folder, String[] names, Readings readings, long samples,
                                Map<String, Long> cpu) throws Exception {
        HistorianSettings settings = HistorianSettings.defaults().withCloseTimeout(Duration.ofMinutes(5));
        try (Historian h = Historian.open(folder.resolve("history"), settings)) {
            int limit = settings.queueCapacity() * 3 / 4;
            Map<String, Long> cpuBefore = threadCpu();
            long start = System.nanoTime();
            int n = 0;
            for (long second = 0; n < samples; second++) {
                Instant t = BASE.plusSeconds(second);
                for (int tag = 0; tag < names.length && n < samples; tag++, n++) {
                    h.record(names[tag], TagValue.good(readings.value(n, tag), t));
                    if ((n & 1023) == 0) {
                        // The acquisition side never waits; the benchmark does, to measure without drops.
                        while (h.queueDepth() > limit) {
                            Thread.onSpinWait();
                        }
                    }
                }
            }
            if (!h.flush(Duration.ofMinutes(10))) {
                throw new IllegalStateException("flush did not finish");
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            if (cpu != null) {
                cpu.putAll(since(cpuBefore));
            }
            if (h.droppedSamples() != 0) {
                throw new IllegalStateException(h.droppedSamples() + " samples dropped");
            }
            return samples / seconds;
        }
    }

    /**
     * CPU time so far of this process's threads, by group, in nanoseconds: the recording, log and writer threads
     * (and the encoder's) from the JVM; H2's threads, the JIT compilers, the garbage collector and the rest from Linux's per-thread
     * accounting, which covers the JVM's own threads too (left out elsewhere).
     */
    private static Map<String, Long> threadCpu() throws IOException {
        ThreadMXBean jvm = ManagementFactory.getThreadMXBean();
        Map<String, Long> groups = new LinkedHashMap<>();
        groups.put("recording", jvm.getCurrentThreadCpuTime());
        groups.put("log", 0L);
        groups.put("writer", 0L);
        groups.put("encoder", 0L);
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            String group = switch (t.getName()) {
                case Historian.WAL_THREAD -> "log";
                case Historian.WRITER_THREAD -> "writer";
                case Historian.ENCODER_THREAD -> "encoder";
                default -> null;
            };
            if (group != null) {
                groups.merge(group, jvm.getThreadCpuTime(t.getId()), Long::sum);
            }
        }
        Path tasks = Path.of("/proc/self/task");
        if (!Files.isDirectory(tasks)) {
            return groups;
        }
        String recording = Path.of("/proc/thread-self").toRealPath().getFileName().toString();
        for (String group : new String[] {"H2", "JIT", "GC", "other"}) {
            groups.put(group, 0L);
        }
        long nanosPerTick = 10_000_000L;
        try (Stream<Path> list = Files.list(tasks)) {
            for (Path task : list.toList()) {
                String stat;
                try {
                    stat = Files.readString(task.resolve("stat"));
                } catch (IOException e) {
                    continue; // the thread ended meanwhile
                }
                // Linux keeps the first 15 characters of a thread's name.
                String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                if (task.getFileName().toString().equals(recording) || name.startsWith("stator-histori")) {
                    continue;
                }
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                long nanos = (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * nanosPerTick;
                String group = name.startsWith("H2") || name.startsWith("MVStore") ? "H2"
                        : name.startsWith("C1 ") || name.startsWith("C2 ") ? "JIT"
                        : name.startsWith("GC ") || name.startsWith("G1 ") ? "GC" : "other";
                groups.merge(group, nanos, Long::sum);
            }
        }
        return groups;
    }

    private double runRowPerSample(Path folder, Readings readings, long samples) throws SQLException {
        int tags = readings.tags;
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + folder.resolve("rows"), "sa", "")) {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE sample_row (tag_id INTEGER NOT NULL, source_us BIGINT NOT NULL,"
                        + " val DOUBLE, quality INTEGER NOT NULL)");
            }
            c.setAutoCommit(false);
            long start = System.nanoTime();
            int n = 0;
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO sample_row VALUES (?, ?, ?, ?)")) {
                for (long second = 0; n < samples; second++) {
                    Instant t = BASE.plusSeconds(second);
                    for (int tag = 0; tag < tags && n < samples; tag++, n++) {
                        TagValue v = TagValue.good(readings.value(n, tag), t);
                        insert.setInt(1, tag);
                        insert.setLong(2, Micros.of(v.sourceTime()));
                        insert.setDouble(3, v.asDouble());
                        insert.setInt(4, v.quality().code());
                        insert.addBatch();
                        if (n % 1_000 == 999) {
                            insert.executeBatch();
                            c.commit();
                        }
                    }
                }
                insert.executeBatch();
                c.commit();
            }
            return samples / ((System.nanoTime() - start) / 1e9);
        }
    }

    /** What the first historian did: schema version 1, one row per sample, batches of 1,000 per transaction. */
    private double runFirstCutRows(Path folder, Readings readings, long samples) throws Exception {
        int tags = readings.tags;
        try (Connection c = HistoryFile.of(folder.resolve("rows")).connect(false, false)) {
            new SchemaMigrator(SchemaMigrator.STEPS.subList(0, 1)).migrate(c);
            try (Statement s = c.createStatement()) {
                s.execute("INSERT INTO tag (name) SELECT 'TAG-' || X FROM SYSTEM_RANGE(0, " + (tags - 1) + ")");
            }
            c.setAutoCommit(false);
            long start = System.nanoTime();
            int n = 0;
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO sample (tag_id, source_us, server_us,"
                    + " kind, num, text_value, quality, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                for (long second = 0; n < samples; second++) {
                    Instant t = BASE.plusSeconds(second);
                    for (int tag = 0; tag < tags && n < samples; tag++, n++) {
                        TagValue v = TagValue.good(readings.value(n, tag), t);
                        insert.setInt(1, tag + 1);
                        insert.setLong(2, Micros.of(v.sourceTime()));
                        insert.setNull(3, java.sql.Types.BIGINT);
                        insert.setInt(4, v.value() instanceof Boolean ? 1 : 3);
                        insert.setLong(5, v.value() instanceof Boolean b ? (b ? 1 : 0)
                                : Double.doubleToRawLongBits((Double) v.value()));
                        insert.setNull(6, java.sql.Types.VARCHAR);
                        insert.setInt(7, v.quality().code());
                        insert.setNull(8, java.sql.Types.VARCHAR);
                        insert.addBatch();
                        if (n % 1_000 == 999) {
                            insert.executeBatch();
                            c.commit();
                        }
                    }
                }
                insert.executeBatch();
                c.commit();
            }
            return samples / ((System.nanoTime() - start) / 1e9);
        }
    }

    private double runFile(Path file, Readings readings, long samples) throws IOException {
        int tags = readings.tags;
        long start = System.nanoTime();
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20);
            int n = 0;
            for (long second = 0; n < samples; second++) {
                Instant t = BASE.plusSeconds(second);
                for (int tag = 0; tag < tags && n < samples; tag++, n++) {
                    TagValue v = TagValue.good(readings.value(n, tag), t);
                    if (buffer.remaining() < 20) {
                        buffer.flip();
                        while (buffer.hasRemaining()) {
                            out.write(buffer);
                        }
                        buffer.clear();
                    }
                    buffer.putInt(tag).putLong(Micros.of(v.sourceTime())).putDouble(v.asDouble());
                }
            }
            buffer.flip();
            while (buffer.hasRemaining()) {
                out.write(buffer);
            }
            out.force(false);
        }
        double rate = samples / ((System.nanoTime() - start) / 1e9);
        Files.delete(file);
        return rate;
    }

    // ---- bytes per sample

    private void bytesPerSample(int tags, int hours) throws Exception {
        line("");
        line("Bytes per sample on disk: %,d tags of the mix x %d h at 1 s, lossless", tags, hours);
        long seconds = hours * 3_600L;
        long samples = tags * seconds;
        String[] names = names(tags);
        Path db = work.resolve("bytes").resolve("history");
        Plant plant = new Plant(tags, 2);
        HistorianSettings settings = HistorianSettings.defaults().withCloseTimeout(Duration.ofMinutes(5));
        long[] payload = new long[3];
        long[] perKind = new long[3];
        try (Historian h = Historian.open(db, settings)) {
            int limit = settings.queueCapacity() * 3 / 4;
            long n = 0;
            for (long second = 0; second < seconds; second++) {
                Instant t = BASE.plusSeconds(second);
                for (int tag = 0; tag < tags; tag++, n++) {
                    h.record(names[tag], TagValue.good(plant.next(tag, second), t));
                    if ((n & 1023) == 0) {
                        while (h.queueDepth() > limit) {
                            Thread.onSpinWait();
                        }
                    }
                }
            }
        }
        long file = Files.size(Path.of(db + ".mv.db"));
        try (Connection c = HistoryFile.of(db).connect(true, false);
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT t.name, c.samples, LENGTH(c.data) FROM chunk c JOIN tag t"
                     + " ON t.id = c.tag_id UNION ALL SELECT t.name, c.samples, LENGTH(c.data) FROM head c JOIN tag t"
                     + " ON t.id = c.tag_id")) {
            while (rs.next()) {
                int tag = Integer.parseInt(rs.getString(1).substring(4));
                int kind = tag % 5 < 2 ? SLOW : tag % 5 < 4 ? NOISY : BOOL;
                payload[kind] += rs.getLong(3);
                perKind[kind] += rs.getLong(2);
            }
        }
        long rowFile = rowPerSampleBytes(work.resolve("bytes-rows"), Math.min(tags, 1_000), 1_000_000L);
        double rows = rowFile / 1_000_000.0;
        line("  historian file %,d bytes for %,d samples: %.2f bytes/sample (chunk data alone %.2f)", file, samples,
                (double) file / samples, (double) (payload[0] + payload[1] + payload[2]) / samples);
        line("    chunk data by kind: slow analogs %.2f, noisy analogs %.2f, booleans %.2f bytes/sample",
                (double) payload[SLOW] / perKind[SLOW], (double) payload[NOISY] / perKind[NOISY],
                (double) payload[BOOL] / perKind[BOOL]);
        line("  H2 one row per sample (schema version 1 with its index): %.1f bytes/sample (1,000,000 samples)",
                rows);
        report.add(String.format(Locale.ROOT, "bytes per sample, the mix, lossless: historian %.2f (chunk data"
                + " %.2f; slow %.2f, noisy %.2f, booleans %.2f), H2 rows %.1f", (double) file / samples,
                (double) (payload[0] + payload[1] + payload[2]) / samples, (double) payload[SLOW] / perKind[SLOW],
                (double) payload[NOISY] / perKind[NOISY], (double) payload[BOOL] / perKind[BOOL], rows));
    }

    /** The file size of version 1's layout (one row per sample, its index) holding {@code samples} of the mix. */
    private long rowPerSampleBytes(Path folder, int tags, long samples) throws Exception {
        Plant plant = new Plant(tags, 2);
        Path db = folder.resolve("rows");
        try (Connection c = HistoryFile.of(db).connect(false, false)) {
            new SchemaMigrator(SchemaMigrator.STEPS.subList(0, 1)).migrate(c);
            try (Statement s = c.createStatement()) {
                s.execute("INSERT INTO tag (name) SELECT 'TAG-' || X FROM SYSTEM_RANGE(0, " + (tags - 1) + ")");
            }
            c.setAutoCommit(false);
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO sample (tag_id, source_us, server_us,"
                    + " kind, num, text_value, quality, detail) VALUES (?, ?, NULL, ?, ?, NULL, 0, NULL)")) {
                long n = 0;
                for (long second = 0; n < samples; second++) {
                    for (int tag = 0; tag < tags && n < samples; tag++, n++) {
                        Object v = plant.next(tag, second);
                        insert.setInt(1, tag + 1);
                        insert.setLong(2, Micros.of(BASE.plusSeconds(second)));
                        insert.setInt(3, v instanceof Boolean ? 1 : 3);
                        insert.setLong(4, v instanceof Boolean b ? (b ? 1 : 0)
                                : Double.doubleToRawLongBits((Double) v));
                        insert.addBatch();
                        if (n % 1_000 == 999) {
                            insert.executeBatch();
                            c.commit();
                        }
                    }
                }
                insert.executeBatch();
                c.commit();
            }
            try (Statement s = c.createStatement()) {
                s.execute("SHUTDOWN COMPACT");
            } catch (SQLException e) {
                // SHUTDOWN closes the connection under us.
            }
        } catch (SQLException e) {
            if (!e.getMessage().contains("closed")) {
                throw e;
            }
        }
        try {
            return Files.size(Path.of(db + ".mv.db"));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- a year of one tag

    private void yearTrend(int seconds) throws Exception {
        line("");
        line("Trend over a year: one tag, %,d samples at 1 s (noisy analog of the mix)", seconds);
        Path db = work.resolve("year").resolve("history");
        Plant plant = new Plant(5, 3);
        HistorianSettings settings = HistorianSettings.defaults().withCloseTimeout(Duration.ofMinutes(5));
        long start = System.nanoTime();
        try (Historian h = Historian.open(db, settings)) {
            int limit = settings.queueCapacity() * 3 / 4;
            for (int s = 0; s < seconds; s++) {
                h.record("YEAR", TagValue.good(plant.next(2, s), BASE.plusSeconds(s)));
                if ((s & 1023) == 0) {
                    while (h.queueDepth() > limit) {
                        Thread.onSpinWait();
                    }
                }
            }
            if (!h.flush(Duration.ofMinutes(10))) {
                throw new IllegalStateException("flush did not finish");
            }
            line("  recorded and committed in %.1f s; database %,d bytes", (System.nanoTime() - start) / 1e9,
                    Files.size(h.file()));
            Instant end = BASE.plusSeconds(seconds);
            Random random = new Random(4);
            for (int width : new int[] {500, 2_000}) {
                // Warm the cache, then vary the range by a few seconds each time: identical queries are cached.
                for (int i = 0; i < 5; i++) {
                    h.m4("YEAR", BASE.minusSeconds(i), end.plusSeconds(i), width);
                }
                double[] ms = new double[20];
                int points = 0;
                for (int i = 0; i < ms.length; i++) {
                    long from = random.nextInt(60);
                    long t0 = System.nanoTime();
                    points = h.m4("YEAR", BASE.plusSeconds(from), end.minusSeconds(random.nextInt(60)), width)
                            .size();
                    ms[i] = (System.nanoTime() - t0) / 1e6;
                }
                Arrays.sort(ms);
                line("  M4 %,5d px over the year: median %.1f ms, worst %.1f ms (%,d points)", width, ms[ms.length / 2],
                        ms[ms.length - 1], points);
                report.add(String.format(Locale.ROOT, "year trend, M4 %d px: median %.1f ms, worst %.1f ms warm",
                        width, ms[ms.length / 2], ms[ms.length - 1]));
            }
            double[] ms = new double[10];
            for (int i = 0; i < ms.length; i++) {
                long t0 = System.nanoTime();
                h.aggregate("YEAR", Buckets.every(BASE.plusSeconds(i), end, Duration.ofDays(1)));
                ms[i] = (System.nanoTime() - t0) / 1e6;
            }
            Arrays.sort(ms);
            line("  daily aggregates over the year: median %.1f ms", ms[ms.length / 2]);
        }
        yearGroupBy(seconds);
    }

    /** The same trend from one row per sample with a plain GROUP BY per pixel column. */
    private void yearGroupBy(int seconds) throws SQLException {
        Path db = work.resolve("year-rows").resolve("rows");
        Plant plant = new Plant(5, 3);
        long start = System.nanoTime();
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + db, "sa", "")) {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE sample_row (tag_id INTEGER NOT NULL, source_us BIGINT NOT NULL,"
                        + " val DOUBLE NOT NULL)");
            }
            c.setAutoCommit(false);
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO sample_row VALUES (1, ?, ?)")) {
                long base = Micros.of(BASE);
                for (int sec = 0; sec < seconds; sec++) {
                    insert.setLong(1, base + sec * 1_000_000L);
                    insert.setDouble(2, (Double) plant.next(2, sec));
                    insert.addBatch();
                    if (sec % 1_000 == 999) {
                        insert.executeBatch();
                        c.commit();
                    }
                }
                insert.executeBatch();
                c.commit();
            }
            try (Statement s = c.createStatement()) {
                s.execute("CREATE INDEX sample_row_tag_time ON sample_row (tag_id, source_us)");
            }
            c.commit();
            line("  row per sample: loaded and indexed in %.1f s", (System.nanoTime() - start) / 1e9);
            long from = Micros.of(BASE);
            long to = from + seconds * 1_000_000L;
            try (PreparedStatement q = c.prepareStatement("SELECT (source_us - ?) * ? / ? AS px, MIN(val), MAX(val),"
                    + " MIN(source_us), MAX(source_us), COUNT(*) FROM sample_row WHERE tag_id = 1 AND source_us >= ?"
                    + " AND source_us < ? GROUP BY px")) {
                for (int width : new int[] {500, 2_000}) {
                    double[] ms = new double[3];
                    for (int i = 0; i < ms.length; i++) {
                        long a = from + i * 1_000_000L;
                        q.setLong(1, a);
                        q.setLong(2, width);
                        q.setLong(3, to - a);
                        q.setLong(4, a);
                        q.setLong(5, to);
                        long t0 = System.nanoTime();
                        int rows = 0;
                        try (ResultSet rs = q.executeQuery()) {
                            while (rs.next()) {
                                rows++;
                            }
                        }
                        ms[i] = (System.nanoTime() - t0) / 1e6;
                        if (rows != width) {
                            throw new IllegalStateException(rows + " columns");
                        }
                    }
                    Arrays.sort(ms);
                    line("  row per sample, GROUP BY pixel column (min, max, first/last time), %,5d px: median"
                            + " %,.0f ms", width, ms[1]);
                    report.add(String.format(Locale.ROOT, "year trend, SQL GROUP BY over rows, %d px: median %,.0f ms",
                            width, ms[1]));
                }
            }
        }
    }

    // ---- helpers

    private static String[] names(int tags) {
        String[] names = new String[tags];
        for (int t = 0; t < tags; t++) {
            names[t] = "TAG-" + t;
        }
        return names;
    }

    private static void line(String format, Object... args) {
        System.out.println(String.format(Locale.ROOT, format, args));
    }

    private static void delete(Path folder) throws IOException {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
