package dev.stator.driver.opcua;

import dev.stator.driver.api.AddressException;
import dev.stator.driver.api.CertificateTrust;
import dev.stator.driver.api.ConfigException;
import dev.stator.driver.api.DeviceConfig;
import dev.stator.driver.api.DriverContext;
import dev.stator.driver.api.DriverProvider;
import dev.stator.driver.api.Endpoint;
import dev.stator.driver.api.EndpointConfig;
import dev.stator.driver.api.TagAddress;
import dev.stator.driver.api.TagBinding;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * OPC UA client through Eclipse Milo, protocol {@code opcua}. Addresses: see {@link OpcUaAddress}. The whole
 * reference, with the security folder and the trust procedure, is {@code docs/opcua.md}.
 *
 * <p>Endpoint options, with their defaults:
 * <ul>
 *   <li>{@code url} (required): the server's discovery URL, {@code opc.tcp://host[:port][/path]} (port 4840);</li>
 *   <li>{@code host-override} (none): a host, or host:port, put into the endpoint URLs the server reports, for a
 *       server behind NAT or known by another name;</li>
 *   <li>{@code security-policy} (Basic256Sha256): None, Basic256Sha256, Aes128_Sha256_RsaOaep or
 *       Aes256_Sha256_RsaPss; {@code security-mode} (SignAndEncrypt, or None with policy None): None, Sign or
 *       SignAndEncrypt;</li>
 *   <li>{@code username} (none: anonymous); its password comes only from the workstation's secrets
 *       ({@code <data>/secrets.yaml}, {@code endpoints: <endpoint>: password:}), never from the project;</li>
 *   <li>{@code request-timeout} (5s): each service call, and each step of connecting;</li>
 *   <li>{@code session-timeout} (60s): how long the server keeps a session without the client; also how long the
 *       driver lets the library recover a lost session before it starts over with discovery;</li>
 *   <li>{@code keep-alive-interval} (5s): a keep-alive read at this interval; one unanswered within half an
 *       interval ends the session, so tags turn Bad within one and a half intervals of a silent link;</li>
 *   <li>{@code queue-size} (1): values the server queues per monitored item between two publishes (1: the latest);
 *       </li>
 *   <li>{@code reconnect-delay} (1s) doubling up to {@code reconnect-max} (30s): the wait between the driver's own
 *       connection attempts (discovery and a new session).</li>
 * </ul>
 * Devices take no options: an OPC UA endpoint's device is the server, and several devices on one endpoint are
 * groups of tags sharing the session (each can be taken out of service on its own).
 */
public final class OpcUaDriverProvider implements DriverProvider {

    /** The protocol name written after {@code driver:} in project.yaml. */
    public static final String PROTOCOL = "opcua";

    @Override
    public Set<String> protocols() {
        return Set.of(PROTOCOL);
    }

    /** Parses an address; any thread. See {@link OpcUaAddress} for the grammar. */
    @Override
    public TagAddress parseAddress(String protocol, String text) throws AddressException {
        return OpcUaAddress.parse(text);
    }

    /** Checks the options and tags and creates the endpoint, opening nothing; called while the project loads. */
    @Override
    public Optional<CertificateTrust> certificates(Path dataDirectory) {
        return Optional.of(new OpcUaCertificateTrust(dataDirectory));
    }

    @Override
    public Endpoint createEndpoint(EndpointConfig config, DriverContext context) throws ConfigException {
        EndpointSettings settings = EndpointSettings.read(config.name(), config.options(), context);
        List<OpcUaEndpoint.Device> devices = new ArrayList<>();
        for (DeviceConfig device : config.devices()) {
            if (!device.options().asMap().isEmpty()) {
                String key = device.options().asMap().keySet().iterator().next();
                throw new ConfigException(device.options().owner(), key, "an OPC UA device takes no options ('" + key
                        + "'): connection settings belong to endpoint '" + config.name() + "'");
            }
            for (TagBinding tag : device.tags()) {
                if (!(tag.address() instanceof OpcUaAddress)) {
                    throw new ConfigException("tag '" + tag.name() + "'", "address", "address "
                            + tag.address().format() + " is not an OPC UA address");
                }
                if (tag.tag().dataType() != tag.address().dataType()) {
                    throw new ConfigException("tag '" + tag.name() + "'", "address", "the tag is "
                            + tag.tag().dataType() + " but its address " + tag.address().format() + " delivers "
                            + tag.address().dataType());
                }
            }
            devices.add(new OpcUaEndpoint.Device(device.name(), device.tags()));
        }
        return new OpcUaEndpoint(config.name(), settings, context.dataDirectory(), context.clock(), devices);
    }
}
