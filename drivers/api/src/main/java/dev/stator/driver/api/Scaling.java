package dev.stator.driver.api;

/**
 * Linear scaling from a raw device value to engineering units: {@code eng = raw * gain + offset}, optionally clamped
 * to {@code [clampLow, clampHigh]} (NaN: not clamped). Written in a project either as a factor and offset
 * ({@code factor: 0.1}) or as two ranges ({@code raw: [0, 27648], eng: [0, 100]}). Immutable.
 */
public record Scaling(double gain, double offset, double clampLow, double clampHigh) {

    public Scaling {
        if (!Double.isFinite(gain) || gain == 0 || !Double.isFinite(offset)) {
            throw new IllegalArgumentException("scaling needs a finite, non-zero factor and a finite offset");
        }
    }

    /** The scaling that maps {@code rawLow..rawHigh} onto {@code engLow..engHigh}. */
    public static Scaling ofRanges(double rawLow, double rawHigh, double engLow, double engHigh, boolean clamp) {
        if (rawLow == rawHigh) {
            throw new IllegalArgumentException("the raw range must not be empty");
        }
        double gain = (engHigh - engLow) / (rawHigh - rawLow);
        return new Scaling(gain, engLow - rawLow * gain, clamp ? Math.min(engLow, engHigh) : Double.NaN,
                clamp ? Math.max(engLow, engHigh) : Double.NaN);
    }

    /** The engineering value of {@code raw}, clamped when the scaling clamps. */
    public double toEngineering(double raw) {
        double eng = raw * gain + offset;
        if (!Double.isNaN(clampLow) && eng < clampLow) {
            return clampLow;
        }
        if (!Double.isNaN(clampHigh) && eng > clampHigh) {
            return clampHigh;
        }
        return eng;
    }

    /** The raw value that gives {@code eng}, for writes. */
    public double toRaw(double eng) {
        return (eng - offset) / gain;
    }

    public boolean clamps() {
        return !Double.isNaN(clampLow);
    }
}
