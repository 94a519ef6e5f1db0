package dev.stator.driver.opcua;

import dev.stator.driver.api.ConfigException;
import dev.stator.driver.api.DriverContext;
import dev.stator.driver.api.Options;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MessageSecurityMode;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * The connection settings of an OPC UA endpoint, read from its options with a documented default for each (see
 * {@link OpcUaDriverProvider}). The password comes from the workstation's secrets, never from the project; it is
 * left out of {@link #toString()}.
 */
final class EndpointSettings {

    /** The security policies offered, by the name written in the project. */
    static final Map<String, SecurityPolicy> POLICIES = Map.of(
            "none", SecurityPolicy.None,
            "basic256sha256", SecurityPolicy.Basic256Sha256,
            "aes128_sha256_rsaoaep", SecurityPolicy.Aes128_Sha256_RsaOaep,
            "aes256_sha256_rsapss", SecurityPolicy.Aes256_Sha256_RsaPss);

    static final Map<String, MessageSecurityMode> MODES = Map.of(
            "none", MessageSecurityMode.None,
            "sign", MessageSecurityMode.Sign,
            "signandencrypt", MessageSecurityMode.SignAndEncrypt);

    final String endpointName;
    final String url;
    final String host;
    final int port;
    /** Host to put into the endpoint URLs the server reports, or null. */
    final String hostOverride;
    /** Port to put into them, or -1. */
    final int portOverride;
    final SecurityPolicy policy;
    final MessageSecurityMode mode;
    final String username;
    final String password;
    final Duration requestTimeout;
    final Duration sessionTimeout;
    final Duration keepAliveInterval;
    final int queueSize;
    final Duration reconnectDelay;
    final Duration reconnectMax;
    /** The secrets file, named in messages about the password. */
    final Path secretsFile;

    private EndpointSettings(String endpointName, Options o, DriverContext context) throws ConfigException {
        this.endpointName = endpointName;
        String owner = o.owner();
        secretsFile = context.dataDirectory().resolve("secrets.yaml");
        if (o.asMap().containsKey("password")) {
            throw new ConfigException(owner, "password", "a password never goes in project.yaml, which is shared: "
                    + "put it in " + secretsFile + " under endpoints: " + endpointName + ": password: ...");
        }
        url = o.requireString("url").strip();
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new ConfigException(owner, "url", "'url' is not a URL: " + e.getMessage()
                    + " (write e.g. opc.tcp://10.0.0.5:4840)");
        }
        if (!"opc.tcp".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
            throw new ConfigException(owner, "url", "'url' must be opc.tcp://host[:port][/path], not '" + url
                    + "' (write e.g. opc.tcp://10.0.0.5:4840)");
        }
        host = uri.getHost();
        port = uri.getPort() < 0 ? 4840 : uri.getPort();

        String override = o.getString("host-override", null);
        if (override == null || override.isBlank()) {
            hostOverride = null;
            portOverride = -1;
        } else {
            String h = override.strip();
            int colon = h.lastIndexOf(':');
            if (colon > 0 && h.indexOf(':') == colon) {
                try {
                    portOverride = Integer.parseInt(h.substring(colon + 1));
                } catch (NumberFormatException e) {
                    throw new ConfigException(owner, "host-override", "'host-override' is a host or host:port, "
                            + "not '" + override + "'");
                }
                if (portOverride < 1 || portOverride > 65535) {
                    throw new ConfigException(owner, "host-override", "'host-override': port " + portOverride
                            + " must be 1 to 65535");
                }
                hostOverride = h.substring(0, colon);
            } else {
                hostOverride = h;
                portOverride = -1;
            }
        }

        String policyText = o.getString("security-policy", "Basic256Sha256");
        policy = POLICIES.get(policyText.strip().toLowerCase(Locale.ROOT));
        if (policy == null) {
            throw new ConfigException(owner, "security-policy", "'security-policy' is None, Basic256Sha256, "
                    + "Aes128_Sha256_RsaOaep or Aes256_Sha256_RsaPss, not '" + policyText + "'");
        }
        String modeText = o.getString("security-mode", policy == SecurityPolicy.None ? "None" : "SignAndEncrypt");
        mode = MODES.get(modeText.strip().toLowerCase(Locale.ROOT));
        if (mode == null) {
            throw new ConfigException(owner, "security-mode", "'security-mode' is None, Sign or SignAndEncrypt, not '"
                    + modeText + "'");
        }
        if ((policy == SecurityPolicy.None) != (mode == MessageSecurityMode.None)) {
            throw new ConfigException(owner, "security-mode", "security-policy " + policyName(policy)
                    + " goes with " + (policy == SecurityPolicy.None ? "security-mode None"
                    : "security-mode Sign or SignAndEncrypt") + ", not " + mode);
        }

        String user = o.getString("username", null);
        username = user == null || user.isBlank() ? null : user.strip();
        if (username != null) {
            password = context.secrets().get(endpointName, "password").orElse(null);
            if (password == null) {
                throw new ConfigException(owner, "username", "endpoint '" + endpointName + "' logs in as '" + username
                        + "' but has no password: put it in " + secretsFile + " as endpoints: " + endpointName
                        + ": password: ... (never in project.yaml)");
            }
        } else {
            password = null;
        }

        requestTimeout = positive(o, "request-timeout", Duration.ofSeconds(5), Duration.ofMillis(100));
        sessionTimeout = positive(o, "session-timeout", Duration.ofSeconds(60), Duration.ofSeconds(1));
        keepAliveInterval = positive(o, "keep-alive-interval", Duration.ofSeconds(5), Duration.ofMillis(100));
        queueSize = o.getInt("queue-size", 1, 1, 10_000);
        reconnectDelay = positive(o, "reconnect-delay", Duration.ofSeconds(1), Duration.ofMillis(10));
        reconnectMax = positive(o, "reconnect-max", Duration.ofSeconds(30), Duration.ofMillis(10));
        if (reconnectMax.compareTo(reconnectDelay) < 0) {
            throw new ConfigException(owner, "reconnect-max", "'reconnect-max' must be no shorter than "
                    + "'reconnect-delay'");
        }
        if (sessionTimeout.compareTo(keepAliveInterval.multipliedBy(2)) < 0) {
            throw new ConfigException(owner, "session-timeout", "'session-timeout' must be at least two "
                    + "keep-alive intervals, or the server drops the session between two keep-alives");
        }
        o.checkAllUsed();
    }

    /** Reads the options of endpoint {@code endpointName}; fails on any unknown key. */
    static EndpointSettings read(String endpointName, Options options, DriverContext context)
            throws ConfigException {
        return new EndpointSettings(endpointName, options, context);
    }

    private static Duration positive(Options o, String key, Duration defaultValue, Duration min)
            throws ConfigException {
        Duration d = o.getDuration(key, defaultValue);
        if (d.compareTo(min) < 0) {
            throw new ConfigException(o.owner(), key, "'" + key + "' must be at least " + Options.formatDuration(min));
        }
        return d;
    }

    /** How long a keep-alive may take before it counts as failed: half the interval, at most the request timeout. */
    Duration keepAliveTimeout() {
        Duration half = keepAliveInterval.dividedBy(2);
        return half.compareTo(requestTimeout) < 0 ? half : requestTimeout;
    }

    static String policyName(SecurityPolicy policy) {
        return policy.name();
    }

    /** {@code opc.tcp://10.0.0.5:4840 (Basic256Sha256, SignAndEncrypt, user operator)}. */
    String describe() {
        return url + " (" + policyName(policy) + ", " + mode + ", " + (username == null ? "anonymous" : "user "
                + username) + ")";
    }

    @Override
    public String toString() {
        return describe();
    }
}
