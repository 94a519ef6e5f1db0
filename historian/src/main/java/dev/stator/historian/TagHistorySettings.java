package dev.stator.historian;

import dev.stator.driver.api.Deadband;
import dev.stator.driver.api.EngineeringRange;
import java.time.Duration;
import java.util.Objects;

/**
 * How the history of one tag is kept: which readings are stored, how values between them are read back, and how
 * long they are kept. Given by the caller (from the project) through {@link Historian#configure}; a tag never
 * configured is stored losslessly with linear interpolation and the global retention.
 *
 * <p>Whatever the mode, a reading whose quality or kind of value differs from the last stored one is always stored,
 * and so is every Bad reading; with a {@code maxInterval} a reading is stored at least that often. A reading older
 * than the last one stored (a late sample) is always stored. Immutable and thread-safe.
 *
 * @param mode          which readings are stored
 * @param deadband      for {@link Mode#DEADBAND}: a reading is stored when it differs from the last stored value by
 *                      more than this; null otherwise
 * @param doorDeviation for {@link Mode#SWINGING_DOOR}: no dropped reading lies farther than this from the line
 *                      between the stored points around it; null otherwise
 * @param maxInterval   the longest time between stored readings in a lossy mode, or null for no limit
 * @param interpolation how values between stored samples are read
 * @param retention     how long samples of this tag are kept (by their timestamp), or null for the global retention
 * @param range         the tag's engineering range: needed when a deadband or deviation is a percentage of it
 */
public record TagHistorySettings(Mode mode, Deadband deadband, Deadband doorDeviation, Duration maxInterval,
                                 Interpolation interpolation, Duration retention, EngineeringRange range) {

    /** Which readings are stored. */
    public enum Mode {
        /** Every reading. */
        LOSSLESS,
        /** A reading whose value differs from the last stored one (bit for bit, or as text). */
        ON_CHANGE,
        /** A reading that differs from the last stored value by more than the deadband. */
        DEADBAND,
        /**
         * Swinging-door compression (Bristol, 1990): the stored points are the corners of a line that passes within
         * the deviation of every reading left out.
         */
        SWINGING_DOOR
    }

    /** Every reading stored, linear interpolation, the global retention: what an unconfigured tag gets. */
    public static final TagHistorySettings LOSSLESS =
            new TagHistorySettings(Mode.LOSSLESS, null, null, null, Interpolation.LINEAR, null, null);

    public TagHistorySettings {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(interpolation, "interpolation");
        if (mode == Mode.DEADBAND && deadband == null) {
            throw new IllegalArgumentException("the deadband mode needs a deadband");
        }
        if (mode == Mode.SWINGING_DOOR && doorDeviation == null) {
            throw new IllegalArgumentException("the swinging-door mode needs a deviation");
        }
        for (Deadband d : new Deadband[] {mode == Mode.DEADBAND ? deadband : null,
            mode == Mode.SWINGING_DOOR ? doorDeviation : null}) {
            if (d != null && d.percent() && range == null) {
                throw new IllegalArgumentException("a percentage (" + d + ") needs the tag's engineering range");
            }
        }
        if (maxInterval != null && (maxInterval.isNegative() || maxInterval.isZero())) {
            throw new IllegalArgumentException("maxInterval must be positive, not " + maxInterval);
        }
        if (retention != null && (retention.isNegative() || retention.isZero())) {
            throw new IllegalArgumentException("retention must be positive, not " + retention);
        }
    }

    /** Stores a reading when its value changes; step interpolation. */
    public static TagHistorySettings onChange(Duration maxInterval) {
        return new TagHistorySettings(Mode.ON_CHANGE, null, null, maxInterval, Interpolation.STEP, null, null);
    }

    /** Stores a reading that moved by more than {@code deadband}; step interpolation. */
    public static TagHistorySettings deadband(Deadband deadband, EngineeringRange range, Duration maxInterval) {
        return new TagHistorySettings(Mode.DEADBAND, deadband, null, maxInterval, Interpolation.STEP, null, range);
    }

    /** Swinging-door compression within {@code deviation}; linear interpolation. */
    public static TagHistorySettings swingingDoor(Deadband deviation, EngineeringRange range, Duration maxInterval) {
        return new TagHistorySettings(Mode.SWINGING_DOOR, null, deviation, maxInterval, Interpolation.LINEAR, null,
                range);
    }

    public TagHistorySettings withInterpolation(Interpolation value) {
        return new TagHistorySettings(mode, deadband, doorDeviation, maxInterval, value, retention, range);
    }

    public TagHistorySettings withRetention(Duration value) {
        return new TagHistorySettings(mode, deadband, doorDeviation, maxInterval, interpolation, value, range);
    }

    /** The deadband in engineering units (0 when the mode has none). */
    double absoluteDeadband() {
        return mode == Mode.DEADBAND ? deadband.absolute(range) : 0;
    }

    /** The swinging-door deviation in engineering units (0 when the mode has none). */
    double absoluteDeviation() {
        return mode == Mode.SWINGING_DOOR ? doorDeviation.absolute(range) : 0;
    }
}
