package dev.stator.driver.opcua;

import dev.stator.driver.api.DataType;
import dev.stator.driver.api.Quality;
import org.eclipse.milo.opcua.stack.core.OpcUaDataType;
import org.eclipse.milo.opcua.stack.core.types.builtin.ExtensionObject;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UByte;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UInteger;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.ULong;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UNumber;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UShort;

import java.math.BigInteger;
import java.util.EnumSet;
import java.util.Set;

/**
 * Conversions between OPC UA values and tag values, both ways, with the checks that make them honest: a node's
 * DataType against the tag's type at connect, each received value into the tag's type, and each written value into
 * the node's DataType, refusing what does not fit before anything is sent.
 */
final class Values {

    static final String NOT_SUPPORTED = "arrays and structures are not supported yet";

    private static final Set<OpcUaDataType> INTEGERS = EnumSet.of(OpcUaDataType.SByte, OpcUaDataType.Byte,
            OpcUaDataType.Int16, OpcUaDataType.UInt16, OpcUaDataType.Int32, OpcUaDataType.UInt32,
            OpcUaDataType.Int64, OpcUaDataType.UInt64);

    private Values() {
    }

    /** A value that cannot become what was asked, with the quality saying how. */
    static final class Refused extends Exception {
        final Quality quality;

        Refused(Quality quality, String message) {
            super(message);
            this.quality = quality;
        }
    }

    /** The tag type that holds a node's values best, or null when Stator has no such type. */
    static DataType tagTypeFor(OpcUaDataType node) {
        if (node == null) {
            return null;
        }
        return switch (node) {
            case Boolean -> DataType.BOOL;
            case SByte, Int16, Byte -> DataType.INT16;
            case UInt16 -> DataType.UINT16;
            case Int32 -> DataType.INT32;
            case UInt32 -> DataType.UINT32;
            case Int64, UInt64 -> DataType.INT64;
            case Float -> DataType.FLOAT32;
            case Double -> DataType.FLOAT64;
            case String, LocalizedText -> DataType.STRING;
            default -> null;
        };
    }

    /**
     * Why a node of type {@code node} cannot feed a tag of type {@code tag}, or null when it can. A null
     * {@code node} (an abstract type such as BaseDataType or Number) is checked value by value instead.
     */
    static String mismatch(DataType tag, OpcUaDataType node) {
        if (node == null) {
            return null;
        }
        boolean ok = switch (tag) {
            case BOOL -> node == OpcUaDataType.Boolean;
            case STRING -> node == OpcUaDataType.String || node == OpcUaDataType.LocalizedText;
            case FLOAT32, FLOAT64 -> INTEGERS.contains(node) || node == OpcUaDataType.Float
                    || node == OpcUaDataType.Double;
            default -> INTEGERS.contains(node);
        };
        if (ok) {
            return null;
        }
        if (node == OpcUaDataType.ExtensionObject || node == OpcUaDataType.Variant
                || node == OpcUaDataType.DataValue) {
            return NOT_SUPPORTED;
        }
        DataType better = tagTypeFor(node);
        return "the node holds " + node.name() + " values, which a " + tag.text() + " tag cannot take"
                + (better == null ? " (Stator tags have no type for " + node.name() + " yet)"
                : ": end the address with ;" + better.text());
    }

    /** A received value in the tag's type: Boolean, Long, Double or String. */
    static Object fromOpcUa(Object value, DataType type) throws Refused {
        if (value == null) {
            throw new Refused(Quality.of(0x809B_0000L), "Bad_NoData: the server sent no value");
        }
        if (value.getClass().isArray() || value instanceof ExtensionObject || value instanceof Variant) {
            throw new Refused(Quality.BAD_NOT_SUPPORTED, NOT_SUPPORTED);
        }
        switch (type) {
            case BOOL -> {
                if (value instanceof Boolean) {
                    return value;
                }
            }
            case STRING -> {
                if (value instanceof String) {
                    return value;
                }
                if (value instanceof LocalizedText t) {
                    return t.text() == null ? "" : t.text();
                }
            }
            case FLOAT32, FLOAT64 -> {
                if (value instanceof Number n && !(value instanceof BigInteger)) {
                    double d = n instanceof ULong u ? u.toBigInteger().doubleValue() : n.doubleValue();
                    return type == DataType.FLOAT32 ? (double) (float) d : d;
                }
            }
            default -> {
                BigInteger i = integer(value);
                if (i != null) {
                    if (!fits(i, type)) {
                        throw new Refused(Quality.BAD_OUT_OF_RANGE, "the value " + i + " does not fit an " + type.text()
                                + " tag");
                    }
                    return i.longValue();
                }
            }
        }
        throw new Refused(Quality.BAD_TYPE_MISMATCH, "the server sent " + describe(value) + ", which a "
                + type.text() + " tag cannot take");
    }

    private static BigInteger integer(Object value) {
        if (value instanceof Byte || value instanceof Short || value instanceof Integer || value instanceof Long) {
            return BigInteger.valueOf(((Number) value).longValue());
        }
        if (value instanceof UNumber u) {
            return u.toBigInteger();
        }
        return null;
    }

    private static boolean fits(BigInteger i, DataType type) {
        long min;
        long max;
        switch (type) {
            case INT16 -> {
                min = Short.MIN_VALUE;
                max = Short.MAX_VALUE;
            }
            case UINT16 -> {
                min = 0;
                max = 0xFFFF;
            }
            case INT32 -> {
                min = Integer.MIN_VALUE;
                max = Integer.MAX_VALUE;
            }
            case UINT32 -> {
                min = 0;
                max = 0xFFFF_FFFFL;
            }
            default -> {
                min = Long.MIN_VALUE;
                max = Long.MAX_VALUE;
            }
        }
        return i.compareTo(BigInteger.valueOf(min)) >= 0 && i.compareTo(BigInteger.valueOf(max)) <= 0;
    }

    /** {@code Boolean true}, for messages. */
    static String describe(Object value) {
        if (value == null) {
            return "no value";
        }
        OpcUaDataType t = null;
        try {
            t = OpcUaDataType.fromBackingClass(value.getClass());
        } catch (RuntimeException e) {
            // Not a built-in type: the Java class name says enough.
        }
        return (t == null ? value.getClass().getSimpleName() : t.name()) + " " + value;
    }

    /**
     * The value to write to a node of type {@code node}: Boolean, whole numbers within the type's range, any
     * finite number for Float and Double, text for String.
     *
     * @throws Refused with Bad_TypeMismatch or Bad_OutOfRange and a message saying what the node takes
     */
    static Variant toOpcUa(Object value, OpcUaDataType node) throws Refused {
        if (node == null) {
            throw new Refused(Quality.BAD_NOT_SUPPORTED, "the node's DataType is abstract or not a built-in type; "
                    + "writing it is not supported yet");
        }
        switch (node) {
            case Boolean -> {
                if (value instanceof Boolean b) {
                    return Variant.ofBoolean(b);
                }
                throw mismatch(value, node, "true or false");
            }
            case String -> {
                if (value instanceof String s) {
                    return Variant.ofString(s);
                }
                throw mismatch(value, node, "text");
            }
            case LocalizedText -> {
                if (value instanceof String s) {
                    return Variant.ofLocalizedText(LocalizedText.english(s));
                }
                throw mismatch(value, node, "text");
            }
            case Float, Double -> {
                if (!(value instanceof Number n)) {
                    throw mismatch(value, node, "a number");
                }
                double d = n.doubleValue();
                if (!Double.isFinite(d) && !Double.isNaN(d)) {
                    throw new Refused(Quality.BAD_OUT_OF_RANGE, d + " is not a finite number");
                }
                if (node == OpcUaDataType.Float) {
                    if (Math.abs(d) > java.lang.Float.MAX_VALUE) {
                        throw new Refused(Quality.BAD_OUT_OF_RANGE, d + " is out of range for Float");
                    }
                    return Variant.ofFloat((float) d);
                }
                return Variant.ofDouble(d);
            }
            default -> {
                if (!INTEGERS.contains(node)) {
                    throw new Refused(Quality.BAD_NOT_SUPPORTED, "writing " + node.name() + " nodes is not "
                            + "supported yet");
                }
                return integerVariant(value, node);
            }
        }
    }

    private static Variant integerVariant(Object value, OpcUaDataType node) throws Refused {
        long v;
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            v = ((Number) value).longValue();
        } else if (value instanceof Double || value instanceof java.lang.Float) {
            double d = ((Number) value).doubleValue();
            if (d != Math.rint(d) || Double.isInfinite(d)) {
                throw new Refused(Quality.BAD_TYPE_MISMATCH, d + " is not a whole number, and the node is "
                        + node.name());
            }
            if (Math.abs(d) >= 0x1p63) {
                throw new Refused(Quality.BAD_OUT_OF_RANGE, d + " is out of range for " + node.name());
            }
            v = (long) d;
        } else {
            throw mismatch(value, node, "a whole number");
        }
        long min;
        long max;
        switch (node) {
            case SByte -> {
                min = Byte.MIN_VALUE;
                max = Byte.MAX_VALUE;
            }
            case Byte -> {
                min = 0;
                max = 0xFF;
            }
            case Int16 -> {
                min = Short.MIN_VALUE;
                max = Short.MAX_VALUE;
            }
            case UInt16 -> {
                min = 0;
                max = 0xFFFF;
            }
            case Int32 -> {
                min = Integer.MIN_VALUE;
                max = Integer.MAX_VALUE;
            }
            case UInt32 -> {
                min = 0;
                max = 0xFFFF_FFFFL;
            }
            case UInt64 -> {
                min = 0;
                max = Long.MAX_VALUE;
            }
            default -> {
                min = Long.MIN_VALUE;
                max = Long.MAX_VALUE;
            }
        }
        if (v < min || v > max) {
            throw new Refused(Quality.BAD_OUT_OF_RANGE, v + " is out of range for " + node.name() + " (" + min
                    + " to " + (node == OpcUaDataType.UInt64 ? "18446744073709551615" : String.valueOf(max)) + ")");
        }
        return switch (node) {
            case SByte -> Variant.ofSByte((byte) v);
            case Byte -> Variant.ofByte(UByte.valueOf(v));
            case Int16 -> Variant.ofInt16((short) v);
            case UInt16 -> Variant.ofUInt16(UShort.valueOf((int) v));
            case Int32 -> Variant.ofInt32((int) v);
            case UInt32 -> Variant.ofUInt32(UInteger.valueOf(v));
            case UInt64 -> Variant.ofUInt64(ULong.valueOf(v));
            default -> Variant.ofInt64(v);
        };
    }

    private static Refused mismatch(Object value, OpcUaDataType node, String takes) {
        return new Refused(Quality.BAD_TYPE_MISMATCH, "the node is " + node.name() + " and takes " + takes + ", not "
                + describe(value));
    }

    /**
     * Checks a value against the tag's own type before anything else: what the runtime may hand to a write.
     *
     * @return the value as Boolean, Long, Double or String
     */
    static Object checkForTag(Object value, DataType type) throws Refused {
        if (value instanceof java.util.List<?>) {
            throw new Refused(Quality.BAD_NOT_SUPPORTED, NOT_SUPPORTED);
        }
        Object v = value instanceof Integer || value instanceof Short || value instanceof Byte
                ? Long.valueOf(((Number) value).longValue())
                : value instanceof java.lang.Float f ? Double.valueOf(f) : value;
        switch (type) {
            case BOOL -> {
                if (v instanceof Boolean) {
                    return v;
                }
                throw new Refused(Quality.BAD_TYPE_MISMATCH, "a bool tag takes true or false, not " + v);
            }
            case STRING -> {
                if (v instanceof String) {
                    return v;
                }
                throw new Refused(Quality.BAD_TYPE_MISMATCH, "a string tag takes text, not " + v);
            }
            case FLOAT32, FLOAT64 -> {
                if (v instanceof Long || v instanceof Double) {
                    return v;
                }
                throw new Refused(Quality.BAD_TYPE_MISMATCH, "a " + type.text() + " tag takes a number, not '" + v
                        + "'");
            }
            default -> {
                if (v instanceof Long || v instanceof Double) {
                    return v;
                }
                throw new Refused(Quality.BAD_TYPE_MISMATCH, "an " + type.text() + " tag takes a whole number, not '"
                        + v + "'");
            }
        }
    }

    /** Whether {@code v} fits the tag's integer type; numbers for float tags always fit. */
    static void checkRange(Object v, DataType type) throws Refused {
        if (!(v instanceof Number n) || type.isFloatingPoint() || !type.isNumeric()) {
            return;
        }
        double d = n.doubleValue();
        if (d != Math.rint(d)) {
            throw new Refused(Quality.BAD_TYPE_MISMATCH, "an " + type.text() + " tag takes a whole number, not " + v);
        }
        if (!fits(BigInteger.valueOf(n.longValue()), type) || Math.abs(d) >= 0x1p63) {
            throw new Refused(Quality.BAD_OUT_OF_RANGE, v + " is out of range for an " + type.text() + " tag");
        }
    }
}
