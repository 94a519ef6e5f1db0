package dev.stator.driver.api;

import java.util.Set;

/**
 * A driver for one protocol family, found with {@link java.util.ServiceLoader} (declare it in
 * {@code META-INF/services/dev.stator.driver.api.DriverProvider}). Two providers claiming one protocol name is an
 * error, reported by {@link DriverRegistry}.
 *
 * <p>A provider is stateless: everything with a lifecycle is an {@link Endpoint} it creates.
 */
public interface DriverProvider {

    /** The protocol names this provider serves, as written after {@code driver:} in project.yaml. */
    Set<String> protocols();

    /**
     * Parses an address in the protocol's grammar.
     *
     * @throws AddressException with what is wrong and what a valid address looks like
     */
    TagAddress parseAddress(String protocol, String text) throws AddressException;

    /**
     * Checks the endpoint's options, its devices' options and its tags, and creates the endpoint, not yet started.
     * Nothing is opened here: a configuration error leaves no thread or socket behind.
     *
     * @throws ConfigException naming the endpoint, device or tag and the key at fault
     */
    Endpoint createEndpoint(EndpointConfig config, DriverContext context) throws ConfigException;
}
