package dev.stator.driver.api;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
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
     * Parses an address as found in another tool's tag list or a device's documentation, converting conventional
     * notations to this driver's grammar (for Modbus, {@code 40001} with type {@code float32} becomes
     * {@code hr:0:float32}). Drivers without such notations parse their own grammar.
     *
     * @param type   the value's type when the notation does not carry it, or {@code null}
     * @param length a string's length or an array's size when the notation does not carry it, or 0
     * @throws AddressException with what is wrong and what a valid address looks like
     */
    default TagAddress importAddress(String protocol, String text, DataType type, int length)
            throws AddressException {
        return parseAddress(protocol, text);
    }

    /**
     * The certificates this driver keeps under {@code dataDirectory}, for drivers of secure protocols; empty for the
     * others. Creates nothing but the driver's own certificate folder.
     */
    default Optional<CertificateTrust> certificates(Path dataDirectory) throws IOException {
        return Optional.empty();
    }

    /**
     * Checks the endpoint's options, its devices' options and its tags, and creates the endpoint, not yet started.
     * Nothing is opened here: a configuration error leaves no thread or socket behind.
     *
     * @throws ConfigException naming the endpoint, device or tag and the key at fault
     */
    Endpoint createEndpoint(EndpointConfig config, DriverContext context) throws ConfigException;
}
