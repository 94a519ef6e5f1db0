package dev.stator.driver.modbus;

import com.ghgande.j2mod.modbus.Modbus;
import com.ghgande.j2mod.modbus.ModbusException;
import com.ghgande.j2mod.modbus.ModbusIOException;
import com.ghgande.j2mod.modbus.ModbusSlaveException;
import com.ghgande.j2mod.modbus.io.ModbusSerialTransaction;
import com.ghgande.j2mod.modbus.msg.ModbusRequest;
import com.ghgande.j2mod.modbus.msg.ModbusResponse;
import com.ghgande.j2mod.modbus.net.SerialConnection;
import com.ghgande.j2mod.modbus.util.SerialParameters;

import java.time.Duration;

/** A serial line (RS-485/RS-232) carrying Modbus RTU frames, through j2mod and jSerialComm. */
final class SerialLink implements ModbusLink {

    private final SerialParameters parameters;
    private final int timeoutMillis;
    private final String description;
    private volatile SerialConnection connection;

    /**
     * @param parity {@code none}, {@code even} or {@code odd}
     */
    SerialLink(String port, int baud, int dataBits, String parity, int stopBits, Duration timeout) {
        parameters = new SerialParameters();
        parameters.setPortName(port);
        parameters.setBaudRate(baud);
        parameters.setDatabits(dataBits);
        parameters.setParity(parity);
        parameters.setStopbits(stopBits);
        parameters.setEncoding(Modbus.SERIAL_ENCODING_RTU);
        parameters.setEcho(false);
        this.timeoutMillis = (int) Math.max(1, timeout.toMillis());
        this.description = port + " " + baud + " " + dataBits + Character.toUpperCase(parity.charAt(0)) + stopBits;
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public boolean isOpen() {
        SerialConnection c = connection;
        return c != null && c.isOpen();
    }

    @Override
    public ModbusFailure open() {
        if (isOpen()) {
            return null;
        }
        SerialConnection c = new SerialConnection(parameters);
        try {
            c.open();
            c.setTimeout(timeoutMillis);
            connection = c;
            return null;
        } catch (Exception e) {
            return ModbusFailure.notConnected("cannot open serial port " + description + ": " + e.getMessage());
        }
    }

    @Override
    public ModbusResponse execute(ModbusRequest request) throws ModbusRequestFailed {
        SerialConnection c = connection;
        if (c == null || !c.isOpen()) {
            throw new ModbusRequestFailed(ModbusFailure.notConnected("serial port " + description + " is not open"));
        }
        ModbusSerialTransaction transaction = new ModbusSerialTransaction(c);
        transaction.setRetries(1);
        transaction.setRequest(request);
        try {
            transaction.execute();
            return transaction.getResponse();
        } catch (ModbusSlaveException e) {
            throw new ModbusRequestFailed(ModbusFailure.exceptionResponse(e.getType()));
        } catch (ModbusIOException e) {
            // On a serial line silence is the usual failure: a unit that does not answer.
            throw new ModbusRequestFailed(ModbusFailure.timeout("no answer on " + description + " within "
                    + timeoutMillis + " ms"));
        } catch (ModbusException e) {
            throw new ModbusRequestFailed(ModbusFailure.communication(String.valueOf(e.getMessage())));
        }
    }

    @Override
    public void close() {
        SerialConnection c = connection;
        connection = null;
        if (c != null) {
            c.close();
        }
    }
}
