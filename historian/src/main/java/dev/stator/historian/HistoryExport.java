package dev.stator.historian;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What {@link HistoryCsv#export} writes: which tags, over which range, in which form. Immutable and thread-safe.
 *
 * @param tags          the tags, in the order of their rows (equal times) or columns; each must have history
 * @param from          start of the range, included
 * @param to            end of the range, excluded
 * @param mode          raw samples, binned aggregates or interpolated values
 * @param step          the bucket width (binned) or the interpolation step (interpolated); null for raw
 * @param interpolation for interpolated exports, the interpolation of every tag; null for each tag's own
 * @param dialect       separator, decimal mark and time zone
 */
public record HistoryExport(List<String> tags, Instant from, Instant to, Mode mode, Duration step,
                            Interpolation interpolation, CsvDialect dialect) {

    /** The form of an export; see {@link HistoryCsv}. */
    public enum Mode {
        /** Every sample, long format: {@code time,tag,value,quality}. */
        RAW,
        /** One row per bucket and tag: {@code start,tag,count,min,max,avg,first,last}. */
        BINNED,
        /** Wide format at a fixed step: {@code time,TAG-A,TAG-B,...}. */
        INTERPOLATED
    }

    public HistoryExport {
        tags = List.copyOf(tags);
        if (tags.stream().distinct().count() != tags.size()) {
            throw new IllegalArgumentException("a tag is named twice in " + tags);
        }
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(dialect, "dialect");
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException("the range " + from + " .. " + to + " is empty: from must be before to");
        }
        if (mode == Mode.RAW) {
            if (step != null) {
                throw new IllegalArgumentException("a raw export has no step: choose binned or interpolated");
            }
        } else if (step == null || step.isNegative() || step.toNanos() < 1_000) {
            throw new IllegalArgumentException("a " + mode.name().toLowerCase(java.util.Locale.ROOT)
                    + " export needs a step of at least 1 microsecond" + (step == null ? "" : ", not " + step));
        } else if (step.toNanos() % 1_000 != 0) {
            throw new IllegalArgumentException("a step is a whole number of microseconds, not " + step);
        }
    }

    /** Every sample of {@code tags} in {@code [from, to)}, comma-separated, UTC. */
    public static HistoryExport raw(List<String> tags, Instant from, Instant to) {
        return new HistoryExport(tags, from, to, Mode.RAW, null, null, CsvDialect.DEFAULT);
    }

    /** Aggregates of {@code tags} per bucket of {@code width}. */
    public static HistoryExport binned(List<String> tags, Instant from, Instant to, Duration width) {
        return new HistoryExport(tags, from, to, Mode.BINNED, width, null, CsvDialect.DEFAULT);
    }

    /** The value of every tag at {@code from}, {@code from + step}, ..., each with its own interpolation. */
    public static HistoryExport interpolated(List<String> tags, Instant from, Instant to, Duration step) {
        return new HistoryExport(tags, from, to, Mode.INTERPOLATED, step, null, CsvDialect.DEFAULT);
    }

    public HistoryExport withDialect(CsvDialect value) {
        return new HistoryExport(tags, from, to, mode, step, interpolation, value);
    }

    public HistoryExport withInterpolation(Interpolation value) {
        return new HistoryExport(tags, from, to, mode, step, value, dialect);
    }

    /**
     * {@code t} moved back to a whole multiple of {@code step} counted from midnight in {@code zone}, for a step that
     * divides a day (1s, 10s, 1m, 15m, 1h, 1d...); unchanged for other steps. Binned and interpolated exports start
     * there, so their rows fall on whole steps of the clock as a trend's axis does.
     */
    public static Instant alignDown(Instant t, Duration step, java.time.ZoneId zone) {
        long stepNanos = step.toNanos();
        long dayNanos = Duration.ofDays(1).toNanos();
        if (stepNanos <= 0 || dayNanos % stepNanos != 0) {
            return t;
        }
        Instant midnight = t.atZone(zone).toLocalDate().atStartOfDay(zone).toInstant();
        long into = Duration.between(midnight, t).toNanos();
        return midnight.plusNanos(into - Math.floorMod(into, stepNanos));
    }
}
