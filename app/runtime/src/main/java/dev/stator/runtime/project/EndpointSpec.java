package dev.stator.runtime.project;

import java.util.Map;

/**
 * A link to the plant as written in the project: its name, driver (protocol) and the driver's options as text.
 * The host {@value #SIMULATOR_HOST} (Modbus) or the url {@value #SIMULATOR_HOST} (OPC UA) means the built-in
 * simulator started with the project.
 */
public record EndpointSpec(String name, String driver, Map<String, String> options) {

    public static final String SIMULATOR_HOST = "simulator";

    public EndpointSpec {
        options = Map.copyOf(options);
    }

    public boolean usesSimulator() {
        return SIMULATOR_HOST.equals(options.get("host")) || SIMULATOR_HOST.equals(options.get("url"));
    }

    /** Whether this endpoint reaches the built-in simulator through its OPC UA server. */
    public boolean usesSimulatorOpcUa() {
        return SIMULATOR_HOST.equals(options.get("url"));
    }

    /** How the endpoint is named in messages and in the source map. */
    public String owner() {
        return "endpoint '" + name + "'";
    }
}
