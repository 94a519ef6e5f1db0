package dev.stator.historian;

import java.util.Arrays;

/**
 * Writes bits most significant first into a growing byte array: the output side of every chunk encoding. Byte-sized
 * fields (varints, text) are written through the same bit stream, so one stream holds a whole interval. Not
 * thread-safe; one per encoding.
 */
final class BitWriter {

    private byte[] buffer;
    private int bytes;
    /** Pending bits, right-aligned: the lowest {@code pending} bits of {@code accumulator}. */
    private long accumulator;
    private int pending;

    BitWriter(int initialCapacity) {
        buffer = new byte[Math.max(16, initialCapacity)];
    }

    /** Writes the lowest {@code count} bits of {@code value}, 0 to 64. */
    void write(long value, int count) {
        if (count == 0) {
            return;
        }
        if (count > 32) {
            write32((int) (value >>> 32), count - 32);
            write32((int) value, 32);
        } else {
            write32((int) value, count);
        }
    }

    private void write32(int value, int count) {
        long masked = count == 32 ? value & 0xFFFF_FFFFL : value & ((1L << count) - 1);
        accumulator = (accumulator << count) | masked;
        pending += count;
        while (pending >= 8) {
            pending -= 8;
            put((byte) (accumulator >>> pending));
        }
    }

    void writeBit(boolean bit) {
        write32(bit ? 1 : 0, 1);
    }

    /** {@code count} one bits, then a zero when {@code terminate}: the unary part of a Rice code. */
    void writeOnes(int count, boolean terminate) {
        int left = count;
        while (left >= 31) {
            write32(0x7FFF_FFFF, 31);
            left -= 31;
        }
        if (terminate) {
            write32(((1 << left) - 1) << 1, left + 1);
        } else if (left > 0) {
            write32((1 << left) - 1, left);
        }
    }

    /** An unsigned variable-length integer, 7 bits per byte, low groups first. */
    void writeVarLong(long value) {
        long v = value;
        while ((v & ~0x7FL) != 0) {
            write32((int) ((v & 0x7F) | 0x80), 8);
            v >>>= 7;
        }
        write32((int) v, 8);
    }

    void writeVarInt(int value) {
        writeVarLong(value & 0xFFFF_FFFFL);
    }

    /** A signed value, small in magnitude either way. */
    void writeZigZag(long value) {
        writeVarLong((value << 1) ^ (value >> 63));
    }

    void writeBytes(byte[] data, int offset, int length) {
        if (pending == 0) {
            ensure(length);
            System.arraycopy(data, offset, buffer, bytes, length);
            bytes += length;
        } else {
            for (int i = 0; i < length; i++) {
                write32(data[offset + i] & 0xFF, 8);
            }
        }
    }

    /** Pads the last byte with zero bits, so that the next field starts on a byte. */
    void alignToByte() {
        if (pending > 0) {
            write32(0, 8 - pending);
        }
    }

    /** Appends the whole content of {@code other} after padding this stream to a byte. */
    void append(BitWriter other) {
        alignToByte();
        byte[] data = other.toByteArray();
        writeBytes(data, 0, data.length);
    }

    long bitLength() {
        return bytes * 8L + pending;
    }

    /** The number of bytes {@link #toByteArray()} gives. */
    int byteLength() {
        return bytes + (pending > 0 ? 1 : 0);
    }

    /** Copies the bytes written so far (the last one padded) into {@code target} at {@code offset}. */
    int copyTo(byte[] target, int offset) {
        System.arraycopy(buffer, 0, target, offset, bytes);
        if (pending > 0) {
            target[offset + bytes] = (byte) (accumulator << (8 - pending));
        }
        return offset + byteLength();
    }

    /** The bytes written so far, the last one padded with zero bits. */
    byte[] toByteArray() {
        byte[] out = Arrays.copyOf(buffer, bytes + (pending > 0 ? 1 : 0));
        if (pending > 0) {
            out[bytes] = (byte) (accumulator << (8 - pending));
        }
        return out;
    }

    void reset() {
        bytes = 0;
        pending = 0;
        accumulator = 0;
    }

    private void put(byte b) {
        if (bytes == buffer.length) {
            buffer = Arrays.copyOf(buffer, buffer.length * 2);
        }
        buffer[bytes++] = b;
    }

    private void ensure(int more) {
        if (bytes + more > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, bytes + more));
        }
    }
}
