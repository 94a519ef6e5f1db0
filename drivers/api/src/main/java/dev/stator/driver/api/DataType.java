package dev.stator.driver.api;

import java.util.Locale;

/**
 * The type of a tag's raw value at the source. In a {@link TagValue}, BOOL arrives as {@link Boolean}, the integer
 * types as {@link Long}, FLOAT32 and FLOAT64 as {@link Double}, STRING as {@link String}.
 */
public enum DataType {
    BOOL("bool", 1),
    INT16("int16", 16),
    UINT16("uint16", 16),
    INT32("int32", 32),
    UINT32("uint32", 32),
    INT64("int64", 64),
    FLOAT32("float32", 32),
    FLOAT64("float64", 64),
    STRING("string", 0);

    private final String text;
    private final int bits;

    DataType(String text, int bits) {
        this.text = text;
        this.bits = bits;
    }

    /** The name as written in project files and addresses, such as {@code float32}. */
    public String text() {
        return text;
    }

    /** Width in bits; 0 for STRING, whose width is given by its length. */
    public int bits() {
        return bits;
    }

    public boolean isNumeric() {
        return this != BOOL && this != STRING;
    }

    public boolean isFloatingPoint() {
        return this == FLOAT32 || this == FLOAT64;
    }

    /** Parses a type name as written in project files ({@code float32}, case-insensitive). */
    public static DataType parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        for (DataType type : values()) {
            if (type.text.equals(t)) {
                return type;
            }
        }
        throw new IllegalArgumentException("unknown data type '" + text + "' (known: bool, int16, uint16, int32, "
                + "uint32, int64, float32, float64, string)");
    }

    @Override
    public String toString() {
        return text;
    }
}
