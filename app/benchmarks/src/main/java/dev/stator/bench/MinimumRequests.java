package dev.stator.bench;

import java.util.List;

/**
 * The fewest read requests that can read a device's tags, found by an exact dynamic program over the tags sorted by
 * address, written apart from the driver's planner so that it can judge it. A request reads one contiguous range of at
 * most {@code limit} registers, holds each of its tags whole, and bridges no run of more than {@code maxGap} addresses
 * that none of its tags use.
 *
 * <p>Runs of consecutive tags are enough: whatever rules out a run from tag a to tag b (its span, or a gap wider than
 * {@code maxGap} in addresses no tag uses) rules out every request holding both a and b, which spans at least as much
 * and leaves those addresses unused too. {@code best[i]} is the fewest requests for the first {@code i} tags: the
 * minimum over every feasible last run {@code j..i-1} of {@code best[j] + 1}.
 */
final class MinimumRequests {

    private MinimumRequests() {
    }

    /** The fewest requests for {@code entries}, which must be sorted by address and must not overlap. */
    static int of(List<RegisterLayout.Entry> entries, int limit, int maxGap) {
        int n = entries.size();
        int[] best = new int[n + 1];
        for (int i = 1; i <= n; i++) {
            best[i] = Integer.MAX_VALUE;
            int end = entries.get(i - 1).end();
            int widestGap = 0;
            // Grow the last run leftwards from tag i-1 while it stays feasible; both limits only get worse.
            for (int j = i - 1; j >= 0; j--) {
                RegisterLayout.Entry first = entries.get(j);
                if (j < i - 1) {
                    widestGap = Math.max(widestGap, entries.get(j + 1).offset() - first.end() - 1);
                }
                if (end - first.offset() + 1 > limit || widestGap > maxGap) {
                    break;
                }
                if (best[j] != Integer.MAX_VALUE) {
                    best[i] = Math.min(best[i], best[j] + 1);
                }
            }
            if (best[i] == Integer.MAX_VALUE) {
                throw new IllegalArgumentException("tag " + entries.get(i - 1).address() + " cannot be read in one "
                        + "request of at most " + limit + " registers");
            }
        }
        return best[n];
    }
}
