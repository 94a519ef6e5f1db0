package dev.stator.bench;

import com.ghgande.j2mod.modbus.ModbusException;
import com.ghgande.j2mod.modbus.facade.ModbusTCPMaster;
import com.ghgande.j2mod.modbus.procimg.Register;
import com.ghgande.j2mod.modbus.procimg.SimpleProcessImage;
import com.ghgande.j2mod.modbus.procimg.SimpleRegister;
import com.ghgande.j2mod.modbus.slave.ModbusSlave;
import com.ghgande.j2mod.modbus.slave.ModbusSlaveFactory;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/**
 * The plant side of the Modbus benchmark, run in a JVM of its own so that its CPU time is not counted as the
 * driver's: one real j2mod Modbus TCP slave per device on 127.0.0.1, each on a free port, serving the
 * {@link RegisterLayout} of that device as unit 1.
 *
 * <p>Usage: {@code SlaveHost <devices>}. Prints {@code PORTS p0 p1 ...} on stdout once every slave has answered a
 * read, then serves until its stdin reaches end of file: the benchmark holds stdin open, so the slaves go away when
 * the benchmark ends, however it ends.
 */
public final class SlaveHost {

    /** The line prefix the benchmark waits for. */
    static final String PORTS = "PORTS";
    static final int UNIT_ID = 1;
    /** Handler threads per slave: one connection per phase, and a spare while the previous one closes. */
    private static final int CONNECTIONS = 3;
    private static final int BIND_ATTEMPTS = 5;

    private SlaveHost() {
    }

    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: SlaveHost <devices>");
            System.exit(2);
        }
        int devices = Integer.parseInt(args[0]);
        RegisterLayout layout = RegisterLayout.standard();
        List<ModbusSlave> slaves = new ArrayList<>();
        int status = 0;
        try {
            StringBuilder ports = new StringBuilder(PORTS);
            for (int d = 0; d < devices; d++) {
                ModbusSlave slave = open(image(layout.words(d)));
                slaves.add(slave);
                check(slave.getPort(), layout.words(d));
                ports.append(' ').append(slave.getPort());
            }
            System.out.println(ports);
            System.out.flush();
            waitForEndOfInput(System.in);
        } catch (Exception e) {
            System.err.println("slave host: " + e);
            status = 1;
        } finally {
            for (ModbusSlave s : slaves) {
                ModbusSlaveFactory.close(s);
            }
        }
        // j2mod's handler threads are not daemons: leave now rather than wait for them.
        System.exit(status);
    }

    private static SimpleProcessImage image(int[] words) {
        SimpleProcessImage image = new SimpleProcessImage(UNIT_ID);
        for (int w : words) {
            image.addRegister(new SimpleRegister(w));
        }
        return image;
    }

    /**
     * A slave on a free loopback port. j2mod cannot bind port 0 and report it, so a free port is found first; another
     * program may take it in between, hence the retries.
     */
    private static ModbusSlave open(SimpleProcessImage image) throws IOException, ModbusException {
        ModbusException last = null;
        for (int attempt = 0; attempt < BIND_ATTEMPTS; attempt++) {
            int port;
            try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                port = probe.getLocalPort();
            }
            ModbusSlave slave = ModbusSlaveFactory.createTCPSlave(InetAddress.getLoopbackAddress(), port,
                    CONNECTIONS, false, 0);
            slave.addProcessImage(UNIT_ID, image);
            try {
                slave.open();
                return slave;
            } catch (ModbusException e) {
                // j2mod caches slaves by port: drop the failed one, or the port stays "taken".
                ModbusSlaveFactory.close(slave);
                last = e;
            }
        }
        throw new IOException("no free loopback port could be bound in " + BIND_ATTEMPTS + " attempts", last);
    }

    /** Reads the slave's first and last registers back, so the benchmark never starts against a wrong server. */
    private static void check(int port, int[] words) throws Exception {
        ModbusTCPMaster master = new ModbusTCPMaster(InetAddress.getLoopbackAddress().getHostAddress(), port, 2000,
                false);
        master.connect();
        try {
            Register[] first = master.readMultipleRegisters(UNIT_ID, 0, 1);
            Register[] last = master.readMultipleRegisters(UNIT_ID, words.length - 1, 1);
            if (first[0].toUnsignedShort() != words[0] || last[0].toUnsignedShort() != words[words.length - 1]) {
                throw new IOException("the slave on port " + port + " does not serve the benchmark's registers");
            }
        } finally {
            master.disconnect();
        }
    }

    private static void waitForEndOfInput(InputStream in) throws IOException {
        byte[] buffer = new byte[64];
        while (in.read(buffer) >= 0) {
            // Nothing is expected on stdin; only its end matters.
        }
    }
}
