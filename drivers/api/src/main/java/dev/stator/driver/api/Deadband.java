package dev.stator.driver.api;

/**
 * How much a value must change before a new reading is reported: an absolute amount in engineering units, or a
 * percentage of the tag's engineering range. Written in a project as {@code deadband: 0.05} or {@code deadband: 2%}.
 * OPC UA servers apply it themselves (a monitored item's data change filter); Modbus applies it before publishing.
 */
public record Deadband(double amount, boolean percent) {

    public Deadband {
        if (!(amount >= 0) || Double.isInfinite(amount) || (percent && amount > 100)) {
            throw new IllegalArgumentException("a deadband is a non-negative amount, or a percentage up to 100");
        }
    }

    /** Parses {@code 0.05} or {@code 2%}. */
    public static Deadband parse(String text) {
        String t = text.trim();
        boolean percent = t.endsWith("%");
        try {
            return new Deadband(Double.parseDouble(percent ? t.substring(0, t.length() - 1).trim() : t), percent);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not a deadband (write e.g. 0.05 or 2%)");
        }
    }

    /** The absolute amount for a tag with {@code range} ({@code null}: only an absolute deadband has one). */
    public double absolute(EngineeringRange range) {
        if (!percent) {
            return amount;
        }
        if (range == null) {
            throw new IllegalStateException("a percent deadband needs the tag's engineering range");
        }
        return amount / 100 * range.span();
    }

    /** Whether a change from {@code previous} to {@code next} is within the deadband (so not reported). */
    public boolean suppresses(double previous, double next, EngineeringRange range) {
        return Math.abs(next - previous) <= absolute(range);
    }

    @Override
    public String toString() {
        return percent ? amount + "%" : String.valueOf(amount);
    }
}
