package dev.stator.historian;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Reads what a {@link BitWriter} wrote, most significant bit first. Reading past the end yields zero bits and is
 * caught by {@link #checkWithin()}; a chunk is checked once after decoding rather than on every field. Not
 * thread-safe; one per decoding.
 */
final class BitReader {

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private final byte[] data;
    private final int start;
    private final int end;
    /** Bit position from {@code start}. */
    private long position;

    BitReader(byte[] data, int offset, int length) {
        this.data = data;
        this.start = offset;
        this.end = offset + length;
    }

    /** The next {@code count} bits, 0 to 64, as an unsigned value. */
    long read(int count) {
        if (count == 0) {
            return 0;
        }
        if (count > 56) {
            long high = read(count - 32);
            return (high << 32) | read(32);
        }
        long value = peek64() >>> (64 - count);
        position += count;
        return value;
    }

    boolean readBit() {
        return read(1) != 0;
    }

    /** Counts one bits up to {@code max} (at most 56) and consumes them, plus the terminating zero when below max. */
    int readOnes(int max) {
        long window = peek64();
        int ones = Long.numberOfLeadingZeros(~window);
        if (ones >= max) {
            position += max;
            return max;
        }
        position += ones + 1;
        return ones;
    }

    long readVarLong() {
        long value = 0;
        int shift = 0;
        while (true) {
            int b = (int) read(8);
            value |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
            shift += 7;
            if (shift > 63) {
                throw new IllegalStateException("a variable-length number runs past 64 bits");
            }
        }
    }

    int readVarInt() {
        return (int) readVarLong();
    }

    long readZigZag() {
        long v = readVarLong();
        return (v >>> 1) ^ -(v & 1);
    }

    void readBytes(byte[] target, int offset, int length) {
        if ((position & 7) == 0) {
            int from = start + (int) (position >>> 3);
            if (from + length > end) {
                throw new IllegalStateException("a byte field runs past the end of the chunk");
            }
            System.arraycopy(data, from, target, offset, length);
            position += 8L * length;
        } else {
            for (int i = 0; i < length; i++) {
                target[offset + i] = (byte) read(8);
            }
        }
    }

    void alignToByte() {
        position = (position + 7) & ~7L;
    }

    long bitPosition() {
        return position;
    }

    /** Throws when decoding read beyond the data, which only a damaged or misread chunk does. */
    void checkWithin() {
        if (position > 8L * (end - start)) {
            throw new IllegalStateException("decoding ran " + (position - 8L * (end - start)) + " bits past the data");
        }
    }

    /** 64 bits from the current position, zeros beyond the end; at least 57 of them are meaningful. */
    private long peek64() {
        int index = start + (int) (position >>> 3);
        int shift = (int) (position & 7);
        long word;
        if (index + 8 <= end) {
            word = (long) LONGS.get(data, index);
        } else {
            word = 0;
            for (int i = 0; i < 8; i++) {
                int at = index + i;
                word = (word << 8) | (at < end ? data[at] & 0xFF : 0);
            }
        }
        return word << shift;
    }
}
