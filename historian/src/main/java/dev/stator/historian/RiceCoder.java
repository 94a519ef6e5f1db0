package dev.stator.historian;

/**
 * Golomb-Rice codes for streams of small unsigned numbers (timestamp delta-of-deltas, integer deltas, run lengths),
 * with the parameter chosen per block of 64 values as FLAC does: a value {@code u} is {@code u >>> k} in unary and
 * its low {@code k} bits. A block whose values are all zero costs its 6-bit header only, so perfectly regular
 * timestamps cost about 0.1 bit per sample. Unlike Gorilla's fixed buckets, the code adapts to microsecond
 * timestamps with jitter as well as to exact seconds.
 */
final class RiceCoder {

    static final int BLOCK = 64;
    /** The block header value meaning "every value in the block is zero". */
    private static final int ALL_ZERO = 63;
    private static final int HEADER_BITS = 6;
    /** Quotients this large are written as an escape followed by the raw 64-bit value. */
    private static final int ESCAPE = 24;

    private RiceCoder() {
    }

    /** Writes {@code count} unsigned values starting at {@code values[offset]}. */
    static void write(BitWriter out, long[] values, int offset, int count) {
        for (int block = 0; block < count; block += BLOCK) {
            int n = Math.min(BLOCK, count - block);
            int from = offset + block;
            int k = chooseParameter(values, from, n);
            out.write(k, HEADER_BITS);
            if (k == ALL_ZERO) {
                continue;
            }
            for (int i = from; i < from + n; i++) {
                long u = values[i];
                long q = u >>> k;
                if (q < ESCAPE) {
                    out.writeOnes((int) q, true);
                    out.write(u, k);
                } else {
                    out.writeOnes(ESCAPE, false);
                    out.write(u, 64);
                }
            }
        }
    }

    /** Reads {@code count} values written by {@link #write} into {@code values} from {@code offset}. */
    static void read(BitReader in, long[] values, int offset, int count) {
        for (int block = 0; block < count; block += BLOCK) {
            int n = Math.min(BLOCK, count - block);
            int from = offset + block;
            int k = (int) in.read(HEADER_BITS);
            if (k == ALL_ZERO) {
                for (int i = from; i < from + n; i++) {
                    values[i] = 0;
                }
                continue;
            }
            for (int i = from; i < from + n; i++) {
                int q = in.readOnes(ESCAPE);
                values[i] = q == ESCAPE ? in.read(64) : ((long) q << k) | in.read(k);
            }
        }
    }

    /** The parameter with the fewest bits for this block, or {@link #ALL_ZERO}. */
    private static int chooseParameter(long[] values, int from, int n) {
        double sum = 0;
        long any = 0;
        for (int i = from; i < from + n; i++) {
            long u = values[i];
            any |= u;
            // Unsigned: a raw 64-bit escape value counts as huge, which is what it is.
            sum += u >= 0 ? u : 1.8e19;
        }
        if (any == 0) {
            return ALL_ZERO;
        }
        double mean = sum / n;
        int guess = mean < 1 ? 0 : Math.min(62, 63 - Long.numberOfLeadingZeros((long) Math.min(mean, 4e18)));
        int best = guess;
        long bestCost = Long.MAX_VALUE;
        for (int k = Math.max(0, guess - 2); k <= Math.min(62, guess + 2); k++) {
            long cost = cost(values, from, n, k, bestCost);
            if (cost < bestCost) {
                bestCost = cost;
                best = k;
            }
        }
        return best;
    }

    private static long cost(long[] values, int from, int n, int k, long giveUpAbove) {
        long bits = 0;
        for (int i = from; i < from + n && bits < giveUpAbove; i++) {
            long q = values[i] >>> k;
            bits += q < ESCAPE ? q + 1 + k : ESCAPE + 64;
        }
        return bits;
    }
}
