package dev.stator.bench;

import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.stack.core.Stack;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The OPC UA driver benchmark: how many data change notifications per second the Stator OPC UA driver moves from a
 * subscription into the runtime's tag table, how late they arrive there after the server changed the value, at what
 * CPU and heap cost, and how that compares with plain Eclipse Milo subscribed to the same variables in the same run.
 *
 * <p>The plant is one Milo server ({@link OpcUaServerHost}) in a JVM of its own on 127.0.0.1, whose variables change
 * every {@code bench.period}. For each point (a number of items, {@code bench.items}, security None; then one point
 * with Basic256Sha256/SignAndEncrypt, {@code bench.secureItems}) the Stator driver ({@link OpcUaDriverPhase}) and raw
 * Milo ({@link OpcUaRawPhase}) are measured one after the other against the same server, the order alternating from
 * one point to the next (driver first at the first point). Each phase is set up, warmed up, then measured for
 * {@code bench.seconds}; see {@link OpcUaPhase}.
 *
 * <p>Run with {@code mvn -B -q -DskipTests -Popcua-benchmark -pl app/benchmarks -am verify}; knobs in
 * {@link OpcUaBenchSettings}. Prints a table per point with a verdict line, and a summary; exits 0 when every phase
 * ran and every item delivered its own values, 1 when something failed (or, with {@code bench.strict}, when a target
 * was missed), 2 for a bad knob.
 */
public final class OpcUaDriverBenchmark {

    /** The driver should deliver at least this share of the notifications raw Milo delivers. */
    static final double TARGET_RATIO = 0.9;
    /** Between two phases: the previous session is closed and the server has deleted its subscription. */
    private static final long PAUSE_MILLIS = 1_000;

    private OpcUaDriverBenchmark() {
    }

    /** One point: how many items, over which channel; both phases' results, or why they failed. */
    private record Point(int items, OpcUaPhase.Security security, boolean driverFirst) {
    }

    private record Outcome(Point point, OpcUaPhaseResult driver, OpcUaPhaseResult raw, String failure) {

        boolean measured() {
            return driver != null && raw != null;
        }

        double ratio() {
            return driver.notificationsPerSecond() / raw.notificationsPerSecond();
        }
    }

    public static void main(String[] args) {
        int status;
        try {
            status = run(OpcUaBenchSettings.fromSystemProperties(), System.out);
        } catch (IllegalArgumentException e) {
            System.err.println("opc ua benchmark: " + e.getMessage());
            status = 2;
        }
        Stack.releaseSharedResources();
        // Leave at once: not every library thread is a daemon.
        System.exit(status);
    }

    static int run(OpcUaBenchSettings settings, PrintStream out) {
        List<Point> points = new ArrayList<>();
        for (int n : settings.items()) {
            points.add(new Point(n, OpcUaPhase.Security.NONE, points.size() % 2 == 0));
        }
        if (settings.secureItems() > 0) {
            points.add(new Point(settings.secureItems(), OpcUaPhase.Security.SIGN_AND_ENCRYPT,
                    points.size() % 2 == 0));
        }
        printHeader(settings, out);
        OpcUaServerProcess server;
        try {
            server = OpcUaServerProcess.start(settings.maxItems(), settings.period(),
                    Path.of("opcua-bench").toAbsolutePath(), settings.phaseLock());
        } catch (Exception e) {
            System.err.println("opc ua benchmark: cannot start the server: " + e.getMessage());
            return 1;
        }
        // Ctrl-C or a failure: the server JVM must not outlive the benchmark.
        Thread cleanup = new Thread(server::close, "bench-server-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        List<Outcome> outcomes = new ArrayList<>();
        try {
            out.printf(Locale.ROOT, "  server   %s%n", server.url());
            for (int p = 0; p < points.size(); p++) {
                Outcome o = measure(settings, server, points.get(p));
                outcomes.add(o);
                report(settings, p + 1, points.size(), o, out);
            }
            server.change(0);
        } catch (Exception e) {
            System.err.println("opc ua benchmark failed: " + e);
            e.printStackTrace();
            return 1;
        } finally {
            server.close();
            try {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            } catch (IllegalStateException e) {
                // Already shutting down: the hook runs anyway and closing twice is harmless.
            }
        }
        summary(outcomes, out);
        out.printf(Locale.ROOT, "  load     system load average %.2f at the end%n%n", loadAverage());
        out.flush();
        boolean sound = outcomes.stream().allMatch(o -> o.measured() && o.driver().sound() && o.raw().sound());
        if (!sound) {
            System.err.println("opc ua benchmark: a phase failed or delivered wrong values: see above");
            return 1;
        }
        boolean met = outcomes.stream().allMatch(o -> o.ratio() >= TARGET_RATIO);
        return settings.strict() && !met ? 1 : 0;
    }

    private static Outcome measure(OpcUaBenchSettings settings, OpcUaServerProcess server, Point point)
            throws InterruptedException {
        OpcUaPhaseResult driver = null;
        OpcUaPhaseResult raw = null;
        for (int i = 0; i < 2; i++) {
            boolean driverNow = (i == 0) == point.driverFirst();
            OpcUaPhase phase = driverNow
                    ? new OpcUaDriverPhase(settings, server, point.items(), point.security())
                    : new OpcUaRawPhase(settings, server, point.items(), point.security());
            try {
                OpcUaPhaseResult r = phase.run();
                if (driverNow) {
                    driver = r;
                } else {
                    raw = r;
                }
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                System.err.println("opc ua benchmark: " + phase.name() + ", " + point.items() + " items, "
                        + point.security().text + ": " + e);
                e.printStackTrace();
                return new Outcome(point, driver, raw, phase.name() + " failed: " + e.getMessage());
            }
            Thread.sleep(PAUSE_MILLIS);
        }
        return new Outcome(point, driver, raw, null);
    }

    private static void printHeader(OpcUaBenchSettings s, PrintStream out) {
        long period = s.period().toMillis();
        out.println();
        out.println("OPC UA driver benchmark");
        out.printf(Locale.ROOT, "  machine  %d cores, %s %s (%s), %s %s%n", ResourceMeter.cores(),
                System.getProperty("java.vm.name"), System.getProperty("java.vm.version"),
                System.getProperty("java.vendor"), System.getProperty("os.name"), System.getProperty("os.arch"));
        String milo = OpcUaClient.class.getPackage().getImplementationVersion();
        out.printf(Locale.ROOT, "  plant    Eclipse Milo %s server on 127.0.0.1 in a separate JVM; N Double "
                + "variables, each changing%n", milo == null ? "(version unknown)" : milo);
        out.printf(Locale.ROOT, "           every %d ms with a source timestamp from the wall clock (N x %s changes/s)"
                + "%n", period, n0(1000.0 / period));
        out.printf(Locale.ROOT, "           %s%n", s.phaseLock()
                ? "changes locked " + period / 2 + " ms ahead of each publish: both clients wait the same in the "
                + "server"
                : "changes at a fixed rate, free of the publishing timer (the wait in the server is left to chance)");
        out.printf(Locale.ROOT, "  clients  one subscription, publishing and sampling interval %d ms, queue size %d, "
                + "discard oldest%n", period, s.queueSize());
        out.println("           Stator driver: one opcua endpoint (DriverRegistry -> createEndpoint), one scan group, "
                + "listener");
        out.println("             storing into a runtime TagTable drained every 200 ms; latency taken after the store");
        out.println("           raw Milo: OpcUaClient + OpcUaSubscription + OpcUaMonitoredItems, counting in the "
                + "data-change");
        out.println("             listener; the same latency");
        out.printf(Locale.ROOT, "  run      points: %s items with security None%s;%n", join(s.items()),
                s.secureItems() > 0 ? ", then " + n0(s.secureItems()) + " with Basic256Sha256/SignAndEncrypt" : "");
        out.printf(Locale.ROOT, "           per phase: connect and subscribe, %d s warm-up, %d s measured;%n",
                s.warmup(), s.seconds());
        out.println("           order alternates: Stator driver first at the first point, raw Milo first at the "
                + "next, and so on");
        out.printf(Locale.ROOT, "  load     system load average %.2f at the start (other processes share the cores)%n",
                loadAverage());
        out.flush();
    }

    private static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    private static String join(List<Integer> items) {
        StringBuilder b = new StringBuilder();
        for (int n : items) {
            b.append(b.length() == 0 ? "" : ", ").append(n0(n));
        }
        return b.toString();
    }

    private static void report(OpcUaBenchSettings settings, int index, int count, Outcome o, PrintStream out) {
        Point p = o.point();
        out.println();
        out.printf(Locale.ROOT, "  point %d of %d: %s items, security %s; %s first%n", index, count, n0(p.items()),
                p.security().text, p.driverFirst() ? "Stator driver" : "raw Milo");
        if (!o.measured()) {
            out.printf(Locale.ROOT, "  FAILED: %s%n", o.failure());
            out.flush();
            return;
        }
        OpcUaPhaseResult d = o.driver();
        OpcUaPhaseResult r = o.raw();
        int cores = ResourceMeter.cores();
        out.printf(Locale.ROOT, "  %-42s %15s %15s %12s%n", "", "Stator driver", "raw Milo", "driver/raw");
        row(out, "notifications per second (Good)", n0(d.notificationsPerSecond()), n0(r.notificationsPerSecond()),
                f2(o.ratio()));
        row(out, "server changes per second", n0(d.serverChangesPerSecond()), n0(r.serverChangesPerSecond()), "");
        row(out, "latency p50, change to table/listener (ms)", f2(d.latency().percentileMillis(50)),
                f2(r.latency().percentileMillis(50)), diff(d.latency().percentileMillis(50),
                        r.latency().percentileMillis(50)));
        row(out, "latency p99 (ms)", f2(d.latency().percentileMillis(99)), f2(r.latency().percentileMillis(99)),
                diff(d.latency().percentileMillis(99), r.latency().percentileMillis(99)));
        row(out, "latency max (ms)", f2(d.latency().maxMillis()), f2(r.latency().maxMillis()), "");
        row(out, "CPU % of " + cores + " cores (this JVM)", f1(d.cpuPercent()), f1(r.cpuPercent()), "");
        row(out, "CPU % of " + cores + " cores (server JVM)", f1(d.serverCpuPercent()), f1(r.serverCpuPercent()), "");
        row(out, "CPU time per notification (us, this JVM)", f2(d.cpuMicrosPerNotification()),
                f2(r.cpuMicrosPerNotification()), f2(d.cpuMicrosPerNotification() / r.cpuMicrosPerNotification()));
        row(out, "allocated per notification (bytes)", f0(d.bytesPerNotification()), f0(r.bytesPerNotification()),
                f2(d.bytesPerNotification() / r.bytesPerNotification()));
        row(out, "GC collections / pause ms", d.usage().gcCount() + " / " + d.usage().gcMillis(),
                r.usage().gcCount() + " / " + r.usage().gcMillis(), "");
        row(out, "heap used after GC (MB)", f1(d.usage().heapAfterGcBytes() / 1e6),
                f1(r.usage().heapAfterGcBytes() / 1e6), "");
        row(out, "connect + subscribe to every first value (s)", f1(d.setupSeconds()), f1(r.setupSeconds()), "");
        row(out, "non-Good notifications", String.valueOf(d.otherValues()), String.valueOf(r.otherValues()), "");
        row(out, "items wrong / not updated in the window", d.itemsWrong() + " / " + d.itemsStale(),
                r.itemsWrong() + " / " + r.itemsStale(), "");
        row(out, "measured seconds", f1(d.seconds()), f1(r.seconds()), "");
        out.printf(Locale.ROOT, "  verdict  %s%n", verdict(o));
        out.flush();
    }

    private static String verdict(Outcome o) {
        if (!o.measured()) {
            return "FAILED: " + o.failure();
        }
        OpcUaPhaseResult d = o.driver();
        OpcUaPhaseResult r = o.raw();
        String values = d.sound() && r.sound() ? "" : "; WRONG OR MISSING VALUES: figures not valid";
        return String.format(Locale.ROOT, "notifications %.2f of raw (target >= %.2f) %s; latency vs raw: p50 %s ms, "
                        + "p99 %s ms%s", o.ratio(), TARGET_RATIO, o.ratio() >= TARGET_RATIO ? "OK" : "BELOW TARGET",
                diff(d.latency().percentileMillis(50), r.latency().percentileMillis(50)),
                diff(d.latency().percentileMillis(99), r.latency().percentileMillis(99)), values);
    }

    private static void summary(List<Outcome> outcomes, PrintStream out) {
        out.println();
        out.println("  summary      notifications/s          latency p50 ms   latency p99 ms   CPU % this JVM  "
                + "server CPU %");
        out.println("  items  sec   driver      raw  ratio   driver     raw   driver     raw   driver     raw   "
                + "driver   raw");
        for (Outcome o : outcomes) {
            String sec = o.point().security() == OpcUaPhase.Security.NONE ? "None" : "B256";
            if (!o.measured()) {
                out.printf(Locale.ROOT, "  %6s %-4s FAILED: %s%n", n0(o.point().items()), sec, o.failure());
                continue;
            }
            OpcUaPhaseResult d = o.driver();
            OpcUaPhaseResult r = o.raw();
            out.printf(Locale.ROOT, "  %6s %-4s %8s %8s %5.2f %8.2f %7.2f %8.2f %7.2f %8.1f %7.1f %8.1f %5.1f  %s%n",
                    n0(o.point().items()), sec, n0(d.notificationsPerSecond()), n0(r.notificationsPerSecond()),
                    o.ratio(), d.latency().percentileMillis(50), r.latency().percentileMillis(50),
                    d.latency().percentileMillis(99), r.latency().percentileMillis(99), d.cpuPercent(),
                    r.cpuPercent(), d.serverCpuPercent(), r.serverCpuPercent(),
                    o.ratio() >= TARGET_RATIO ? "OK" : "BELOW");
        }
        out.flush();
    }

    private static void row(PrintStream out, String label, String driver, String raw, String ratio) {
        out.println(String.format("  %-42s %15s %15s %12s", label, driver, raw, ratio).stripTrailing());
    }

    private static String diff(double driver, double raw) {
        return Double.isNaN(driver) || Double.isNaN(raw) ? "n/a" : String.format(Locale.ROOT, "%+.2f", driver - raw);
    }

    private static String n0(double v) {
        return String.format(Locale.ROOT, "%,.0f", v);
    }

    private static String f0(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.0f", v);
    }

    private static String f1(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.1f", v);
    }

    private static String f2(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.2f", v);
    }
}
