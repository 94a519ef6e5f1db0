package dev.stator.driver.modbus;

import java.util.Locale;

/**
 * How a value wider than one byte is laid out in registers, as two flags: {@code byteSwap} swaps the two bytes
 * inside every register, {@code wordSwap} reverses the order of the registers. Named after the byte order of a 32-bit
 * value ABCD (A the most significant byte):
 *
 * <pre>
 *   ABCD  big-endian, high word first (the Modbus convention, the default)
 *   CDAB  word swap: low word first
 *   BADC  byte swap inside each word
 *   DCBA  both: fully little-endian
 * </pre>
 *
 * The same flags apply to every width: for 64-bit values CDAB puts the least significant word first (GH EF CD AB);
 * for 16-bit values only the byte swap means anything; strings use the byte swap only.
 */
public enum WordOrder {
    ABCD(false, false),
    CDAB(false, true),
    BADC(true, false),
    DCBA(true, true);

    private final boolean byteSwap;
    private final boolean wordSwap;

    WordOrder(boolean byteSwap, boolean wordSwap) {
        this.byteSwap = byteSwap;
        this.wordSwap = wordSwap;
    }

    public boolean byteSwap() {
        return byteSwap;
    }

    public boolean wordSwap() {
        return wordSwap;
    }

    /** As written in addresses and options: {@code abcd}, {@code cdab}, {@code badc}, {@code dcba}. */
    public String text() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The order named {@code text} (case-insensitive), or {@code null}. */
    public static WordOrder parse(String text) {
        for (WordOrder o : values()) {
            if (o.name().equalsIgnoreCase(text.trim())) {
                return o;
            }
        }
        return null;
    }

    /**
     * Puts the {@code n} registers at {@code words[i..]} into the canonical big-endian order (ABCD), or back: the
     * transformation is its own inverse.
     */
    int[] normalise(int[] words, int i, int n) {
        int[] out = new int[n];
        for (int k = 0; k < n; k++) {
            int w = words[i + (wordSwap ? n - 1 - k : k)] & 0xFFFF;
            out[k] = byteSwap ? ((w & 0xFF) << 8) | (w >>> 8) : w;
        }
        return out;
    }
}
