package dev.stator.bench;

import com.ghgande.j2mod.modbus.facade.ModbusTCPMaster;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The Modbus driver benchmark: how many values per second the Stator Modbus driver moves from the wire into the
 * runtime's tag table, at what CPU and heap cost, and how close that comes to plain j2mod read loops reading the same
 * register ranges over the same number of connections in the same run.
 *
 * <p>The plant is {@code bench.devices} real j2mod Modbus TCP slaves on 127.0.0.1, hosted by a {@link SlaveHost} JVM so
 * that their CPU time is not the driver's. Each device has the same {@link RegisterLayout}. The driver phase
 * ({@link DriverPhase}) runs first, because the raw phase ({@link RawPhase}) reads the ranges the driver put on the
 * wire. Each phase warms up, then is measured for {@code bench.seconds}. The request count per scan is judged against
 * {@link MinimumRequests}, an exact optimum computed apart from the driver.
 *
 * <p>Run with {@code mvn -B -q -DskipTests -Pmodbus-benchmark -pl app/benchmarks -am verify}; knobs in
 * {@link BenchSettings}. Prints one table on stdout; exits 0 when both phases ran and read the right values, 1 when
 * something failed (or, with {@code bench.strict}, when a target was missed).
 */
public final class ModbusDriverBenchmark {

    /** Modbus limit on holding registers per read request (spec V1.1b3). */
    static final int MAX_REGISTERS = 125;
    /** The driver should come at least this close to raw j2mod in values per second. */
    static final double TARGET_RATIO = 0.8;

    private ModbusDriverBenchmark() {
    }

    public static void main(String[] args) {
        int status;
        try {
            status = run(BenchSettings.fromSystemProperties(), System.out);
        } catch (IllegalArgumentException e) {
            System.err.println("modbus benchmark: " + e.getMessage());
            status = 2;
        }
        // Leave at once: j2mod's threads are not all daemons.
        System.exit(status);
    }

    static int run(BenchSettings settings, PrintStream out) {
        RegisterLayout layout = RegisterLayout.standard();
        int minimum = MinimumRequests.of(layout.entries(), MAX_REGISTERS, settings.maxGap());
        printHeader(settings, layout, out);
        SlaveProcess slaves;
        try {
            slaves = SlaveProcess.start(settings.devices());
        } catch (Exception e) {
            System.err.println("modbus benchmark: cannot start the slaves: " + e.getMessage());
            return 1;
        }
        // Ctrl-C or a failure: the slave JVM must not outlive the benchmark.
        Thread cleanup = new Thread(slaves::close, "bench-slave-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        try {
            DriverPhase.Outcome driver = new DriverPhase(settings, layout, slaves, null).run();
            DriverPhase.Outcome recorded = null;
            Path historyDir = null;
            if (settings.historian()) {
                historyDir = Files.createTempDirectory("stator-bench-history");
                recorded = new DriverPhase(settings.withRate(settings.historyRate()), layout, slaves,
                        historyDir.resolve("bench")).run();
            }
            RawPhase.Outcome raw = new RawPhase(settings, layout, slaves, driver.wirePlans()).run();
            if (historyDir != null) {
                deleteTree(historyDir);
            }
            return report(settings, minimum, driver, recorded, raw, out);
        } catch (Exception e) {
            System.err.println("modbus benchmark failed: " + e);
            e.printStackTrace();
            return 1;
        } finally {
            slaves.close();
            try {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            } catch (IllegalStateException e) {
                // Already shutting down: the hook runs anyway and closing twice is harmless.
            }
        }
    }

    private static void printHeader(BenchSettings s, RegisterLayout layout, PrintStream out) {
        out.println();
        out.println("Modbus driver benchmark");
        out.printf(Locale.ROOT, "  machine  %d cores, %s %s (%s), %s %s%n", ResourceMeter.cores(),
                System.getProperty("java.vm.name"), System.getProperty("java.vm.version"),
                System.getProperty("java.vendor"), System.getProperty("os.name"), System.getProperty("os.arch"));
        String j2mod = ModbusTCPMaster.class.getPackage().getImplementationVersion();
        out.printf(Locale.ROOT, "  plant    %d devices, each a j2mod %s Modbus TCP slave on 127.0.0.1, all in a "
                + "separate JVM%n", s.devices(), j2mod == null ? "(version unknown)" : j2mod);
        out.printf(Locale.ROOT, "  layout   per device %s%n", layout.describeMix());
        out.printf(Locale.ROOT, "           at %s%n", layout.describeSpan());
        out.printf(Locale.ROOT, "  scan     one endpoint and connection per device; all tags in one scan group at %s "
                + "(back to back)%n", rate(s));
        out.printf(Locale.ROOT, "           max-gap %d, stale-after %d%n", s.maxGap(), s.staleAfter());
        out.printf(Locale.ROOT, "  run      per phase %d s warm-up, then %d s measured; Stator driver first, %sthen "
                + "raw j2mod%n", s.warmup(), s.seconds(), s.historian() ? "then with every reading recorded in a "
                + "historian (a new database in a temporary folder) with scans every " + s.historyRate().toMillis()
                + " ms, " : "");
        out.flush();
    }

    private static String rate(BenchSettings s) {
        long nanos = s.rate().toNanos();
        return nanos % 1_000_000 == 0 ? nanos / 1_000_000 + " ms" : nanos / 1_000.0 + " us";
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var files = Files.walk(dir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static int report(BenchSettings settings, int minimum, DriverPhase.Outcome driverOutcome,
                              DriverPhase.Outcome recordedOutcome, RawPhase.Outcome rawOutcome, PrintStream out) {
        PhaseResult d = driverOutcome.result();
        PhaseResult r = rawOutcome.result();
        int cores = ResourceMeter.cores();
        out.println();
        out.printf(Locale.ROOT, "  %-38s %15s %15s %12s%n", "", "Stator driver", "raw j2mod", "driver/raw");
        row(out, "requests per device scan", f2(d.requestsPerScan()), f2(r.requestsPerScan()), "");
        row(out, "values per second (Good, to the table)", n0(d.valuesPerSecond()), n0(r.valuesPerSecond()),
                f2(d.valuesPerSecond() / r.valuesPerSecond()));
        row(out, "scans per second (all devices)", f1(d.scansPerSecond()), f1(r.scansPerSecond()),
                f2(d.scansPerSecond() / r.scansPerSecond()));
        row(out, "  slowest device, scans per second", f1(d.slowestDeviceScans() / d.seconds()),
                f1(r.slowestDeviceScans() / r.seconds()), "");
        row(out, "requests per second", n0(d.requestsPerSecond()), n0(r.requestsPerSecond()),
                f2(d.requestsPerSecond() / r.requestsPerSecond()));
        row(out, "CPU time per value (us, this JVM)", f3(d.cpuMicrosPerValue()), f3(r.cpuMicrosPerValue()),
                f2(d.cpuMicrosPerValue() / r.cpuMicrosPerValue()));
        row(out, "CPU % of " + cores + " cores (this JVM)", f1(d.cpuPercent()), f1(r.cpuPercent()), "");
        row(out, "CPU % of " + cores + " cores (slave JVM)", f1(d.slaveCpuPercent()), f1(r.slaveCpuPercent()), "");
        row(out, "allocated per value (bytes)", f1(d.bytesPerValue()), f1(r.bytesPerValue()),
                f2(d.bytesPerValue() / r.bytesPerValue()));
        row(out, "GC collections / pause ms", d.usage().gcCount() + " / " + d.usage().gcMillis(),
                r.usage().gcCount() + " / " + r.usage().gcMillis(), "");
        row(out, "heap used after GC (MB)", f1(d.usage().heapAfterGcBytes() / 1e6),
                f1(r.usage().heapAfterGcBytes() / 1e6), "");
        row(out, "failed requests", String.valueOf(d.errors()), String.valueOf(r.errors()), "");
        row(out, "non-Good readings (stale marks)", String.valueOf(d.otherValues()), "-", "");
        row(out, "measured seconds", f1(d.seconds()), f1(r.seconds()), "");
        out.println();
        boolean historyOk = true;
        if (recordedOutcome != null) {
            PhaseResult h = recordedOutcome.result();
            DriverPhase.HistoryFigures hf = recordedOutcome.history();
            out.printf(Locale.ROOT, "  %-38s %15s%n", "into the historian as well, scans every "
                    + settings.historyRate().toMillis() + " ms", "driver+history");
            row(out, "scans per second (all devices)", f1(h.scansPerSecond()), "", "");
            row(out, "values per second (Good, table+history)", n0(h.valuesPerSecond()), "", "");
            row(out, "samples recorded per second", n0(hf.recorded() / h.seconds()), "", "");
            row(out, "samples dropped", String.valueOf(hf.dropped()), "", "");
            row(out, "written to disk after the run (ms)", String.valueOf(hf.flushMillis()), "", "");
            row(out, "database size after the run (MB)", f1(hf.databaseBytes() / 1e6), "", "");
            row(out, "CPU time per value (us, this JVM)", f3(h.cpuMicrosPerValue()), "", "");
            row(out, "CPU % of " + cores + " cores (this JVM)", f1(h.cpuPercent()), "", "");
            row(out, "heap used after GC (MB)", f1(h.usage().heapAfterGcBytes() / 1e6), "", "");
            row(out, "failed requests", String.valueOf(h.errors()), "", "");
            out.println();
            historyOk = hf.dropped() == 0 && recordedOutcome.tagsWrong() == 0 && h.errors() == 0;
        }

        double requestRatio = d.requestsPerScan() / minimum;
        boolean requestsOk = Math.round(requestRatio * 100) == 100;
        double valueRatio = d.valuesPerSecond() / r.valuesPerSecond();
        boolean speedOk = valueRatio >= TARGET_RATIO;
        out.printf(Locale.ROOT, "  requests per scan vs brute-force minimum  %.2f / %d = %.2f  (must be 1.00)   %s%n",
                d.requestsPerScan(), minimum, requestRatio, requestsOk ? "OK" : "NOT MINIMAL");
        out.printf(Locale.ROOT, "  values per second, driver vs raw j2mod    %.2f               (target >= %.2f) %s%n",
                valueRatio, TARGET_RATIO, speedOk ? "OK" : "BELOW TARGET");
        List<BlockRange> plan = driverOutcome.wirePlans().get(0);
        boolean samePlans = driverOutcome.wirePlans().stream().allMatch(plan::equals);
        // The ranges, wrapped to stay within 120 columns.
        StringBuilder ranges = new StringBuilder();
        int column = 0;
        for (BlockRange b : plan) {
            String item = (ranges.length() == 0 ? "" : ", ") + b;
            if (column + item.length() > 110) {
                ranges.append(",").append(System.lineSeparator()).append("    ");
                item = b.toString();
                column = 0;
            }
            ranges.append(item);
            column += item.length();
        }
        out.printf(Locale.ROOT, "  wire plan from the driver's frame trace   %d requests%s:%n", plan.size(),
                samePlans ? " per scan, the same on every device" : " per scan on device 0; OTHER DEVICES DIFFER");
        out.printf(Locale.ROOT, "    %s%n", ranges);
        out.printf(Locale.ROOT, "  tag table after the run                   %d of %d tags hold the served value%n",
                driverOutcome.tagsChecked() - driverOutcome.tagsWrong(), driverOutcome.tagsChecked());
        out.printf(Locale.ROOT, "  raw arrays after the run                  %d of %d values decoded right%n",
                rawOutcome.valuesChecked() - rawOutcome.valuesWrong(), rawOutcome.valuesChecked());
        out.printf(Locale.ROOT, "  driver round trip, worst device           p50 %.2f ms, p99 %.2f ms%n",
                driverOutcome.worstP50Millis(), driverOutcome.worstP99Millis());
        out.println();
        out.flush();

        boolean sound = historyOk && driverOutcome.tagsWrong() == 0 && rawOutcome.valuesWrong() == 0 && d.values() > 0
                && r.values() > 0 && d.errors() == 0 && r.errors() == 0;
        if (!sound) {
            System.err.println("modbus benchmark: wrong values or failed requests: the figures above are not valid");
            return 1;
        }
        return settings.strict() && !(requestsOk && speedOk && samePlans) ? 1 : 0;
    }

    private static void row(PrintStream out, String label, String driver, String raw, String ratio) {
        out.println(String.format("  %-38s %15s %15s %12s", label, driver, raw, ratio).stripTrailing());
    }

    private static String n0(double v) {
        return String.format(Locale.ROOT, "%,.0f", v);
    }

    private static String f1(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.1f", v);
    }

    private static String f2(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.2f", v);
    }

    private static String f3(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.3f", v);
    }
}
