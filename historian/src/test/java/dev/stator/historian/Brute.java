package dev.stator.historian;

import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Reference answers computed from the raw samples, the slow and obvious way, to check the historian's queries.
 * Events must come in time order (equal times in recording order).
 */
final class Brute {

    /** One recorded sample: usable (a number of non-Bad quality), a gap event (Bad or a marker), or neither. */
    record Event(long micros, double value, boolean usable, boolean gap) {

        static Event usable(long micros, double value) {
            return new Event(micros, value, true, false);
        }

        static Event gap(long micros) {
            return new Event(micros, Double.NaN, false, true);
        }
    }

    private Brute() {
    }

    static long[] columns(long from, long to, int width) {
        long[] bounds = new long[width + 1];
        BigInteger span = BigInteger.valueOf(to - from);
        for (int c = 0; c <= width; c++) {
            bounds[c] = from + span.multiply(BigInteger.valueOf(c)).divide(BigInteger.valueOf(width)).longValue();
        }
        return bounds;
    }

    /** M4 as documented: per column first, min, max, last, sorted by time, repeats dropped, gaps flagged. */
    static List<TrendPoint> m4(List<Event> events, long from, long to, int width) {
        long[] bounds = columns(from, to, width);
        int n = events.size();
        int[][] roles = new int[width][];
        List<Integer> gapIndexes = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Event e = events.get(i);
            if (e.micros < from || e.micros >= to) {
                continue;
            }
            if (e.gap) {
                gapIndexes.add(i);
                continue;
            }
            if (!e.usable) {
                continue;
            }
            int c = column(bounds, e.micros);
            int[] r = roles[c];
            if (r == null) {
                roles[c] = new int[] {i, i, i, i};
                continue;
            }
            if (e.value < events.get(r[1]).value) {
                r[1] = i;
            }
            if (e.value > events.get(r[2]).value) {
                r[2] = i;
            }
            r[3] = i;
        }
        List<TrendPoint> out = new ArrayList<>();
        int previous = Integer.MIN_VALUE;
        for (int c = 0; c < width; c++) {
            if (roles[c] == null) {
                continue;
            }
            List<int[]> points = new ArrayList<>();
            for (int role = 0; role < 4; role++) {
                points.add(new int[] {roles[c][role], role});
            }
            points.sort(Comparator.<int[]>comparingLong(p -> events.get(p[0]).micros)
                    .thenComparingInt(p -> p[0]).thenComparingInt(p -> p[1]));
            Event shown = null;
            for (int[] p : points) {
                Event e = events.get(p[0]);
                if (shown != null && shown.micros == e.micros
                        && Double.doubleToRawLongBits(shown.value) == Double.doubleToRawLongBits(e.value)) {
                    continue;
                }
                shown = e;
                int from0 = previous;
                boolean gap = gapIndexes.stream().anyMatch(g -> g > from0 && g < p[0]);
                out.add(new TrendPoint(c, Micros.toInstant(e.micros), e.value, gap));
                previous = p[0];
            }
        }
        return out;
    }

    /** count, min, max, first, last, sum of the usable samples in {@code [from, to)}. */
    static double[] aggregate(List<Event> events, long from, long to) {
        double count = 0;
        double min = Double.NaN;
        double max = Double.NaN;
        double first = Double.NaN;
        double last = Double.NaN;
        double sum = 0;
        for (Event e : events) {
            if (!e.usable || e.micros < from || e.micros >= to) {
                continue;
            }
            if (count == 0) {
                min = e.value;
                max = e.value;
                first = e.value;
            }
            min = Math.min(min, e.value);
            max = Math.max(max, e.value);
            last = e.value;
            sum += e.value;
            count++;
        }
        return new double[] {count, min, max, first, last, sum};
    }

    static long micros(Instant t) {
        return Micros.of(t);
    }

    private static int column(long[] bounds, long t) {
        int c = 0;
        while (bounds[c + 1] <= t) {
            c++;
        }
        return c;
    }
}
