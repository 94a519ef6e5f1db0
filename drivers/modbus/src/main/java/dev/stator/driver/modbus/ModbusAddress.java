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
 *   [unit:]table:offset[.bit][:type[[n]]][:order]
 *
 *   unit    0 .. 255                 unit id, when it differs from the device's (a gateway with several units)
 *   table   coil | di | ir | hr      coils, discrete inputs, input registers, holding registers
 *   offset  0 .. 65535               ZERO-BASED protocol address, as sent in the request PDU
 *                                    (the register that 40001-style documentation calls 40001 is hr:0)
 *   bit     0 .. 15                  one bit of a register, 0 = least significant; the type is then bool
 *   type    bool int16 uint16 int32 uint32 int64 float32 float64 string
 *           default: bool for coil and di, uint16 for ir and hr
 *   [n]     for string: its length in characters (bytes, two per register), required
 *           for any other type: an array of n values read together
 *   order   abcd cdab badc dcba      byte order of this tag, overriding the device's (see {@link WordOrder})
 * </pre>
 *
 * Examples: {@code coil:0}, {@code di:5}, {@code ir:0:float32}, {@code hr:28:int16}, {@code hr:10.3},
 * {@code hr:100:float32:cdab}, {@code hr:200:string[16]}, {@code ir:0:uint16[10]}, {@code 2:hr:0:float32}.
 * The canonical form written by {@link #format()} always names the type of registers and never the default
 * {@code bool} of bits; it is what {@link #parse} reads back to an equal address.
 *
 * @param unitId  the unit id, or -1 for the device's
 * @param table   the table
 * @param offset  zero-based address of the first register or bit
 * @param bit     bit index in the register, or -1
 * @param dataType the type of the value, or of each element of an array
 * @param length  0 for a single value; the string length in characters; or the number of array elements
 * @param order   the byte order of this tag, or {@code null} for the device's
 */
public record ModbusAddress(int unitId, ModbusTable table, int offset, int bit, DataType dataType, int length,
                            WordOrder order) implements TagAddress {

    private static final Pattern GRAMMAR = Pattern.compile(
            "(?:(?<unit>\\d{1,3}):)?(?<table>[a-zA-Z]+):(?<offset>\\d{1,5})(?:\\.(?<bit>\\d{1,2}))?"
                    + "(?::(?<type>[a-zA-Z]+[0-9]*)(?:\\[(?<len>\\d{1,5})])?)?(?::(?<order>[a-zA-Z]{4}))?");

    /** The grammar in one line, for error messages. */
    public static final String GRAMMAR_HELP = "write [unit:]table:offset[.bit][:type[[n]]][:order], e.g. "
            + "ir:0:float32, hr:10.3, coil:2, hr:100:float32:cdab, hr:200:string[16] (table coil, di, ir or hr; "
            + "offset zero-based)";

    /** A single value at {@code offset} with the device's unit id and byte order. */
    public ModbusAddress(ModbusTable table, int offset, int bit, DataType dataType) {
        this(-1, table, offset, bit, dataType, 0, null);
    }

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
        int unit = -1;
        if (m.group("unit") != null) {
            unit = Integer.parseInt(m.group("unit"));
            if (unit > 255) {
                throw new AddressException("'" + text + "': unit id " + unit + " is past 255");
            }
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
        String typeText = m.group("type");
        String orderText = m.group("order");
        if (typeText != null && orderText == null && m.group("len") == null && WordOrder.parse(typeText) != null) {
            // "hr:5:badc": a byte order on the default type.
            orderText = typeText;
            typeText = null;
        }
        DataType type;
        if (typeText != null) {
            try {
                type = DataType.parse(typeText);
            } catch (IllegalArgumentException e) {
                throw new AddressException("'" + text + "': " + e.getMessage());
            }
        } else {
            type = table.isBitTable() || bit >= 0 ? DataType.BOOL : DataType.UINT16;
        }
        int length = m.group("len") == null ? 0 : Integer.parseInt(m.group("len"));
        WordOrder order = null;
        if (orderText != null) {
            order = WordOrder.parse(orderText);
            if (order == null) {
                throw new AddressException("'" + text + "': unknown byte order '" + orderText
                        + "' (use abcd, cdab, badc or dcba)");
            }
        }
        check(text, table, bit, type, length, order, m.group("len") != null);
        ModbusAddress address = new ModbusAddress(unit, table, offset, bit, type, length, order);
        int count = address.count();
        if (count > table.maxReadCount()) {
            throw new AddressException("'" + text + "': takes " + count + (table.isBitTable() ? " bits" : " registers")
                    + ", more than one request can read (" + table.maxReadCount() + ")");
        }
        if (offset + count - 1 > 65535) {
            throw new AddressException("'" + text + "': runs past address 65535");
        }
        return address;
    }

    /**
     * Converts an address in the conventional Modicon notation found in PLC documentation and other tools' tag lists:
     * five or six digits whose first digit names the table and whose rest is ONE-based, {@code 0xxxx} coils,
     * {@code 1xxxx} discrete inputs, {@code 3xxxx} input registers, {@code 4xxxx} holding registers (40001 and
     * 400001 are both {@code hr:0}). A canonical address is accepted too. {@code type} and {@code length} give what
     * the notation cannot say ({@code null} and 0 for the table's default).
     */
    public static ModbusAddress fromConventional(String text, DataType type, int length) throws AddressException {
        String t = text == null ? "" : text.trim();
        if (!t.matches("\\d{5,6}")) {
            ModbusAddress a = parse(t);
            if (type != null && type != a.dataType()) {
                throw new AddressException("'" + text + "' holds a " + a.dataType() + " value, but the type given is "
                        + type);
            }
            return a;
        }
        ModbusTable table = switch (t.charAt(0)) {
            case '0' -> ModbusTable.COIL;
            case '1' -> ModbusTable.DISCRETE_INPUT;
            case '3' -> ModbusTable.INPUT_REGISTER;
            case '4' -> ModbusTable.HOLDING_REGISTER;
            default -> throw new AddressException("'" + text + "': a conventional address starts with 0 (coil), 1 "
                    + "(discrete input), 3 (input register) or 4 (holding register)");
        };
        int number = Integer.parseInt(t.substring(1));
        if (number < 1 || number > 65536) {
            throw new AddressException("'" + text + "': the number after the table digit runs from 1 to 65536");
        }
        StringBuilder canonical = new StringBuilder(table.prefix()).append(':').append(number - 1);
        DataType actual = type != null ? type : table.isBitTable() ? DataType.BOOL : DataType.UINT16;
        if (!table.isBitTable() || length > 0 || actual != DataType.BOOL) {
            canonical.append(':').append(actual.text());
            if (length > 0) {
                canonical.append('[').append(length).append(']');
            }
        }
        return parse(canonical.toString());
    }

    private static void check(String text, ModbusTable table, int bit, DataType type, int length,
                              WordOrder order, boolean lengthGiven) throws AddressException {
        if (table.isBitTable() && type != DataType.BOOL) {
            throw new AddressException("'" + text + "': a " + table.prefix() + " holds one bit, so its type is "
                    + "bool, not " + type);
        }
        if (bit >= 0 && type != DataType.BOOL) {
            throw new AddressException("'" + text + "': a register bit is a bool, not " + type);
        }
        if (!table.isBitTable() && bit < 0 && type == DataType.BOOL) {
            throw new AddressException("'" + text + "': a whole register is not a bool; name a bit ("
                    + table.prefix() + ":n.0) or a numeric type");
        }
        if (lengthGiven && length < 1) {
            throw new AddressException("'" + text + "': a length must be at least 1");
        }
        if (type == DataType.STRING && !lengthGiven) {
            throw new AddressException("'" + text + "': a string needs its length in characters, e.g. string[16]");
        }
        if (bit >= 0 && lengthGiven) {
            throw new AddressException("'" + text + "': a register bit cannot be an array");
        }
        if (order != null) {
            if (type == DataType.BOOL) {
                throw new AddressException("'" + text + "': a byte order means nothing for a bit");
            }
            boolean wide = type.bits() > 16;
            if (order.wordSwap() && !wide) {
                throw new AddressException("'" + text + "': " + order.text() + " swaps words, but a " + type
                        + " has none to swap (use abcd or badc)");
            }
        }
    }

    /** Registers (or bits, for coil and di) the value occupies. */
    public int count() {
        if (table.isBitTable() || bit >= 0) {
            return Math.max(1, length);
        }
        if (dataType == DataType.STRING) {
            return (length + 1) / 2;
        }
        return registersPerValue() * Math.max(1, length);
    }

    /** Registers of one value (one element of an array). */
    int registersPerValue() {
        return Math.max(1, dataType.bits() / 16);
    }

    /** Whether the tag is an array of {@link #length()} values. */
    public boolean isArray() {
        return length > 0 && dataType != DataType.STRING;
    }

    /** The last address the value occupies. */
    public int end() {
        return offset + count() - 1;
    }

    /** The byte order to use: this tag's, else {@code deviceOrder}. */
    WordOrder orderOr(WordOrder deviceOrder) {
        return order != null ? order : deviceOrder;
    }

    /** The unit id to use: this tag's, else {@code deviceUnit}. */
    int unitOr(int deviceUnit) {
        return unitId >= 0 ? unitId : deviceUnit;
    }

    @Override
    public String format() {
        StringBuilder s = new StringBuilder();
        if (unitId >= 0) {
            s.append(unitId).append(':');
        }
        s.append(table.prefix()).append(':').append(offset);
        if (bit >= 0) {
            s.append('.').append(bit);
        } else if (!table.isBitTable() || length > 0) {
            s.append(':').append(dataType.text());
            if (length > 0) {
                s.append('[').append(length).append(']');
            }
        }
        if (order != null) {
            s.append(':').append(order.text());
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
