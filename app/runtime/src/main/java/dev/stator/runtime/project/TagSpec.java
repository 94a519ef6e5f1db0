package dev.stator.runtime.project;

import dev.stator.driver.api.Deadband;
import dev.stator.driver.api.Scaling;
import dev.stator.driver.api.TagAddress;
import dev.stator.driver.api.TagDefinition;

/**
 * A tag as written in the project: its definition, the device it is read from, its parsed address, its scan group,
 * how many decimals to show ({@code -1}: chosen from the engineering range), its scaling from raw to engineering
 * units ({@code null}: none) and its deadband ({@code null}: every reading is reported).
 */
public record TagSpec(TagDefinition definition, String device, TagAddress address, String scanGroup,
                      int decimals, Scaling scaling, Deadband deadband) {

    public String name() {
        return definition.name();
    }

    public String owner() {
        return "tag '" + name() + "'";
    }
}
