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

/** A persistent TCP connection carrying Modbus TCP frames, or RTU frames over TCP (serial gateways). */
final class TcpLink implements ModbusLink {

    private final String host;
    private final int port;
    private final int timeoutMillis;
    private final boolean rtuFraming;
    private volatile TCPMasterConnection connection;

    TcpLink(String host, int port, Duration timeout, boolean rtuFraming) {
        this.host = host;
        this.port = port;
        this.timeoutMillis = (int) Math.max(1, timeout.toMillis());
        this.rtuFraming = rtuFraming;
    }

    @Override
    public String describe() {
        return host + ":" + port;
    }

    @Override
    public boolean isOpen() {
        TCPMasterConnection c = connection;
        return c != null && c.isConnected();
    }

    @Override
    public ModbusFailure open() {
        if (isOpen()) {
            return null;
        }
        try {
            TCPMasterConnection c = new TCPMasterConnection(InetAddress.getByName(host));
            c.setPort(port);
            c.setTimeout(timeoutMillis);
            c.connect(rtuFraming);
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

    @Override
    public ModbusResponse execute(ModbusRequest request) throws ModbusRequestFailed {
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
            throw new ModbusRequestFailed(classify(String.valueOf(e.getMessage())));
        } catch (ModbusException e) {
            close();
            throw new ModbusRequestFailed(ModbusFailure.communication(String.valueOf(e.getMessage())));
        }
    }

    private ModbusFailure classify(String why) {
        String w = why.toLowerCase(Locale.ROOT);
        if (w.contains("timeout") || w.contains("timed out")) {
            return ModbusFailure.timeout("no answer from " + describe() + " within " + timeoutMillis + " ms");
        }
        if (w.contains("premature end of stream") || w.contains("connection reset") || w.contains("broken pipe")) {
            return ModbusFailure.communication("connection to " + describe() + " closed by the other end");
        }
        return ModbusFailure.communication("link to " + describe() + " broken: " + why);
    }

    @Override
    public void close() {
        TCPMasterConnection c = connection;
        connection = null;
        if (c != null) {
            c.close();
        }
    }
}
