package dev.stator.runtime.project;

import java.util.Map;

/** A device (PLC, unit id behind a gateway) as written in the project, with its driver options as text. */
public record DeviceSpec(String name, String description, String endpoint, Map<String, String> options) {

    public DeviceSpec {
        options = Map.copyOf(options);
    }

    public String owner() {
        return "device '" + name + "'";
    }
}
