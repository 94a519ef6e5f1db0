package dev.stator.driver.api;

import java.time.Duration;
import java.util.Objects;

/**
 * A tag as a driver sees it: the definition, its parsed address in the device, the scan group it belongs to (its name
 * and its rate: a polling period for Modbus, a sampling and publishing interval for OPC UA), and the scaling from raw
 * to engineering units ({@code null}: none). A driver delivers scaled values and writes raw ones.
 */
public record TagBinding(TagDefinition tag, TagAddress address, String scanGroup, Duration scanRate,
                         Scaling scaling) {

    /** A tag without scaling. */
    public TagBinding(TagDefinition tag, TagAddress address, String scanGroup, Duration scanRate) {
        this(tag, address, scanGroup, scanRate, null);
    }

    public TagBinding {
        Objects.requireNonNull(tag, "tag");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(scanGroup, "scanGroup");
        if (scanRate == null || scanRate.isNegative() || scanRate.isZero()) {
            throw new IllegalArgumentException("tag '" + tag.name() + "': scan rate must be positive");
        }
    }

    public String name() {
        return tag.name();
    }
}
