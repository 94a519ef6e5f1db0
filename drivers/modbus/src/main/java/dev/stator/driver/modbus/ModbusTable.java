package dev.stator.driver.modbus;

import java.util.Locale;

/** The four Modbus data tables, with their prefix in the address grammar and the spec's per-request limits. */
public enum ModbusTable {
    /** Read/write bits, FC1 read, FC5/FC15 write. */
    COIL("coil", true, true, 2000),
    /** Read-only bits, FC2. */
    DISCRETE_INPUT("di", true, false, 2000),
    /** Read-only 16-bit registers, FC4. */
    INPUT_REGISTER("ir", false, false, 125),
    /** Read/write 16-bit registers, FC3 read, FC6/FC16 write. */
    HOLDING_REGISTER("hr", false, true, 125);

    private final String prefix;
    private final boolean bits;
    private final boolean writable;
    private final int maxReadCount;

    ModbusTable(String prefix, boolean bits, boolean writable, int maxReadCount) {
        this.prefix = prefix;
        this.bits = bits;
        this.writable = writable;
        this.maxReadCount = maxReadCount;
    }

    /** As written in addresses: {@code coil}, {@code di}, {@code ir}, {@code hr}. */
    public String prefix() {
        return prefix;
    }

    /** True for coils and discrete inputs (one bit per address). */
    public boolean isBitTable() {
        return bits;
    }

    public boolean isWritable() {
        return writable;
    }

    /** Most items one read request may carry (Modbus spec V1.1b3): 2000 bits or 125 registers. */
    public int maxReadCount() {
        return maxReadCount;
    }

    static ModbusTable byPrefix(String prefix) {
        String p = prefix.toLowerCase(Locale.ROOT);
        for (ModbusTable t : values()) {
            if (t.prefix.equals(p)) {
                return t;
            }
        }
        return null;
    }
}
