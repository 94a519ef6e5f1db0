package dev.stator.runtime.project;

import dev.stator.driver.api.Deadband;
import dev.stator.driver.api.Scaling;
import dev.stator.driver.api.TagAddress;
import dev.stator.driver.api.TagDefinition;
import dev.stator.historian.TagHistorySettings;

/**
 * A tag as written in the project: its definition, the device it is read from, its parsed address, its scan group,
 * how many decimals to show ({@code -1}: chosen from the engineering range), its scaling from raw to engineering
 * units ({@code null}: none), its deadband ({@code null}: every reading is reported) and how its history is kept
 * ({@code null}: the historian's default, every reading).
 */
public record TagSpec(TagDefinition definition, String device, TagAddress address, String scanGroup,
                      int decimals, Scaling scaling, Deadband deadband, TagHistorySettings history) {

    /** A tag whose history keeps every reading. */
    public TagSpec(TagDefinition definition, String device, TagAddress address, String scanGroup, int decimals,
                   Scaling scaling, Deadband deadband) {
        this(definition, device, address, scanGroup, decimals, scaling, deadband, null);
    }

    public String name() {
        return definition.name();
    }

    public String owner() {
        return "tag '" + name() + "'";
    }
}
