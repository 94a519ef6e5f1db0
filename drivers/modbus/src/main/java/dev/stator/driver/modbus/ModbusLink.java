package dev.stator.driver.modbus;

import com.ghgande.j2mod.modbus.msg.ModbusRequest;
import com.ghgande.j2mod.modbus.msg.ModbusResponse;

/**
 * The one connection of a Modbus endpoint: a TCP socket (Modbus TCP, or RTU framing over TCP) or a serial line. Used
 * only from the endpoint's own thread, except {@link #close()}, which may be called from any thread to break a
 * blocked read. j2mod's own reconnect-per-request mode and its retries are never used: a failure is reported at once
 * and the endpoint decides when to try again.
 */
interface ModbusLink {

    /** Where the link goes, as a person reads it: {@code 10.0.0.21:502}, {@code /dev/ttyUSB0 19200 8E1}. */
    String describe();

    boolean isOpen();

    /** Opens the link if it is not open; a failure is returned, not thrown. */
    ModbusFailure open();

    /**
     * Sends {@code request} and waits for the answer, up to the timeout.
     *
     * @throws ModbusRequestFailed with the classified failure
     */
    ModbusResponse execute(ModbusRequest request) throws ModbusRequestFailed;

    /** Closes the link; safe from any thread and when already closed. */
    void close();

    /** A request that failed, carrying the classified failure. */
    final class ModbusRequestFailed extends Exception {
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
