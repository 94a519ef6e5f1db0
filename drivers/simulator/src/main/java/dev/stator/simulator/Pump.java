package dev.stator.simulator;

/** The two duty pumps of the station, in parallel on the tank outlet. */
public enum Pump {
    /** P-101, the duty pump, running in the default initial state. */
    P101("P-101"),
    /** P-102, the standby pump. */
    P102("P-102");

    private final String tag;

    Pump(String tag) {
        this.tag = tag;
    }

    /** The tag as written on the P&amp;ID, e.g. {@code "P-101"}. */
    public String tag() {
        return tag;
    }
}
