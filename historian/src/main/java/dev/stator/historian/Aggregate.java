package dev.stator.historian;

import java.time.Instant;

/**
 * The usable samples of one bucket summed up: those with a numeric value (Boolean as 0/1, Long, Double other than
 * NaN) and a quality that is not Bad. Empty buckets have a count of 0, NaN values and null times. Immutable and
 * thread-safe.
 *
 * @param start the bucket's first instant
 * @param end   the instant after the bucket
 * @param count the usable samples in the bucket
 * @param sum   their sum, for an average weighted by sample: {@link #average()}
 */
public record Aggregate(Instant start, Instant end, long count, double min, Instant minTime, double max,
                        Instant maxTime, double first, Instant firstTime, double last, Instant lastTime,
                        double sum) {

    /** The mean of the samples in the bucket; NaN when empty. */
    public double average() {
        return count == 0 ? Double.NaN : sum / count;
    }
}
