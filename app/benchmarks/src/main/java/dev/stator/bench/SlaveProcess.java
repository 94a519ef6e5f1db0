package dev.stator.bench;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;

/**
 * The benchmark's handle on the {@link SlaveHost} JVM: starts it with this JVM's class path, waits (bounded) for its
 * ports, reports the CPU time it used, and ends it on {@link #close()}: first by closing its stdin, then by
 * destroying it. Every wait is bounded.
 */
final class SlaveProcess implements AutoCloseable {

    private static final Duration STARTUP = Duration.ofSeconds(30);

    private final ChildJvm jvm;
    private final List<Integer> ports;

    private SlaveProcess(ChildJvm jvm, List<Integer> ports) {
        this.jvm = jvm;
        this.ports = List.copyOf(ports);
    }

    /** Starts {@code devices} slaves in a child JVM and returns once they all serve. */
    static SlaveProcess start(int devices) throws IOException, InterruptedException {
        ChildJvm jvm = ChildJvm.start("slaves", List.of("-Xmx256m"), SlaveHost.class,
                List.of(String.valueOf(devices)));
        try {
            String line = jvm.await(SlaveHost.PORTS + " ", STARTUP);
            List<Integer> list = new ArrayList<>();
            for (String p : line.trim().split(" ")) {
                list.add(Integer.parseInt(p));
            }
            return new SlaveProcess(jvm, list);
        } catch (TimeoutException | IOException | RuntimeException | InterruptedException e) {
            jvm.close();
            if (e instanceof InterruptedException ie) {
                throw ie;
            }
            String why = e instanceof TimeoutException ? "did not report its ports within " + STARTUP.toSeconds()
                    + " s" : e.getMessage();
            throw new IOException("the slave JVM " + why, e);
        }
    }

    /** The port of each device's slave, in device order. */
    List<Integer> ports() {
        return ports;
    }

    /** CPU time the slave JVM has used so far, in nanoseconds; -1 where the platform does not say. */
    long cpuNanos() {
        return jvm.cpuNanos();
    }

    /** Ends the slave JVM: closes its stdin, then destroys it if it has not gone. Idempotent. */
    @Override
    public void close() {
        jvm.close();
    }
}
