package dev.stator.driver.api;

import java.time.Duration;
import java.util.Objects;

/**
 * A tag as a driver sees it: the definition, its parsed address in the device, the scan group it belongs to (its name
 * and its rate: a polling period for Modbus, a sampling and publishing interval for OPC UA), the scaling from raw to
 * engineering units ({@code null}: none), and the deadband under which changes are not reported ({@code null}: every
 * reading is). A driver delivers scaled values and writes raw ones.
 */
public record TagBinding(TagDefinition tag, TagAddress address, String scanGroup, Duration scanRate,
                         Scaling scaling, Deadband deadband) {

    /** A tag without scaling or deadband. */
    public TagBinding(TagDefinition tag, TagAddress address, String scanGroup, Duration scanRate) {
        this(tag, address, scanGroup, scanRate, null, null);
    }

    /** A tag with scaling and without deadband. */
    public TagBinding(TagDefinition tag, TagAddress address, String scanGroup, Duration scanRate, Scaling scaling) {
        this(tag, address, scanGroup, scanRate, scaling, null);
    }

    public TagBinding {
        Objects.requireNonNull(tag, "tag");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(scanGroup, "scanGroup");
        if (scanRate == null || scanRate.isNegative() || scanRate.isZero()) {
            throw new IllegalArgumentException("tag '" + tag.name() + "': scan rate must be positive");
        }
        if (deadband != null && deadband.percent() && tag.range() == null) {
            throw new IllegalArgumentException("tag '" + tag.name() + "': a percent deadband needs the tag's "
                    + "engineering range");
        }
    }

    public String name() {
        return tag.name();
    }
}
