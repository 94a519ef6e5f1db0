package dev.stator.driver.api;

import java.time.Duration;
import java.util.Objects;

/**
 * A tag as a driver sees it: the definition, its parsed address in the device, the scan group it belongs to (its name
 * and its rate: a polling period for Modbus, a sampling and publishing interval for OPC UA), the scaling from raw to
 * engineering units ({@code null}: none), the deadband under which changes are not reported ({@code null}: every
 * reading is), and an attachment: the caller's own object for this tag (the runtime's slot in its tag table), opaque
 * to drivers, which hand the binding back with each reading ({@link TagValueListener#onValue(TagBinding, TagValue)})
 * so that the caller finds its slot without a lookup. A driver delivers scaled values and writes raw ones.
 */
public record TagBinding(TagDefinition tag, TagAddress address, String scanGroup, Duration scanRate,
                         Scaling scaling, Deadband deadband, Object attachment) {

    /** A tag without scaling, deadband or attachment. */
    public TagBinding(TagDefinition tag, TagAddress address, String scanGroup, Duration scanRate) {
        this(tag, address, scanGroup, scanRate, null, null, null);
    }

    /** A tag with scaling, without deadband or attachment. */
    public TagBinding(TagDefinition tag, TagAddress address, String scanGroup, Duration scanRate, Scaling scaling) {
        this(tag, address, scanGroup, scanRate, scaling, null, null);
    }

    /** A tag with scaling and deadband, without attachment. */
    public TagBinding(TagDefinition tag, TagAddress address, String scanGroup, Duration scanRate, Scaling scaling,
                      Deadband deadband) {
        this(tag, address, scanGroup, scanRate, scaling, deadband, null);
    }

    /** The same binding carrying {@code attachment}. */
    public TagBinding withAttachment(Object attachment) {
        return new TagBinding(tag, address, scanGroup, scanRate, scaling, deadband, attachment);
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
