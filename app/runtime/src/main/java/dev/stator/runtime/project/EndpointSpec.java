package dev.stator.runtime.project;

import java.util.Map;

/**
 * A link to the plant as written in the project: its name, driver (protocol) and the driver's options as text.
 * The host {@value #SIMULATOR_HOST} means the built-in simulator started with the project.
 */
public record EndpointSpec(String name, String driver, Map<String, String> options) {

    public static final String SIMULATOR_HOST = "simulator";

    public EndpointSpec {
        options = Map.copyOf(options);
    }

    public boolean usesSimulator() {
        return SIMULATOR_HOST.equals(options.get("host"));
    }

    /** How the endpoint is named in messages and in the source map. */
    public String owner() {
        return "endpoint '" + name + "'";
    }
}
