package dev.stator.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The benchmark's handle on the {@link SlaveHost} JVM: starts it with this JVM's class path, waits (bounded) for its
 * ports, reports the CPU time it used, and ends it on {@link #close()}: first by closing its stdin, then by
 * destroying it. Every wait is bounded.
 */
final class SlaveProcess implements AutoCloseable {

    private static final Duration STARTUP = Duration.ofSeconds(30);
    private static final Duration STOP_STEP = Duration.ofSeconds(3);

    private final Process process;
    private final List<Integer> ports;

    private SlaveProcess(Process process, List<Integer> ports) {
        this.process = process;
        this.ports = List.copyOf(ports);
    }

    /** Starts {@code devices} slaves in a child JVM and returns once they all serve. */
    static SlaveProcess start(int devices) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                SlaveHost.class.getName(), String.valueOf(devices));
        builder.redirectError(ProcessBuilder.Redirect.INHERIT);
        Process process = builder.start();
        CompletableFuture<List<Integer>> ports = new CompletableFuture<>();
        Thread reader = new Thread(() -> readOutput(process, ports), "bench-slave-output");
        reader.setDaemon(true);
        reader.start();
        try {
            return new SlaveProcess(process, ports.get(STARTUP.toMillis(), TimeUnit.MILLISECONDS));
        } catch (TimeoutException | ExecutionException | InterruptedException e) {
            stop(process);
            if (e instanceof InterruptedException ie) {
                throw ie;
            }
            String why = e instanceof TimeoutException ? "did not report its ports within " + STARTUP.toSeconds()
                    + " s" : e.getCause().getMessage();
            throw new IOException("the slave JVM " + why, e);
        }
    }

    /** Completes {@code ports} from the PORTS line, then passes anything else the child prints on to stderr. */
    private static void readOutput(Process process, CompletableFuture<List<Integer>> ports) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (!ports.isDone() && line.startsWith(SlaveHost.PORTS + " ")) {
                    List<Integer> list = new ArrayList<>();
                    for (String p : line.substring(SlaveHost.PORTS.length() + 1).trim().split(" ")) {
                        list.add(Integer.parseInt(p));
                    }
                    ports.complete(list);
                } else {
                    System.err.println("[slaves] " + line);
                }
            }
        } catch (IOException | RuntimeException e) {
            ports.completeExceptionally(e);
        }
        ports.completeExceptionally(new IOException("ended before reporting its ports (exit code "
                + exitCode(process) + ")"));
    }

    private static String exitCode(Process process) {
        try {
            return process.waitFor(1, TimeUnit.SECONDS) ? String.valueOf(process.exitValue()) : "none yet";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    /** The port of each device's slave, in device order. */
    List<Integer> ports() {
        return ports;
    }

    /** CPU time the slave JVM has used so far, in nanoseconds; -1 where the platform does not say. */
    long cpuNanos() {
        return process.toHandle().info().totalCpuDuration().map(Duration::toNanos).orElse(-1L);
    }

    /** Ends the slave JVM: closes its stdin, then destroys it if it has not gone. Idempotent. */
    @Override
    public void close() {
        stop(process);
    }

    private static void stop(Process process) {
        try {
            OutputStream stdin = process.getOutputStream();
            stdin.close();
        } catch (IOException e) {
            // Already closed: go on to destroy.
        }
        try {
            if (process.waitFor(STOP_STEP.toMillis(), TimeUnit.MILLISECONDS)) {
                return;
            }
            process.destroy();
            if (process.waitFor(STOP_STEP.toMillis(), TimeUnit.MILLISECONDS)) {
                return;
            }
            process.destroyForcibly();
            process.waitFor(STOP_STEP.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
