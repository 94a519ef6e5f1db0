package dev.stator.driver.api;

import java.util.List;

/**
 * A device behind an endpoint (a PLC, a unit id behind a gateway): its name, its options (unit id and the like) and
 * the tags read from it.
 */
public record DeviceConfig(String name, Options options, List<TagBinding> tags) {

    public DeviceConfig {
        tags = List.copyOf(tags);
    }
}
