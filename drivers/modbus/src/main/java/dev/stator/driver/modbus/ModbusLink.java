package dev.stator.driver.modbus;

import com.ghgande.j2mod.modbus.ModbusException;
import com.ghgande.j2mod.modbus.ModbusIOException;
import com.ghgande.j2mod.modbus.ModbusSlaveException;
import com.ghgande.j2mod.modbus.io.ModbusTCPTransaction;
import com.ghgande.j2mod.modbus.msg.ModbusRequest;
import com.ghgande.j2mod.modbus.msg.ModbusResponse;
import com.ghgande.j2mod.modbus.net.TCPMasterConnection;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Locale;

/**
 * The one persistent TCP connection of a Modbus endpoint. Used only from the endpoint's own thread, except
 * {@link #close()}, which may be called from any thread to break a blocked read.
 *
 * <p>j2mod's own reconnect-per-request mode is never used (it opens a TCP connection for every request); j2mod's
 * retries are off: a failure is reported at once and the endpoint decides when to reconnect.
 */
final class ModbusLink {

    private final String host;
    private final int port;
    private final int timeoutMillis;
    private volatile TCPMasterConnection connection;

    ModbusLink(String host, int port, Duration timeout) {
        this.host = host;
        this.port = port;
        this.timeoutMillis = (int) Math.max(1, timeout.toMillis());
    }

    String describe() {
        return host + ":" + port;
    }

    boolean isOpen() {
        TCPMasterConnection c = connection;
        return c != null && c.isConnected();
    }

    /** Opens the connection if it is not open; a failure is returned, not thrown. */
    ModbusFailure open() {
        if (isOpen()) {
            return null;
        }
        try {
            TCPMasterConnection c = new TCPMasterConnection(InetAddress.getByName(host));
            c.setPort(port);
            c.setTimeout(timeoutMillis);
            c.connect();
            connection = c;
            return null;
        } catch (UnknownHostException e) {
            return ModbusFailure.notConnected("unknown host '" + host + "'");
        } catch (Exception e) {
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            if (why.toLowerCase(Locale.ROOT).contains("timed out")) {
                return ModbusFailure.timeout("no answer from " + describe() + " within " + timeoutMillis + " ms");
            }
            return ModbusFailure.notConnected("cannot connect to " + describe() + ": " + why);
        }
    }

    /**
     * Sends {@code request} and waits for the answer (up to the timeout).
     *
     * @throws ModbusRequestFailed with the classified failure
     */
    ModbusResponse execute(ModbusRequest request) throws ModbusRequestFailed {
        TCPMasterConnection c = connection;
        if (c == null || !c.isConnected()) {
            throw new ModbusRequestFailed(ModbusFailure.notConnected("not connected to " + describe()));
        }
        ModbusTCPTransaction transaction = new ModbusTCPTransaction(c);
        transaction.setRetries(1);
        transaction.setReconnecting(false);
        transaction.setCheckingValidity(true);
        transaction.setRequest(request);
        try {
            transaction.execute();
            return transaction.getResponse();
        } catch (ModbusSlaveException e) {
            throw new ModbusRequestFailed(ModbusFailure.exceptionResponse(e.getType()));
        } catch (ModbusIOException e) {
            close();
            String why = String.valueOf(e.getMessage());
            if (why.toLowerCase(Locale.ROOT).contains("timeout")) {
                throw new ModbusRequestFailed(ModbusFailure.timeout(
                        "no answer from " + describe() + " within " + timeoutMillis + " ms"));
            }
            throw new ModbusRequestFailed(ModbusFailure.communication("link to " + describe() + " broken: " + why));
        } catch (ModbusException e) {
            close();
            throw new ModbusRequestFailed(ModbusFailure.communication(String.valueOf(e.getMessage())));
        }
    }

    /** Closes the socket; safe from any thread and when already closed. */
    void close() {
        TCPMasterConnection c = connection;
        connection = null;
        if (c != null) {
            c.close();
        }
    }

    /** A request that failed, carrying the classified failure. */
    static final class ModbusRequestFailed extends Exception {
        private final transient ModbusFailure failure;

        ModbusRequestFailed(ModbusFailure failure) {
            super(failure.detail(), null, false, false);
            this.failure = failure;
        }

        ModbusFailure failure() {
            return failure;
        }
    }
}
