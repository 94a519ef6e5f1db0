package dev.stator.driver.modbus;

import dev.stator.driver.api.DataType;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns register words into tag values and back. Words are unsigned 16-bit values as carried on the wire; the
 * address's byte order (else the device's) says how a wide value lies in them (see {@link WordOrder}). Strings are
 * one byte per character (ISO-8859-1), two per register, high byte first unless byte-swapped; trailing NULs are
 * dropped when read and added when written.
 */
final class ModbusCodec {

    private ModbusCodec() {
    }

    /**
     * Decodes the value of {@code address} from {@code words}, where {@code words[0]} holds register
     * {@code firstRegister}. Returns Boolean, Long, Double or String as {@link dev.stator.driver.api.TagValue}
     * expects, or an immutable List of them for an array. A float32 becomes the double of exactly the same value.
     * Called for every value of every scan: it allocates nothing but the result.
     */
    static Object decode(ModbusAddress address, int[] words, int firstRegister, WordOrder deviceOrder) {
        int i = address.offset() - firstRegister;
        if (address.bit() >= 0) {
            return ((words[i] >> address.bit()) & 1) != 0;
        }
        WordOrder order = address.orderOr(deviceOrder);
        if (address.dataType() == DataType.STRING) {
            return decodeString(words, i, address.length(), order);
        }
        if (!address.isArray()) {
            return decodeOne(address.dataType(), words, i, order);
        }
        int n = address.registersPerValue();
        List<Object> values = new ArrayList<>(address.length());
        for (int k = 0; k < address.length(); k++) {
            values.add(decodeOne(address.dataType(), words, i + k * n, order));
        }
        return List.copyOf(values);
    }

    /** Decodes the bits of {@code address}, {@code bits[0]} being the bit at {@code firstBit}. */
    static Object decodeBits(ModbusAddress address, boolean[] bits, int firstBit) {
        int i = address.offset() - firstBit;
        if (!address.isArray()) {
            return bits[i];
        }
        List<Object> values = new ArrayList<>(address.length());
        for (int k = 0; k < address.length(); k++) {
            values.add(bits[i + k]);
        }
        return List.copyOf(values);
    }

    /** One value of {@code type} from its registers at {@code words[i..]} laid out in {@code order}. */
    private static Object decodeOne(DataType type, int[] words, int i, WordOrder order) {
        return switch (type) {
            case UINT16 -> (long) word(words, i, 0, 1, order);
            case INT16 -> (long) (short) word(words, i, 0, 1, order);
            case UINT32 -> join32(words, i, order) & 0xFFFF_FFFFL;
            case INT32 -> (long) (int) join32(words, i, order);
            case INT64 -> join64(words, i, order);
            case FLOAT32 -> (double) Float.intBitsToFloat((int) join32(words, i, order));
            case FLOAT64 -> Double.longBitsToDouble(join64(words, i, order));
            default -> throw new IllegalStateException("cannot decode " + type + " from registers");
        };
    }

    /** Word {@code k} (0 = most significant) of an {@code n}-register value at {@code words[i..]}, in ABCD terms. */
    private static int word(int[] words, int i, int k, int n, WordOrder order) {
        int w = words[i + (order.wordSwap() ? n - 1 - k : k)] & 0xFFFF;
        return order.byteSwap() ? ((w & 0xFF) << 8) | (w >>> 8) : w;
    }

    private static long join32(int[] words, int i, WordOrder order) {
        return ((long) word(words, i, 0, 2, order) << 16) | word(words, i, 1, 2, order);
    }

    private static long join64(int[] words, int i, WordOrder order) {
        return ((long) word(words, i, 0, 4, order) << 48) | ((long) word(words, i, 1, 4, order) << 32)
                | ((long) word(words, i, 2, 4, order) << 16) | word(words, i, 3, 4, order);
    }

    private static String decodeString(int[] words, int i, int length, WordOrder order) {
        // Only the byte swap applies to text.
        int[] w = (order.byteSwap() ? WordOrder.BADC : WordOrder.ABCD).normalise(words, i, (length + 1) / 2);
        byte[] bytes = new byte[length];
        for (int k = 0; k < length; k++) {
            bytes[k] = (byte) (k % 2 == 0 ? w[k / 2] >>> 8 : w[k / 2]);
        }
        int end = length;
        while (end > 0 && bytes[end - 1] == 0) {
            end--;
        }
        return new String(bytes, 0, end, StandardCharsets.ISO_8859_1);
    }

    /**
     * Encodes {@code value} for the registers of {@code address} (not a bit, not an array), in the address's byte
     * order, else the device's.
     *
     * @throws IllegalArgumentException when the value does not fit the type, in words a person understands
     */
    static int[] encode(ModbusAddress address, Object value, WordOrder deviceOrder) {
        DataType type = address.dataType();
        WordOrder order = address.orderOr(deviceOrder);
        if (type == DataType.STRING) {
            if (!(value instanceof String s)) {
                throw new IllegalArgumentException("a string register takes text, not '" + value + "'");
            }
            return encodeString(s, address.length(), order);
        }
        if (!(value instanceof Number n)) {
            throw new IllegalArgumentException("a " + type + " register takes a number, not '" + value + "'");
        }
        int[] abcd = switch (type) {
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
        // The layout transformation is its own inverse.
        return order.normalise(abcd, 0, abcd.length);
    }

    private static int[] encodeString(String s, int length, WordOrder order) {
        byte[] text = s.getBytes(StandardCharsets.ISO_8859_1);
        if (!StandardCharsets.ISO_8859_1.newEncoder().canEncode(s)) {
            throw new IllegalArgumentException("'" + s + "' has characters a PLC string cannot hold "
                    + "(one byte per character)");
        }
        if (text.length > length) {
            throw new IllegalArgumentException("'" + s + "' is " + text.length + " characters, the register string "
                    + "holds " + length);
        }
        int[] w = new int[(length + 1) / 2];
        for (int k = 0; k < text.length; k++) {
            int b = text[k] & 0xFF;
            w[k / 2] |= k % 2 == 0 ? b << 8 : b;
        }
        return (order.byteSwap() ? WordOrder.BADC : WordOrder.ABCD).normalise(w, 0, w.length);
    }

    private static long integral(Number n, long min, long max, DataType type) {
        if (n instanceof Double || n instanceof Float) {
            double d = n.doubleValue();
            if (d != Math.rint(d) || Double.isInfinite(d)) {
                throw new IllegalArgumentException(d + " is not a whole number, as a " + type + " needs");
            }
            if (d < min || d > max) {
                throw new IllegalArgumentException(n + " is outside the " + type + " range " + min + " to " + max);
            }
            return (long) d;
        }
        long v = n.longValue();
        if (v < min || v > max) {
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
