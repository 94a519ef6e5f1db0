package dev.stator.historian;

import dev.stator.driver.api.Quality;
import dev.stator.driver.api.TagValue;
import java.util.List;

/**
 * One sample in the form the storage works with: a kind, the value as 64 bits (or text), the quality code and the
 * timestamps in microseconds. Mutable and reused, so that the ingest path allocates nothing per sample; owned by
 * one thread at a time.
 */
final class Sample {

    static final byte NONE = 0;
    static final byte BOOLEAN = 1;
    static final byte LONG = 2;
    static final byte DOUBLE = 3;
    static final byte STRING = 4;
    /** An array tag, its elements as text (see {@link ArrayText}). */
    static final byte ARRAY = 5;
    /** A gap marker: no data from here until the next sample. Never returned as a reading. */
    static final byte GAP = 6;
    static final int KINDS = 7;

    static final long NO_SERVER_TIME = Long.MIN_VALUE;
    static final int GOOD = Quality.GOOD.code();
    private static final int BAD_BIT = 0x8000_0000;

    long time;
    byte kind;
    /** Boolean 0/1, the Long itself, or the raw IEEE 754 bits of a Double. */
    long bits;
    /** The String, or an array as text; null for the other kinds. */
    String text;
    int quality;
    long serverTime = NO_SERVER_TIME;
    String detail;

    Sample set(long time, byte kind, long bits, String text, int quality, long serverTime, String detail) {
        this.time = time;
        this.kind = kind;
        this.bits = bits;
        this.text = text;
        this.quality = quality;
        this.serverTime = serverTime;
        this.detail = detail;
        return this;
    }

    Sample copyFrom(Sample other) {
        return set(other.time, other.kind, other.bits, other.text, other.quality, other.serverTime, other.detail);
    }

    /** Fills this from a reading whose timestamps are already checked and converted. */
    Sample from(TagValue value, long sourceMicros, long serverMicros) {
        Object v = value.value();
        byte k;
        long b = 0;
        String t = null;
        if (v == null) {
            k = NONE;
        } else if (v instanceof Boolean bool) {
            k = BOOLEAN;
            b = bool ? 1 : 0;
        } else if (v instanceof Long l) {
            k = LONG;
            b = l;
        } else if (v instanceof Double d) {
            k = DOUBLE;
            b = Double.doubleToRawLongBits(d);
        } else if (v instanceof List<?> list) {
            k = ARRAY;
            t = ArrayText.encode(list);
        } else {
            k = STRING;
            t = Limits.cut((String) v, Limits.MAX_TEXT_LENGTH);
        }
        return set(sourceMicros, k, b, t, value.quality().code(), serverMicros,
                Limits.cut(value.detail(), Limits.MAX_DETAIL_LENGTH));
    }

    static boolean isBad(int quality) {
        return (quality & BAD_BIT) != 0;
    }

    /** A numeric value of usable quality: what aggregates, trends and interpolation are made of. */
    static boolean isUsable(byte kind, long bits, int quality) {
        if (isBad(quality)) {
            return false;
        }
        return kind == BOOLEAN || kind == LONG || kind == DOUBLE && !Double.isNaN(Double.longBitsToDouble(bits));
    }

    /** A Bad reading or a gap marker: a trend line must break here and interpolation must not cross it. */
    static boolean isGapEvent(byte kind, int quality) {
        return kind == GAP || isBad(quality);
    }

    /** The numeric value of a usable sample; -0.0 becomes 0.0 so that every summary agrees. */
    static double numeric(byte kind, long bits) {
        return switch (kind) {
            case BOOLEAN, LONG -> (double) bits;
            default -> Double.longBitsToDouble(bits) + 0.0;
        };
    }

    /** The reading as a TagValue; null for a gap marker. */
    static TagValue toTagValue(long time, byte kind, long bits, String text, int quality, long server,
                               String detail) {
        Object value = switch (kind) {
            case NONE, GAP -> null;
            case BOOLEAN -> bits != 0;
            case LONG -> bits;
            case DOUBLE -> Double.longBitsToDouble(bits);
            case STRING -> text;
            case ARRAY -> ArrayText.decode(text);
            default -> throw new IllegalStateException("unknown value kind " + kind);
        };
        if (kind == GAP) {
            return null;
        }
        return new TagValue(value, Quality.of(quality), Micros.toInstant(time),
                server == NO_SERVER_TIME ? null : Micros.toInstant(server), detail);
    }
}
