package dev.stator.historian;

import java.time.Instant;

/**
 * One point of a trend reduced for drawing (see {@link HistorySource#m4}): a real sample, the first, last, minimum
 * or maximum of its pixel column. Immutable and thread-safe.
 *
 * @param column    the pixel column, 0 to width - 1
 * @param time      the sample's time
 * @param value     its value
 * @param gapBefore true when a Bad reading or a gap marker lies between the previous point and this one: the line
 *                  must not be drawn across
 */
public record TrendPoint(int column, Instant time, double value, boolean gapBefore) {
}
