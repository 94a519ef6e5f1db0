package dev.stator.bench;

import dev.stator.driver.api.DataType;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The holding registers of one benchmark device, the same for every device: 1,000 registers of a fixed mix of types
 * in a fixed order, laid out contiguously from {@code hr:0} with a few gaps, and the value each tag holds. The slave
 * JVM serves these words; the driver and the raw baseline must decode exactly these values.
 *
 * <p>The mix cycles through {@link #MIX} (12 registers per cycle) until the registers are used up. A gap of
 * {@value #SMALL_GAP} registers follows every {@value #SMALL_GAP_EVERY}th tag, within the driver's default max-gap
 * (10), so a read bridges it; a gap of {@value #LARGE_GAP} registers follows tags {@value #LARGE_GAP_AFTER_1} and
 * {@value #LARGE_GAP_AFTER_2}, wider than the default max-gap, so a read must stop there. Words are big-endian, high
 * word first (byte order abcd, the driver's default).
 */
final class RegisterLayout {

    /** The types in the order they repeat. */
    static final List<DataType> MIX = List.of(DataType.UINT16, DataType.INT16, DataType.INT32, DataType.UINT32,
            DataType.FLOAT32, DataType.FLOAT64);
    static final int REGISTERS = 1000;
    static final int SMALL_GAP = 3;
    static final int SMALL_GAP_EVERY = 40;
    static final int LARGE_GAP = 14;
    static final int LARGE_GAP_AFTER_1 = 167;
    static final int LARGE_GAP_AFTER_2 = 334;

    /**
     * One tag of a device.
     *
     * @param index  position in the layout, from 0
     * @param offset zero-based holding register address of its first word
     * @param type   its type
     */
    record Entry(int index, int offset, DataType type) {

        int registers() {
            return type.bits() / 16;
        }

        int end() {
            return offset + registers() - 1;
        }

        /** The address in Stator's Modbus grammar, e.g. {@code hr:120:float32}. */
        String address() {
            return "hr:" + offset + ":" + type.text();
        }
    }

    private final List<Entry> entries;
    private final int smallGaps;
    private final int largeGaps;

    private RegisterLayout(List<Entry> entries, int smallGaps, int largeGaps) {
        this.entries = Collections.unmodifiableList(entries);
        this.smallGaps = smallGaps;
        this.largeGaps = largeGaps;
    }

    /** The one layout every benchmark device has. */
    static RegisterLayout standard() {
        List<Entry> entries = new ArrayList<>();
        int offset = 0;
        int used = 0;
        int smallGaps = 0;
        int largeGaps = 0;
        for (int i = 0; used < REGISTERS; i++) {
            DataType type = MIX.get(i % MIX.size());
            if (used + type.bits() / 16 > REGISTERS) {
                type = DataType.UINT16; // the last cycle is cut short: fill up with single registers
            }
            Entry e = new Entry(i, offset, type);
            entries.add(e);
            offset += e.registers();
            used += e.registers();
            int tagsSoFar = i + 1;
            if (used < REGISTERS && (tagsSoFar == LARGE_GAP_AFTER_1 || tagsSoFar == LARGE_GAP_AFTER_2)) {
                offset += LARGE_GAP;
                largeGaps++;
            } else if (used < REGISTERS && tagsSoFar % SMALL_GAP_EVERY == 0) {
                offset += SMALL_GAP;
                smallGaps++;
            }
        }
        return new RegisterLayout(entries, smallGaps, largeGaps);
    }

    List<Entry> entries() {
        return entries;
    }

    int tagCount() {
        return entries.size();
    }

    /** Registers from {@code hr:0} to the last word of the last tag, gaps included. */
    int span() {
        return entries.get(entries.size() - 1).end() + 1;
    }

    /** The mix, for the report: {@code 1000 registers in 501 tags (84 uint16, ...)}. */
    String describeMix() {
        Map<DataType, Integer> counts = new EnumMap<>(DataType.class);
        for (Entry e : entries) {
            counts.merge(e.type(), 1, Integer::sum);
        }
        StringBuilder s = new StringBuilder();
        s.append(REGISTERS).append(" registers in ").append(tagCount()).append(" tags (");
        String sep = "";
        for (DataType t : MIX) {
            s.append(sep).append(counts.getOrDefault(t, 0)).append(' ').append(t.text());
            sep = ", ";
        }
        return s.append(')').toString();
    }

    /** Where the tags lie, for the report: {@code hr:0..1063, gaps: 12 x 3 registers, 2 x 14}. */
    String describeSpan() {
        return "hr:0.." + (span() - 1) + ", gaps: " + smallGaps + " x " + SMALL_GAP + " registers, " + largeGaps
                + " x " + LARGE_GAP;
    }

    // ------------------------------------------------------------------ values

    /** The value tag {@code e} of device {@code device} holds, as the driver delivers it: a Long or a Double. */
    static Object expected(int device, Entry e) {
        int i = e.index();
        return switch (e.type()) {
            case UINT16 -> (long) ((37 * i + 101 * device) & 0xFFFF);
            case INT16 -> (long) -(13 * i + device);
            case INT32 -> -1_000_003L * i - device;
            case UINT32 -> 3_000_000_000L + 7L * i + device;
            // Process-like values with a few decimals, not exact binary fractions.
            case FLOAT32 -> (double) (float) (20.0 + 0.137 * i + device);
            case FLOAT64 -> 1000.0 + 0.001 * i + 0.5 * device;
            default -> throw new IllegalStateException("no values of type " + e.type() + " in the layout");
        };
    }

    /** Whether {@code actual} (as read back) is the value tag {@code e} of {@code device} holds. */
    static boolean matches(int device, Entry e, Object actual) {
        Object want = expected(device, e);
        if (!(actual instanceof Number n)) {
            return false;
        }
        if (e.type() == DataType.FLOAT32) {
            // The driver gives the float's shortest decimal as a double: compare as floats.
            return n.floatValue() == ((Number) want).floatValue();
        }
        return actual.equals(want);
    }

    /** The words of registers {@code hr:0 .. span-1} of {@code device}; gaps hold zero. */
    int[] words(int device) {
        int[] words = new int[span()];
        for (Entry e : entries) {
            Object v = expected(device, e);
            long bits = switch (e.type()) {
                case FLOAT32 -> Float.floatToIntBits(((Number) v).floatValue()) & 0xFFFF_FFFFL;
                case FLOAT64 -> Double.doubleToLongBits((Double) v);
                default -> (Long) v;
            };
            int n = e.registers();
            for (int k = 0; k < n; k++) {
                // High word first.
                words[e.offset() + k] = (int) (bits >>> (16 * (n - 1 - k))) & 0xFFFF;
            }
        }
        return words;
    }
}
