package dev.stator.historian;

/**
 * What queries read instead of samples: over the usable samples (numeric, not Bad, not NaN) of a chunk, an interval
 * or a bucket, the first, last, minimum and maximum each with its time, the count and the sum; plus the number of
 * gap events (Bad readings and gap markers) and of all samples. Ties keep the earliest: a later equal minimum does
 * not replace the first one. Mutable; filled by one thread.
 */
final class Summary {

    int samples;
    int usable;
    int gaps;
    long firstTime;
    double first;
    long lastTime;
    double last;
    long minTime;
    double min;
    long maxTime;
    double max;
    double sum;

    void clear() {
        samples = 0;
        usable = 0;
        gaps = 0;
        sum = 0;
    }

    /** Adds the next sample in time order. */
    void add(long time, byte kind, long bits, int quality) {
        samples++;
        if (Sample.isGapEvent(kind, quality)) {
            gaps++;
        }
        if (Sample.isUsable(kind, bits, quality)) {
            addValue(time, Sample.numeric(kind, bits));
        }
    }

    void addValue(long time, double value) {
        if (usable == 0) {
            firstTime = time;
            first = value;
            minTime = time;
            min = value;
            maxTime = time;
            max = value;
        } else {
            if (value < min) {
                min = value;
                minTime = time;
            }
            if (value > max) {
                max = value;
                maxTime = time;
            }
        }
        lastTime = time;
        last = value;
        usable++;
        sum += value;
    }

    /** Adds a summary of samples that all come after those already added. */
    void addLater(Summary later) {
        samples += later.samples;
        gaps += later.gaps;
        if (later.usable == 0) {
            return;
        }
        if (usable == 0) {
            firstTime = later.firstTime;
            first = later.first;
            minTime = later.minTime;
            min = later.min;
            maxTime = later.maxTime;
            max = later.max;
        } else {
            if (later.min < min) {
                min = later.min;
                minTime = later.minTime;
            }
            if (later.max > max) {
                max = later.max;
                maxTime = later.maxTime;
            }
        }
        lastTime = later.lastTime;
        last = later.last;
        usable += later.usable;
        sum += later.sum;
    }

    /**
     * Writes the summary of samples spanning {@code [start, end]}: the first and last usable times counted from the
     * ends, where they nearly always are, so that they take a byte each.
     */
    void write(BitWriter out, long start, long end) {
        out.writeVarInt(samples);
        out.writeVarInt(usable);
        out.writeVarInt(gaps);
        if (usable > 0) {
            out.writeZigZag(firstTime - start);
            writeDouble(out, first);
            out.writeZigZag(end - lastTime);
            writeDouble(out, last);
            out.writeZigZag(minTime - start);
            writeDouble(out, min);
            out.writeZigZag(maxTime - start);
            writeDouble(out, max);
            writeDouble(out, sum);
        }
    }

    Summary read(BitReader in, long start, long end) {
        samples = in.readVarInt();
        usable = in.readVarInt();
        gaps = in.readVarInt();
        if (usable > 0) {
            firstTime = start + in.readZigZag();
            first = readDouble(in);
            lastTime = end - in.readZigZag();
            last = readDouble(in);
            minTime = start + in.readZigZag();
            min = readDouble(in);
            maxTime = start + in.readZigZag();
            max = readDouble(in);
            sum = readDouble(in);
        } else {
            sum = 0;
        }
        return this;
    }

    private static final int SMALL_INTEGER = 0;
    private static final int FLOAT = 1;
    private static final int DOUBLE = 2;

    /** A double in as few bytes as it needs: small integers (booleans, counts) as varints, float32 in 4 bytes. */
    static void writeDouble(BitWriter out, double v) {
        long asLong = (long) v;
        if (asLong == v && Math.abs(asLong) < (1L << 40) && Double.doubleToRawLongBits(v) != Long.MIN_VALUE) {
            out.write(SMALL_INTEGER, 2);
            out.writeZigZag(asLong);
        } else if (Double.doubleToRawLongBits((float) v) == Double.doubleToRawLongBits(v)) {
            out.write(FLOAT, 2);
            out.write(Float.floatToRawIntBits((float) v), 32);
        } else {
            out.write(DOUBLE, 2);
            out.write(Double.doubleToRawLongBits(v), 64);
        }
    }

    static double readDouble(BitReader in) {
        int form = (int) in.read(2);
        return switch (form) {
            case SMALL_INTEGER -> (double) in.readZigZag();
            case FLOAT -> Float.intBitsToFloat((int) in.read(32));
            default -> Double.longBitsToDouble(in.read(64));
        };
    }
}
