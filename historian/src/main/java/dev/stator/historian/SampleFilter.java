package dev.stator.historian;

import java.util.Objects;

/**
 * Decides which readings of one tag are stored, per its {@link TagHistorySettings}. Readings come in arrival order;
 * a reading older than one already seen (a late sample) is stored as it is and leaves the filter's state alone. A
 * Bad reading, a change of quality or of kind of value is always stored and starts the filter over. Used by the
 * store thread only.
 */
abstract class SampleFilter {

    /** Where stored readings go. */
    @FunctionalInterface
    interface Sink {
        /**
         * Stores {@code sample}; {@code released} when it is a reading the filter held back from an earlier
         * record, rather than the reading being offered.
         */
        void store(Sample sample, boolean released);
    }

    private long lastSeen = Long.MIN_VALUE;

    static SampleFilter of(TagHistorySettings settings) {
        long maxInterval = settings.maxInterval() == null ? Long.MAX_VALUE
                : Math.max(1, settings.maxInterval().toNanos() / 1_000);
        return switch (settings.mode()) {
            case LOSSLESS -> new Lossless();
            case ON_CHANGE -> new OnChange(maxInterval, -1);
            case DEADBAND -> new OnChange(maxInterval, settings.absoluteDeadband());
            case SWINGING_DOOR -> new SwingingDoor(maxInterval, settings.absoluteDeviation());
        };
    }

    final void offer(Sample sample, Sink out) {
        if (sample.time < lastSeen) {
            out.store(sample, false);
            return;
        }
        lastSeen = sample.time;
        accept(sample, out);
    }

    abstract void accept(Sample sample, Sink out);

    /** The latest time offered that was not late. */
    final long lastSeen() {
        return lastSeen;
    }

    /** What offering readings up to {@code time}, none of them late, leaves behind (a lossless run). */
    final void seenUpTo(long time) {
        lastSeen = Math.max(lastSeen, time);
    }

    /** Stores what the filter holds back, before a gap, a shutdown or a change of settings. */
    void release(Sink out) {
    }

    /** The reading held back that is newer than anything stored, or null: queries show it as the latest value. */
    Sample held() {
        return null;
    }

    /** Forgets the state: the next reading is compared with nothing (after a gap marker). */
    void restart() {
    }

    /** Every reading. */
    static final class Lossless extends SampleFilter {
        @Override
        void accept(Sample sample, Sink out) {
            out.store(sample, false);
        }
    }

    /** On change, or beyond a deadband (numbers only; other kinds on change). */
    static final class OnChange extends SampleFilter {

        private final long maxInterval;
        private final double deadband;
        private final Sample last = new Sample();
        private boolean hasLast;

        OnChange(long maxInterval, double deadband) {
            this.maxInterval = maxInterval;
            this.deadband = deadband;
        }

        @Override
        void accept(Sample s, Sink out) {
            if (!hasLast || changed(s) || s.time - last.time >= maxInterval) {
                out.store(s, false);
                last.copyFrom(s);
                hasLast = true;
            }
        }

        private boolean changed(Sample s) {
            if (s.kind != last.kind || s.quality != last.quality || Sample.isGapEvent(s.kind, s.quality)) {
                return true;
            }
            if (deadband >= 0 && Sample.isUsable(s.kind, s.bits, s.quality)
                    && Sample.isUsable(last.kind, last.bits, last.quality)) {
                return Math.abs(Sample.numeric(s.kind, s.bits) - Sample.numeric(last.kind, last.bits)) > deadband;
            }
            return s.bits != last.bits || !Objects.equals(s.text, last.text);
        }

        @Override
        void restart() {
            hasLast = false;
        }
    }

    /**
     * Swinging door with an exact bound. The stored points are the corners of a polyline; a reading is dropped
     * only when the line from the last stored point (the pivot) to the newest reading passes within the deviation
     * of every reading since the pivot. The door is kept as the interval of slopes that satisfy every reading
     * left out so far; a new reading continues the segment only if its own slope from the pivot lies in that
     * interval. Otherwise the reading held until now is stored and becomes the pivot. Testing the candidate end
     * point, not only whether the door is still open, is what makes the bound hold for every dropped reading
     * (the classic formulation can exceed it by storing a held point outside the door).
     */
    static final class SwingingDoor extends SampleFilter {

        private final long maxInterval;
        private final double deviation;
        private final Sample pivot = new Sample();
        private final Sample held = new Sample();
        private boolean hasPivot;
        private boolean hasHeld;
        private double low;
        private double high;

        SwingingDoor(long maxInterval, double deviation) {
            this.maxInterval = maxInterval;
            this.deviation = deviation;
        }

        @Override
        void accept(Sample x, Sink out) {
            if (!Sample.isUsable(x.kind, x.bits, x.quality)) {
                release(out);
                out.store(x, false);
                hasPivot = false;
                return;
            }
            if (!hasPivot || x.quality != pivot.quality || x.kind != pivot.kind || x.time <= pivot.time) {
                release(out);
                storeAsPivot(x, out);
                return;
            }
            if (x.time - pivot.time >= maxInterval) {
                release(out);
                if (x.time - pivot.time >= maxInterval || x.time <= pivot.time) {
                    storeAsPivot(x, out);
                    return;
                }
            }
            if (!hasHeld) {
                hold(x);
                return;
            }
            double p = value(pivot);
            double dt = held.time - pivot.time;
            // A hair inside the deviation, so that rounding in a reader's interpolation stays within it.
            double d = deviation - 1e-9 * deviation - 1e-12 * Math.abs(p);
            double h = value(held);
            double newLow = Math.max(low, (h - d - p) / dt);
            double newHigh = Math.min(high, (h + d - p) / dt);
            double slope = (value(x) - p) / (x.time - pivot.time);
            if (newLow <= slope && slope <= newHigh) {
                held.copyFrom(x);
                low = newLow;
                high = newHigh;
                return;
            }
            release(out);
            if (x.time <= pivot.time) {
                storeAsPivot(x, out);
            } else {
                hold(x);
            }
        }

        /** Stores the held reading, which becomes the pivot. */
        @Override
        void release(Sink out) {
            if (hasHeld) {
                hasHeld = false;
                out.store(held, true);
                pivot.copyFrom(held);
                hasPivot = true;
            }
        }

        @Override
        Sample held() {
            return hasHeld ? held : null;
        }

        @Override
        void restart() {
            hasPivot = false;
            hasHeld = false;
        }

        private void storeAsPivot(Sample x, Sink out) {
            out.store(x, false);
            pivot.copyFrom(x);
            hasPivot = true;
            hasHeld = false;
        }

        private void hold(Sample x) {
            held.copyFrom(x);
            hasHeld = true;
            low = Double.NEGATIVE_INFINITY;
            high = Double.POSITIVE_INFINITY;
        }

        private static double value(Sample s) {
            return Sample.numeric(s.kind, s.bits);
        }
    }
}
