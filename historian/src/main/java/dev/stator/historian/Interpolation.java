package dev.stator.historian;

/**
 * How a tag's value is read between two stored samples. Step for values that hold until they change (states,
 * setpoints, tags stored on change or with a deadband); linear for measurements (and for swinging-door compression,
 * whose stored points are the corners of a line). Set per tag with {@link TagHistorySettings}.
 */
public enum Interpolation {
    STEP,
    LINEAR
}
