package dev.stator.driver.modbus;

import dev.stator.driver.api.AddressException;
import dev.stator.driver.api.DataType;
import dev.stator.driver.api.TagAddress;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A location in a Modbus device, in Stator's one address grammar:
 *
 * <pre>
 *   table:offset[.bit][:type]
 *
 *   table   coil | di | ir | hr      (coils, discrete inputs, input registers, holding registers)
 *   offset  0 .. 65535               ZERO-BASED protocol address, as sent in the request PDU
 *                                    (the register that 40001-style documentation calls 40001 is hr:0)
 *   bit     0 .. 15                  one bit of a register, 0 = least significant; the type is then bool
 *   type    bool int16 uint16 int32 uint32 int64 float32 float64
 *           default: bool for coil and di, uint16 for ir and hr
 * </pre>
 *
 * Examples: {@code coil:0}, {@code di:5}, {@code ir:0:float32}, {@code hr:28:int16}, {@code hr:10.3}.
 * Values wider than 16 bits take consecutive registers, high word first ("ABCD"). The canonical form written by
 * {@link #format()} always names the type of a whole register and never names the default {@code bool} of a bit.
 */
public record ModbusAddress(ModbusTable table, int offset, int bit, DataType dataType) implements TagAddress {

    private static final Pattern GRAMMAR = Pattern.compile(
            "(?<table>[a-zA-Z]+):(?<offset>\\d{1,5})(?:\\.(?<bit>\\d{1,2}))?(?::(?<type>[a-zA-Z0-9]+))?");

    /** The grammar in one line, for error messages. */
    public static final String GRAMMAR_HELP =
            "write table:offset[.bit][:type], e.g. ir:0:float32, hr:10.3, coil:2 (table coil, di, ir or hr; "
                    + "offset zero-based)";

    public ModbusAddress {
        if (bit >= 0 && dataType != DataType.BOOL) {
            throw new IllegalArgumentException("a bit of a register is a bool");
        }
    }

    /** Parses an address; the exception says what is wrong and how to write it. */
    public static ModbusAddress parse(String text) throws AddressException {
        String t = text == null ? "" : text.trim();
        Matcher m = GRAMMAR.matcher(t);
        if (!m.matches()) {
            throw new AddressException("'" + text + "' is not a Modbus address: " + GRAMMAR_HELP);
        }
        ModbusTable table = ModbusTable.byPrefix(m.group("table"));
        if (table == null) {
            throw new AddressException("'" + text + "': unknown table '" + m.group("table")
                    + "' (use coil, di, ir or hr)");
        }
        int offset = Integer.parseInt(m.group("offset"));
        if (offset > 65535) {
            throw new AddressException("'" + text + "': offset " + offset + " is past 65535");
        }
        int bit = -1;
        if (m.group("bit") != null) {
            if (table.isBitTable()) {
                throw new AddressException("'" + text + "': a " + table.prefix()
                        + " is a single bit already; a .bit index applies to ir and hr registers");
            }
            bit = Integer.parseInt(m.group("bit"));
            if (bit > 15) {
                throw new AddressException("'" + text + "': bit " + bit + " is past 15 (a register has 16 bits)");
            }
        }
        DataType type;
        if (m.group("type") != null) {
            try {
                type = DataType.parse(m.group("type"));
            } catch (IllegalArgumentException e) {
                throw new AddressException("'" + text + "': " + e.getMessage());
            }
        } else {
            type = table.isBitTable() || bit >= 0 ? DataType.BOOL : DataType.UINT16;
        }
        if (table.isBitTable() && type != DataType.BOOL) {
            throw new AddressException("'" + text + "': a " + table.prefix() + " holds one bit, so its type is "
                    + "bool, not " + type);
        }
        if (bit >= 0 && type != DataType.BOOL) {
            throw new AddressException("'" + text + "': a register bit is a bool, not " + type);
        }
        if (!table.isBitTable() && bit < 0 && type == DataType.BOOL) {
            throw new AddressException("'" + text + "': a whole register is not a bool; name a bit ("
                    + table.prefix() + ":" + offset + ".0) or a numeric type");
        }
        if (type == DataType.STRING) {
            throw new AddressException("'" + text + "': string tags are not supported yet");
        }
        ModbusAddress address = new ModbusAddress(table, offset, bit, type);
        if (offset + address.count() - 1 > 65535) {
            throw new AddressException("'" + text + "': a " + type + " at " + offset + " runs past address 65535");
        }
        return address;
    }

    /** Registers (or bits, for coil and di) the value occupies. */
    public int count() {
        if (table.isBitTable() || bit >= 0) {
            return 1;
        }
        return Math.max(1, dataType.bits() / 16);
    }

    /** The last address the value occupies. */
    public int end() {
        return offset + count() - 1;
    }

    @Override
    public String format() {
        StringBuilder s = new StringBuilder(table.prefix()).append(':').append(offset);
        if (bit >= 0) {
            s.append('.').append(bit);
        } else if (!table.isBitTable()) {
            s.append(':').append(dataType.text());
        }
        return s.toString();
    }

    @Override
    public boolean isWritableLocation() {
        return table.isWritable();
    }

    @Override
    public String toString() {
        return format();
    }
}
