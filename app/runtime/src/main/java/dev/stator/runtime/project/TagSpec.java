package dev.stator.runtime.project;

import dev.stator.driver.api.Scaling;
import dev.stator.driver.api.TagAddress;
import dev.stator.driver.api.TagDefinition;

/**
 * A tag as written in the project: its definition, the device it is read from, its parsed address, its scan group,
 * how many decimals to show ({@code -1}: chosen from the engineering range) and its scaling from raw to engineering
 * units ({@code null}: none).
 */
public record TagSpec(TagDefinition definition, String device, TagAddress address, String scanGroup,
                      int decimals, Scaling scaling) {

    public String name() {
        return definition.name();
    }

    public String owner() {
        return "tag '" + name() + "'";
    }
}
