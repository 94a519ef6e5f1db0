package dev.stator.simulator;

import java.nio.file.Path;
import java.util.Map;

/**
 * How the simulator serves OPC UA, as set on its {@link PlantSimulator.Builder}. Immutable.
 *
 * @param port         the TCP port, 1-65535, or 0 for no OPC UA server
 * @param pkiDirectory the PKI directory, or null for a temporary one deleted on close
 * @param users        user name to password of the accepted username identities
 * @param anonymous    whether the anonymous identity is accepted
 */
record OpcUaOptions(int port, Path pkiDirectory, Map<String, String> users, boolean anonymous) {

    /** No OPC UA server. */
    static final OpcUaOptions OFF = new OpcUaOptions(0, null, Map.of(), true);

    OpcUaOptions {
        users = Map.copyOf(users);
    }

    /** Whether an OPC UA server is configured. */
    boolean enabled() {
        return port != 0;
    }
}
