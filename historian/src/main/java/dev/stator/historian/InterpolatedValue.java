package dev.stator.historian;

import dev.stator.driver.api.Quality;
import java.time.Instant;

/**
 * The value of a tag at one instant, read from the samples around it (see {@link HistorySource#interpolate}).
 * Immutable and thread-safe.
 *
 * @param time    the instant
 * @param value   the value, NaN in a gap
 * @param quality the quality of the sample it comes from (the worse of two for a linear interpolation); in a gap,
 *                the Bad quality of what started the gap ({@code Bad} when there is no data at all)
 */
public record InterpolatedValue(Instant time, double value, Quality quality) {

    /** True when the tag had no usable value at this instant: no data yet, a Bad reading or a gap marker before it. */
    public boolean isGap() {
        return quality.isBad();
    }
}
