package dev.stator.driver.modbus;

import dev.stator.driver.api.DataType;

/**
 * Turns register words into tag values and back. Words are unsigned 16-bit values as carried on the wire; values
 * wider than one register are taken high word first ("ABCD"), the order most PLCs use by default.
 */
final class ModbusCodec {

    private ModbusCodec() {
    }

    /**
     * Decodes the value of {@code address} from {@code words}, where {@code words[0]} holds register
     * {@code firstRegister}. Returns Boolean, Long or Double as {@link dev.stator.driver.api.TagValue} expects.
     */
    static Object decode(ModbusAddress address, int[] words, int firstRegister) {
        int i = address.offset() - firstRegister;
        if (address.bit() >= 0) {
            return ((words[i] >> address.bit()) & 1) != 0;
        }
        return switch (address.dataType()) {
            case UINT16 -> (long) (words[i] & 0xFFFF);
            case INT16 -> (long) (short) words[i];
            case UINT32 -> join32(words, i) & 0xFFFF_FFFFL;
            case INT32 -> (long) (int) join32(words, i);
            case INT64 -> join64(words, i);
            // The shortest decimal that identifies the float, as a double: 2.1f reads 2.1, not 2.0999999046325684.
            case FLOAT32 -> Double.parseDouble(Float.toString(Float.intBitsToFloat((int) join32(words, i))));
            case FLOAT64 -> Double.longBitsToDouble(join64(words, i));
            default -> throw new IllegalStateException("cannot decode " + address.dataType() + " from registers");
        };
    }

    private static long join32(int[] words, int i) {
        return ((long) (words[i] & 0xFFFF) << 16) | (words[i + 1] & 0xFFFF);
    }

    private static long join64(int[] words, int i) {
        return (join32(words, i) << 32) | (join32(words, i + 2) & 0xFFFF_FFFFL);
    }

    /**
     * Encodes {@code value} for the registers of {@code address} (not a bit).
     *
     * @throws IllegalArgumentException when the value does not fit the type, in words a person understands
     */
    static int[] encode(ModbusAddress address, Object value) {
        DataType type = address.dataType();
        if (!(value instanceof Number n)) {
            throw new IllegalArgumentException("a " + type + " register takes a number, not '" + value + "'");
        }
        return switch (type) {
            case UINT16 -> new int[] {(int) integral(n, 0, 0xFFFF, type)};
            case INT16 -> new int[] {(int) integral(n, Short.MIN_VALUE, Short.MAX_VALUE, type) & 0xFFFF};
            case UINT32 -> split32(integral(n, 0, 0xFFFF_FFFFL, type));
            case INT32 -> split32(integral(n, Integer.MIN_VALUE, Integer.MAX_VALUE, type));
            case INT64 -> split64(integral(n, Long.MIN_VALUE, Long.MAX_VALUE, type));
            case FLOAT32 -> {
                double d = n.doubleValue();
                if (Double.isFinite(d) && Math.abs(d) > Float.MAX_VALUE) {
                    throw new IllegalArgumentException(d + " is too large for a float32");
                }
                yield split32(Float.floatToIntBits((float) d));
            }
            case FLOAT64 -> split64(Double.doubleToLongBits(n.doubleValue()));
            default -> throw new IllegalArgumentException("cannot write a " + type + " to registers");
        };
    }

    private static long integral(Number n, long min, long max, DataType type) {
        double d = n.doubleValue();
        if (n instanceof Double || n instanceof Float) {
            if (d != Math.rint(d)) {
                throw new IllegalArgumentException(d + " is not a whole number, as a " + type + " needs");
            }
        }
        long v = n instanceof Double || n instanceof Float ? (long) d : n.longValue();
        if (v < min || v > max || (n instanceof Double && (d < min || d > max))) {
            throw new IllegalArgumentException(n + " is outside the " + type + " range " + min + " to " + max);
        }
        return v;
    }

    private static int[] split32(long bits) {
        return new int[] {(int) ((bits >>> 16) & 0xFFFF), (int) (bits & 0xFFFF)};
    }

    private static int[] split64(long bits) {
        int[] hi = split32(bits >>> 32);
        int[] lo = split32(bits);
        return new int[] {hi[0], hi[1], lo[0], lo[1]};
    }
}
