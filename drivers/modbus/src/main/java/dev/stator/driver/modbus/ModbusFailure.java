package dev.stator.driver.modbus;

import dev.stator.driver.api.Quality;

/**
 * Why a Modbus request failed: a quality code, words an engineer recognises, the kind under which device diagnostics
 * count it, and whether the link must be opened again ({@code linkBroken}: a timeout or broken stream) or is still
 * usable (an exception response: the device answered, but refused).
 */
record ModbusFailure(Quality quality, String detail, String kind, boolean linkBroken) {

    /** A Modbus exception response. */
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
                String.format("exception %02X %s", code, exceptionName(code)), false);
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

    /** Whether the device refused the addresses themselves, so the rest of a block may still be readable. */
    boolean isAddressRefusal() {
        return !linkBroken && (quality.sameCodeAs(Quality.BAD_CONFIGURATION_ERROR)
                || quality.sameCodeAs(Quality.BAD_OUT_OF_RANGE) || quality.sameCodeAs(Quality.BAD_DEVICE_FAILURE));
    }

    static ModbusFailure timeout(String detail) {
        return new ModbusFailure(Quality.BAD_TIMEOUT, detail, "timeout", true);
    }

    static ModbusFailure notConnected(String detail) {
        return new ModbusFailure(Quality.BAD_NOT_CONNECTED, detail, "not connected", true);
    }

    static ModbusFailure communication(String detail) {
        return new ModbusFailure(Quality.BAD_COMMUNICATION_ERROR, detail, "broken link", true);
    }
}
