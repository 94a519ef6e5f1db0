package dev.stator.driver.modbus;

import dev.stator.driver.api.Quality;

/**
 * Why a Modbus request failed, as a quality code and words an engineer recognises. {@code linkBroken} says whether the
 * connection must be closed and opened again (a timeout or broken stream) or is still usable (an exception response).
 */
record ModbusFailure(Quality quality, String detail, boolean linkBroken) {

    /** A Modbus exception response: the device answered, but refused. */
    static ModbusFailure exceptionResponse(int code) {
        Quality quality = switch (code) {
            case 1 -> Quality.BAD_NOT_SUPPORTED;
            case 2 -> Quality.BAD_CONFIGURATION_ERROR;
            case 3 -> Quality.BAD_OUT_OF_RANGE;
            case 4 -> Quality.BAD_DEVICE_FAILURE;
            case 5, 6 -> Quality.BAD_RESOURCE_UNAVAILABLE;
            case 10 -> Quality.BAD_NOT_CONNECTED;
            case 11 -> Quality.BAD_TIMEOUT;
            default -> Quality.BAD_COMMUNICATION_ERROR;
        };
        return new ModbusFailure(quality, String.format("Modbus exception %02X: %s", code, exceptionName(code)),
                false);
    }

    /** The names the Modbus specification gives exception codes. */
    static String exceptionName(int code) {
        return switch (code) {
            case 1 -> "illegal function";
            case 2 -> "illegal data address";
            case 3 -> "illegal data value";
            case 4 -> "server device failure";
            case 5 -> "acknowledge";
            case 6 -> "server device busy";
            case 8 -> "memory parity error";
            case 10 -> "gateway path unavailable";
            case 11 -> "gateway target device failed to respond";
            default -> "unknown exception code";
        };
    }

    static ModbusFailure timeout(String detail) {
        return new ModbusFailure(Quality.BAD_TIMEOUT, detail, true);
    }

    static ModbusFailure notConnected(String detail) {
        return new ModbusFailure(Quality.BAD_NOT_CONNECTED, detail, true);
    }

    static ModbusFailure communication(String detail) {
        return new ModbusFailure(Quality.BAD_COMMUNICATION_ERROR, detail, true);
    }
}
