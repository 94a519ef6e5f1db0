package dev.stator.driver.api;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One reading of a tag: the value, its {@link Quality}, the source timestamp (when the value was sampled at the
 * source, or when the driver read it where the source gives none) and, where the source has one, the server
 * timestamp. Timestamps are {@link Instant}s, so always UTC.
 *
 * <p>The value is a {@link Boolean}, {@link Long} (integer types), {@link Double} (floating point and scaled values),
 * {@link String}, or an immutable {@link List} of Booleans, Longs or Doubles (an array tag); or {@code null} when there
 * is no usable value (quality Bad). A Bad reading may carry a short
 * {@code detail} naming the reason in the protocol's words ("Modbus exception 02: illegal data address").
 *
 * <p>Before the first read a tag holds {@link #NO_VALUE_YET}: no value and {@code Bad_WaitingForInitialData},
 * never a zero that looks like a real reading. Immutable and thread-safe.
 */
public record TagValue(Object value, Quality quality, Instant sourceTime, Instant serverTime, String detail) {

    /** The state of every tag before its first read. Its timestamps are {@code null}. */
    public static final TagValue NO_VALUE_YET =
            new TagValue(null, Quality.BAD_WAITING_FOR_INITIAL_DATA, null, null, "no value yet");

    public TagValue {
        Objects.requireNonNull(quality, "quality");
        if (value != null && !isScalar(value) && !(value instanceof List<?> list && isArray(list))) {
            throw new IllegalArgumentException("a tag value is Boolean, Long, Double, String or a List of Boolean, "
                    + "Long or Double, not " + value.getClass().getSimpleName());
        }
        if (sourceTime == null && quality.code() != Quality.BAD_WAITING_FOR_INITIAL_DATA.code()) {
            throw new IllegalArgumentException("a reading needs a source timestamp");
        }
    }

    private static boolean isScalar(Object v) {
        return v instanceof Boolean || v instanceof Long || v instanceof Double || v instanceof String;
    }

    private static boolean isArray(List<?> list) {
        for (Object o : list) {
            if (!(o instanceof Boolean || o instanceof Long || o instanceof Double)) {
                return false;
            }
        }
        return true;
    }

    /** A Good reading sampled at {@code sourceTime}. */
    public static TagValue good(Object value, Instant sourceTime) {
        return new TagValue(normalise(value), Quality.GOOD, sourceTime, null, null);
    }

    /** A reading of any quality with a value. */
    public static TagValue of(Object value, Quality quality, Instant sourceTime) {
        return new TagValue(normalise(value), quality, sourceTime, null, null);
    }

    /** No usable value, with the reason: {@code quality} should be Bad. */
    public static TagValue bad(Quality quality, Instant time, String detail) {
        return new TagValue(null, quality, time, null, detail);
    }

    /** Widens Integer, Short, Byte to Long and Float to Double, so that equal readings compare equal. */
    public static Object normalise(Object value) {
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof Float) {
            return ((Float) value).doubleValue();
        }
        return value;
    }

    public boolean hasValue() {
        return value != null;
    }

    /** True only for {@link #NO_VALUE_YET}: nothing was ever read. */
    public boolean isNoValueYet() {
        return sourceTime == null;
    }

    /**
     * The value as a number, for trends, bars and the historian: booleans are 0 and 1; {@code NaN} when there is no
     * value or the value is text or an array.
     */
    public double asDouble() {
        if (value instanceof Number n) {
            return n.doubleValue();
        }
        if (value instanceof Boolean b) {
            return b ? 1.0 : 0.0;
        }
        return Double.NaN;
    }

    /** A copy with the server timestamp the source gave. */
    public TagValue withServerTime(Instant serverTime) {
        return new TagValue(value, quality, sourceTime, serverTime, detail);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder();
        s.append(value == null ? "-" : value).append(' ').append(quality.name());
        if (detail != null) {
            s.append(" (").append(detail).append(')');
        }
        if (sourceTime != null) {
            s.append(" @ ").append(sourceTime);
        }
        return s.toString();
    }
}
