package dev.stator.driver.api;

import java.util.Objects;

/**
 * What a tag is, independent of where it comes from: its unique name, a description an operator understands, the
 * engineering units, the engineering range (may be {@code null} for booleans and text), the data type and whether
 * it may be written at all (a write still passes role, limit and confirmation checks above the driver).
 */
public record TagDefinition(String name, String description, String units, EngineeringRange range,
                            DataType dataType, boolean writable) {

    public TagDefinition {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(dataType, "dataType");
        description = description == null ? "" : description;
        units = units == null ? "" : units;
    }
}
