package dev.stator.simulator;

import com.ghgande.j2mod.modbus.ModbusException;
import com.ghgande.j2mod.modbus.procimg.ProcessImage;
import com.ghgande.j2mod.modbus.slave.ModbusSlave;
import com.ghgande.j2mod.modbus.slave.ModbusSlaveFactory;
import com.ghgande.j2mod.modbus.slave.ModbusSlaveType;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A j2mod Modbus TCP slave serving one process image, with the lifecycle j2mod leaves to its caller.
 *
 * <p>j2mod threads: one listener named {@code threadName} and {@code maxConnections} handlers named
 * {@code "<threadName> Handler"}; each open client connection holds one handler for its lifetime, so a client beyond
 * {@code maxConnections} waits. All are daemon threads. {@link #close()} stops the listener and the idle handlers; a
 * handler serving a client that stays connected ends when that client disconnects (j2mod reads without a timeout and
 * offers no way to drop its connections).
 */
final class ModbusTcpServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ModbusTcpServer.class);

    private final ModbusSlave slave;
    private final InetAddress address;
    private final int port;

    private ModbusTcpServer(ModbusSlave slave, InetAddress address, int port) {
        this.slave = slave;
        this.address = address;
        this.port = port;
    }

    /**
     * Binds {@code address:port} and serves {@code image} as {@code unitId}; other unit ids answer exception 02.
     *
     * @throws IOException with a message naming the address if the port cannot be bound or is already served by
     *                     another j2mod slave of this JVM (j2mod would otherwise hand back that slave)
     */
    static ModbusTcpServer open(InetAddress address, int port, int unitId, int maxConnections, ProcessImage image,
            String threadName) throws IOException {
        String where = address.getHostAddress() + ":" + port;
        ModbusSlave slave;
        // j2mod caches slaves by port and returns the cached one: check and create as one step.
        synchronized (ModbusSlaveFactory.class) {
            if (ModbusSlaveFactory.getSlave(ModbusSlaveType.TCP, port) != null) {
                throw new IOException("Cannot serve Modbus TCP on " + where + ": another Modbus slave of this "
                        + "program already uses port " + port);
            }
            try {
                slave = ModbusSlaveFactory.createTCPSlave(address, port, maxConnections, false, 0);
            } catch (ModbusException e) {
                throw new IOException("Cannot serve Modbus TCP on " + where + ": " + e.getMessage(), e);
            }
        }
        slave.setThreadName(threadName);
        slave.addProcessImage(unitId, image);
        try {
            openAsDaemon(slave, threadName);
        } catch (IOException | RuntimeException e) {
            // Drop the failed slave from j2mod's cache, or the port stays "taken" in this JVM.
            ModbusSlaveFactory.close(slave);
            if (e instanceof InterruptedIOException) {
                throw e;
            }
            throw new IOException("Cannot serve Modbus TCP on " + where + ": " + e.getMessage()
                    + " (is another program using this port?)", e);
        }
        log.info("Modbus TCP slave listening on {} as unit {}", where, unitId);
        return new ModbusTcpServer(slave, address, port);
    }

    /**
     * j2mod's listener and handler threads inherit the daemon flag of the thread that opens the slave. Opening from a
     * daemon thread keeps a client that never disconnects from holding the JVM open after {@link #close()}.
     */
    private static void openAsDaemon(ModbusSlave slave, String threadName) throws IOException {
        AtomicReference<Exception> failure = new AtomicReference<>();
        Thread opener = new Thread(() -> {
            try {
                slave.open();
            } catch (ModbusException | RuntimeException e) {
                failure.set(e);
            }
        }, threadName + " opener");
        opener.setDaemon(true);
        opener.start();
        try {
            opener.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while opening the Modbus TCP slave");
        }
        Exception e = failure.get();
        if (e != null) {
            throw new IOException(e.getMessage(), e);
        }
    }

    /** The bound port. */
    int port() {
        return port;
    }

    /** Stops listening and releases the port; idempotent. Any thread. */
    @Override
    public void close() {
        ModbusSlaveFactory.close(slave);
        log.info("Modbus TCP slave on {}:{} closed", address.getHostAddress(), port);
    }
}
