package dev.stator.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;

/**
 * The benchmark's handle on the {@link OpcUaServerHost} JVM: starts it with this JVM's class path, waits (bounded)
 * for its endpoint URL, tells it how many variables to change and which client certificates to trust, reads its
 * counters and the CPU time it used, and ends it on {@link #close()} (stdin closed, then destroyed).
 */
final class OpcUaServerProcess implements AutoCloseable {

    private static final Duration STARTUP = Duration.ofSeconds(60);
    private static final Duration ANSWER = Duration.ofSeconds(10);

    /** What the server did so far: variable changes made and publish responses sent. */
    record Stats(long changes, long publishes) {
    }

    private final ChildJvm jvm;
    private final String url;
    private final Path certificate;

    private OpcUaServerProcess(ChildJvm jvm, String url, Path certificate) {
        this.jvm = jvm;
        this.url = url;
        this.certificate = certificate;
    }

    /**
     * Starts a server with {@code variables} variables changing every {@code period} (none until {@link #change}),
     * keeping its certificate in {@code work}, and returns once it serves.
     */
    static OpcUaServerProcess start(int variables, Duration period, Path work, boolean phaseLock)
            throws IOException, InterruptedException {
        ChildJvm jvm = ChildJvm.start("server", List.of("-Xmx512m"), OpcUaServerHost.class,
                List.of(String.valueOf(variables), String.valueOf(period.toMillis()), work.toString(),
                        String.valueOf(phaseLock)));
        try {
            String url = jvm.await(OpcUaServerHost.ENDPOINT, STARTUP).strip();
            return new OpcUaServerProcess(jvm, url, work.resolve(OpcUaServerHost.CERTIFICATE_FILE));
        } catch (TimeoutException | IOException | RuntimeException | InterruptedException e) {
            jvm.close();
            if (e instanceof InterruptedException ie) {
                throw ie;
            }
            throw new IOException("the OPC UA server JVM did not start: " + e.getMessage(), e);
        }
    }

    /** The server's endpoint URL, {@code opc.tcp://127.0.0.1:<port>/bench}. */
    String url() {
        return url;
    }

    /** The server's certificate (DER), for a client to trust. */
    Path certificate() {
        return certificate;
    }

    /** From now on, variables 1 to {@code n} change every period (and the others do not). */
    void change(int n) throws IOException, InterruptedException {
        ask("CHANGE " + n, OpcUaServerHost.CHANGING);
    }

    /** Accepts the client certificate in {@code der} on the secure endpoint. */
    void trust(Path der) throws IOException, InterruptedException {
        ask("TRUST " + der.toAbsolutePath(), OpcUaServerHost.TRUSTED);
    }

    Stats stats() throws IOException, InterruptedException {
        String[] words = ask("STATS", OpcUaServerHost.STATS).strip().split(" ");
        return new Stats(Long.parseLong(words[0]), Long.parseLong(words[1]));
    }

    private String ask(String command, String answer) throws IOException, InterruptedException {
        jvm.send(command);
        try {
            return jvm.await(answer, ANSWER);
        } catch (TimeoutException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    /** CPU time the server JVM has used so far, in nanoseconds; -1 where the platform does not say. */
    long cpuNanos() {
        return jvm.cpuNanos();
    }

    /** Ends the server JVM. Idempotent. */
    @Override
    public void close() {
        jvm.close();
    }
}
