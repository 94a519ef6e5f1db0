package dev.stator.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A JVM the benchmark starts for the other side of the wire (the Modbus slaves, the OPC UA server), so that its CPU
 * time is measured apart from the benchmark's. It runs a main class of this module with this JVM's class path. Its
 * stdout is a line protocol: the benchmark waits for lines by prefix ({@link #await}) and may send commands on its
 * stdin ({@link #send}); its stderr is passed through. The child is expected to end when its stdin closes, so it goes
 * away with the benchmark however the benchmark ends; {@link #close()} closes stdin, then destroys it. Every wait is
 * bounded.
 */
final class ChildJvm implements AutoCloseable {

    private static final Duration STOP_STEP = Duration.ofSeconds(3);
    /** Put on the line queue when the child's stdout ends. */
    private static final String END = new String("end of output");

    private final String label;
    private final Process process;
    private final Writer stdin;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

    private ChildJvm(String label, Process process) {
        this.label = label;
        this.process = process;
        this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread reader = new Thread(this::readOutput, "bench-" + label + "-output");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Starts {@code mainClass} in a new JVM with this JVM's class path.
     *
     * @param label      a short name for messages and thread names ({@code slaves}, {@code server})
     * @param jvmOptions options before the class path, e.g. the heap size
     */
    static ChildJvm start(String label, List<String> jvmOptions, Class<?> mainClass, List<String> args)
            throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>();
        command.add(java);
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass.getName());
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.redirectError(ProcessBuilder.Redirect.INHERIT);
        return new ChildJvm(label, builder.start());
    }

    private void readOutput() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                lines.add(line);
            }
        } catch (IOException e) {
            // The child went away: the end marker below says so to whoever waits.
        }
        lines.add(END);
    }

    /**
     * The next line of the child's stdout that starts with {@code prefix}, without the prefix. Other lines that come
     * first are passed on to stderr.
     *
     * @throws IOException      when the child ends first, with its exit code
     * @throws TimeoutException when no such line comes within {@code timeout}
     */
    String await(String prefix, Duration timeout) throws IOException, TimeoutException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String line = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (line == null) {
                throw new TimeoutException("the " + label + " JVM did not answer '" + prefix.strip() + "' within "
                        + timeout.toMillis() + " ms");
            }
            if (line == END) {
                lines.add(END);
                throw new IOException("the " + label + " JVM ended (exit code " + exitCode() + ")");
            }
            if (line.startsWith(prefix)) {
                return line.substring(prefix.length());
            }
            System.err.println("[" + label + "] " + line);
        }
    }

    /** Sends one command line to the child's stdin. */
    synchronized void send(String line) throws IOException {
        stdin.write(line);
        stdin.write('\n');
        stdin.flush();
    }

    private String exitCode() {
        try {
            return process.waitFor(1, TimeUnit.SECONDS) ? String.valueOf(process.exitValue()) : "none yet";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    /** CPU time the child has used so far, in nanoseconds; -1 where the platform does not say. */
    long cpuNanos() {
        return process.toHandle().info().totalCpuDuration().map(Duration::toNanos).orElse(-1L);
    }

    /** Ends the child: closes its stdin, then destroys it if it has not gone. Idempotent. */
    @Override
    public void close() {
        try {
            OutputStream out = process.getOutputStream();
            out.close();
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
