package dev.stator.runtime.project;

import dev.stator.driver.api.TagAddress;
import dev.stator.driver.api.TagDefinition;

/**
 * A tag as written in the project: its definition, the device it is read from, its parsed address, its scan group
 * and how many decimals to show ({@code -1}: chosen from the engineering range).
 */
public record TagSpec(TagDefinition definition, String device, TagAddress address, String scanGroup,
                      int decimals) {

    public String name() {
        return definition.name();
    }

    public String owner() {
        return "tag '" + name() + "'";
    }
}
