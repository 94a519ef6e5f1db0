package dev.stator.historian;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The buckets of a binned query: consecutive spans of time given by their boundaries. Immutable and thread-safe;
 * built on any thread.
 */
public final class Buckets {

    /** A query may ask for at most this many buckets. */
    public static final int MAX_BUCKETS = 1_000_000;

    private final List<Instant> boundaries;

    private Buckets(List<Instant> boundaries) {
        if (boundaries.size() < 2) {
            throw new IllegalArgumentException("buckets need at least two boundaries");
        }
        if (boundaries.size() - 1 > MAX_BUCKETS) {
            throw new IllegalArgumentException("at most " + MAX_BUCKETS + " buckets, not " + (boundaries.size() - 1));
        }
        for (int i = 1; i < boundaries.size(); i++) {
            if (!boundaries.get(i).isAfter(boundaries.get(i - 1))) {
                throw new IllegalArgumentException("bucket boundaries must increase: " + boundaries.get(i - 1)
                        + " then " + boundaries.get(i));
            }
        }
        this.boundaries = List.copyOf(boundaries);
    }

    /** Buckets of {@code width} from {@code from}; the last one ends at {@code to} and may be shorter. */
    public static Buckets every(Instant from, Instant to, Duration width) {
        Objects.requireNonNull(width, "width");
        if (width.isNegative() || width.isZero()) {
            throw new IllegalArgumentException("a bucket width must be positive, not " + width);
        }
        if (!to.isAfter(from)) {
            throw new IllegalArgumentException("the range " + from + " .. " + to + " is empty");
        }
        long count = Duration.between(from, to).dividedBy(width);
        if (count > MAX_BUCKETS) {
            throw new IllegalArgumentException("at most " + MAX_BUCKETS + " buckets: " + width + " over "
                    + Duration.between(from, to) + " gives " + count);
        }
        List<Instant> bounds = new ArrayList<>();
        Instant t = from;
        while (t.isBefore(to)) {
            bounds.add(t);
            t = t.plus(width);
        }
        bounds.add(to);
        return new Buckets(bounds);
    }

    /**
     * One bucket per calendar day in {@code zone}, from the start of {@code firstDay} up to the start of
     * {@code endDay} (excluded): a day with a daylight-saving change lasts 23 or 25 hours.
     */
    public static Buckets days(LocalDate firstDay, LocalDate endDay, ZoneId zone) {
        Objects.requireNonNull(zone, "zone");
        if (!endDay.isAfter(firstDay)) {
            throw new IllegalArgumentException("no days from " + firstDay + " to " + endDay);
        }
        List<Instant> bounds = new ArrayList<>();
        for (LocalDate d = firstDay; !d.isAfter(endDay); d = d.plusDays(1)) {
            bounds.add(d.atStartOfDay(zone).toInstant());
        }
        return new Buckets(bounds);
    }

    /** Buckets between consecutive {@code boundaries}, which must increase. */
    public static Buckets of(List<Instant> boundaries) {
        return new Buckets(boundaries);
    }

    public List<Instant> boundaries() {
        return boundaries;
    }

    public int count() {
        return boundaries.size() - 1;
    }
}
