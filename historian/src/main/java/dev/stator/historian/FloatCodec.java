package dev.stator.historian;

import java.util.Arrays;

/**
 * Lossless encodings of a sequence of doubles, chosen per interval:
 * <ul>
 *   <li><b>decimal</b>: values that are decimals with few digits (21.37, or the float32 nearest to one, as a
 *       transmitter reporting 0.01 units in a float32 register gives) are stored as integers {@code n} with
 *       {@code value = n / 10^e}, as ALP does (Afroozeh, Kuffo, Boncz, SIGMOD 2024), then delta and Rice coded.
 *       Values that do not round-trip bit for bit are kept raw as exceptions;</li>
 *   <li><b>XOR</b>: Gorilla's scheme (Pelkonen et al., VLDB 2015): each value XOR the previous, leading and
 *       trailing zero counts, meaningful bits. On 32-bit patterns when every value is exactly a float32, as Modbus
 *       float32 readings are, so that the 29 always-zero low bits of such a double cost nothing.</li>
 * </ul>
 * Every value comes back with its exact bits, NaN payloads and -0.0 included.
 */
final class FloatCodec {

    static final int XOR64 = 0;
    static final int XOR32 = 1;
    static final int DECIMAL64 = 2;
    static final int DECIMAL32 = 3;

    private static final int CODEC_BITS = 2;
    private static final int EXPONENT_BITS = 5;
    private static final int MAX_EXPONENT_64 = 17;
    private static final int MAX_EXPONENT_32 = 9;
    private static final int SAMPLE = 32;
    private static final double[] POW10 = new double[MAX_EXPONENT_64 + 1];

    static {
        double p = 1;
        for (int i = 0; i <= MAX_EXPONENT_64; i++) {
            POW10[i] = p;
            p *= 10;
        }
    }

    private FloatCodec() {
    }

    /** Writes {@code count} (at least 1) double bit patterns; {@code scratch} holds at least {@code count}. */
    static void write(BitWriter out, long[] bits, int offset, int count, long[] scratch) {
        boolean allFloat = true;
        for (int i = offset; i < offset + count && allFloat; i++) {
            allFloat = isFloat(bits[i]);
        }
        int exponent = decimalExponent(bits, offset, count, allFloat);
        if (exponent >= 0 && writeDecimal(out, bits, offset, count, allFloat, exponent, scratch)) {
            return;
        }
        if (allFloat) {
            out.write(XOR32, CODEC_BITS);
            writeXor32(out, bits, offset, count);
        } else {
            out.write(XOR64, CODEC_BITS);
            writeXor64(out, bits, offset, count);
        }
    }

    static void read(BitReader in, long[] bits, int offset, int count, long[] scratch) {
        int codec = (int) in.read(CODEC_BITS);
        switch (codec) {
            case XOR64 -> readXor64(in, bits, offset, count);
            case XOR32 -> readXor32(in, bits, offset, count);
            default -> readDecimal(in, bits, offset, count, codec == DECIMAL32, scratch);
        }
    }

    static boolean isFloat(long bits) {
        double d = Double.longBitsToDouble(bits);
        return Double.doubleToRawLongBits((float) d) == bits;
    }

    /** The decimal exponent that suits most of a sample of the values, or -1 when decimals do not fit them. */
    private static int decimalExponent(long[] bits, int offset, int count, boolean asFloat) {
        int step = Math.max(1, count / SAMPLE);
        int sampled = 0;
        int max = asFloat ? MAX_EXPONENT_32 : MAX_EXPONENT_64;
        int[] fits = new int[max + 1];
        for (int i = offset; i < offset + count; i += step) {
            sampled++;
            double v = Double.longBitsToDouble(bits[i]);
            for (int e = 0; e <= max; e++) {
                if (encodesAs(v, bits[i], e, asFloat)) {
                    fits[e]++;
                    // A larger exponent fits too but gives larger integers; the smallest is enough here.
                    break;
                }
            }
        }
        int best = -1;
        int bestFits = 0;
        int cumulative = 0;
        for (int e = 0; e <= max; e++) {
            cumulative += fits[e];
            if (cumulative > bestFits) {
                bestFits = cumulative;
                best = e;
            }
        }
        return bestFits * 10 >= sampled * 9 ? best : -1;
    }

    private static boolean encodesAs(double v, long bits, int e, boolean asFloat) {
        double scaled = v * POW10[e];
        if (!(Math.abs(scaled) < 9.0e15)) {
            return false;
        }
        return decode(Math.round(scaled), e, asFloat) == bits;
    }

    private static long decode(long n, int e, boolean asFloat) {
        double v = n / POW10[e];
        return asFloat ? Double.doubleToRawLongBits((float) v) : Double.doubleToRawLongBits(v);
    }

    private static boolean writeDecimal(BitWriter out, long[] bits, int offset, int count, boolean asFloat,
                                        int e, long[] scratch) {
        int[] exceptions = new int[4];
        int exceptionCount = 0;
        long previous = 0;
        for (int i = 0; i < count; i++) {
            long b = bits[offset + i];
            double v = Double.longBitsToDouble(b);
            if (encodesAs(v, b, e, asFloat)) {
                previous = Math.round(v * POW10[e]);
            } else {
                if (exceptionCount == exceptions.length) {
                    exceptions = Arrays.copyOf(exceptions, exceptionCount * 2);
                }
                exceptions[exceptionCount++] = i;
                if (exceptionCount * 8 > count) {
                    return false;
                }
                // An exception repeats the previous integer: a zero delta costs the least.
            }
            scratch[i] = previous;
        }
        out.write(asFloat ? DECIMAL32 : DECIMAL64, CODEC_BITS);
        out.write(e, EXPONENT_BITS);
        out.writeVarInt(exceptionCount);
        int last = 0;
        for (int x = 0; x < exceptionCount; x++) {
            int i = exceptions[x];
            out.writeVarInt(i - last);
            last = i;
            long b = bits[offset + i];
            if (asFloat) {
                out.write(floatBits(b), 32);
            } else {
                out.write(b, 64);
            }
        }
        previous = 0;
        for (int i = 0; i < count; i++) {
            long n = scratch[i];
            long delta = n - previous;
            previous = n;
            scratch[i] = (delta << 1) ^ (delta >> 63);
        }
        RiceCoder.write(out, scratch, 0, count);
        return true;
    }

    private static void readDecimal(BitReader in, long[] bits, int offset, int count, boolean asFloat,
                                    long[] scratch) {
        int e = (int) in.read(EXPONENT_BITS);
        int exceptions = in.readVarInt();
        int[] at = new int[exceptions];
        long[] raw = new long[exceptions];
        int last = 0;
        for (int x = 0; x < exceptions; x++) {
            last += in.readVarInt();
            at[x] = last;
            raw[x] = asFloat ? Double.doubleToRawLongBits(Float.intBitsToFloat((int) in.read(32))) : in.read(64);
        }
        RiceCoder.read(in, scratch, 0, count);
        long n = 0;
        int next = 0;
        for (int i = 0; i < count; i++) {
            long z = scratch[i];
            n += (z >>> 1) ^ -(z & 1);
            if (next < exceptions && at[next] == i) {
                bits[offset + i] = raw[next++];
            } else {
                bits[offset + i] = decode(n, e, asFloat);
            }
        }
    }

    private static void writeXor64(BitWriter out, long[] bits, int offset, int count) {
        long previous = bits[offset];
        out.write(previous, 64);
        int lead = -1;
        int trail = 0;
        for (int i = offset + 1; i < offset + count; i++) {
            long x = bits[i] ^ previous;
            previous = bits[i];
            if (x == 0) {
                out.write(0, 1);
                continue;
            }
            int l = Long.numberOfLeadingZeros(x);
            int t = Long.numberOfTrailingZeros(x);
            if (lead >= 0 && l >= lead && t >= trail) {
                out.write(0b10, 2);
                out.write(x >>> trail, 64 - lead - trail);
            } else {
                lead = l;
                trail = t;
                int length = 64 - l - t;
                out.write(0b11, 2);
                out.write(l, 6);
                out.write(length - 1, 6);
                out.write(x >>> t, length);
            }
        }
    }

    private static void readXor64(BitReader in, long[] bits, int offset, int count) {
        long previous = in.read(64);
        bits[offset] = previous;
        int length = 0;
        int trail = 0;
        for (int i = offset + 1; i < offset + count; i++) {
            if (in.readBit()) {
                if (in.readBit()) {
                    int lead = (int) in.read(6);
                    length = (int) in.read(6) + 1;
                    trail = 64 - lead - length;
                }
                previous ^= in.read(length) << trail;
            }
            bits[i] = previous;
        }
    }

    private static void writeXor32(BitWriter out, long[] bits, int offset, int count) {
        int previous = floatBits(bits[offset]);
        out.write(previous, 32);
        int lead = -1;
        int trail = 0;
        for (int i = offset + 1; i < offset + count; i++) {
            int current = floatBits(bits[i]);
            int x = current ^ previous;
            previous = current;
            if (x == 0) {
                out.write(0, 1);
                continue;
            }
            int l = Integer.numberOfLeadingZeros(x);
            int t = Integer.numberOfTrailingZeros(x);
            if (lead >= 0 && l >= lead && t >= trail) {
                out.write(0b10, 2);
                out.write(x >>> trail, 32 - lead - trail);
            } else {
                lead = l;
                trail = t;
                int length = 32 - l - t;
                out.write(0b11, 2);
                out.write(l, 5);
                out.write(length - 1, 5);
                out.write(x >>> t, length);
            }
        }
    }

    private static void readXor32(BitReader in, long[] bits, int offset, int count) {
        int previous = (int) in.read(32);
        bits[offset] = doubleBits(previous);
        int length = 0;
        int trail = 0;
        for (int i = offset + 1; i < offset + count; i++) {
            if (in.readBit()) {
                if (in.readBit()) {
                    int lead = (int) in.read(5);
                    length = (int) in.read(5) + 1;
                    trail = 32 - lead - length;
                }
                previous ^= (int) in.read(length) << trail;
            }
            bits[i] = doubleBits(previous);
        }
    }

    private static int floatBits(long doubleBits) {
        return Float.floatToRawIntBits((float) Double.longBitsToDouble(doubleBits));
    }

    private static long doubleBits(int floatBits) {
        return Double.doubleToRawLongBits(Float.intBitsToFloat(floatBits));
    }
}
