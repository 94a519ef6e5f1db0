package dev.stator.driver.api;

/**
 * The span of a tag in engineering units, {@code low} to {@code high}: what a bar spans, what a trend's axis shows
 * by default, and what a percent deadband is a percentage of.
 */
public record EngineeringRange(double low, double high) {

    public EngineeringRange {
        if (!Double.isFinite(low) || !Double.isFinite(high) || !(low < high)) {
            throw new IllegalArgumentException("an engineering range needs finite low < high, not " + low + " .. "
                    + high);
        }
    }

    public double span() {
        return high - low;
    }

    /** Where {@code value} lies in the range, 0.0 at low and 1.0 at high; not clamped. */
    public double fraction(double value) {
        return (value - low) / span();
    }

    @Override
    public String toString() {
        return low + " .. " + high;
    }
}
