package dev.stator.driver.opcua;

import dev.stator.driver.api.ConfigException;
import dev.stator.driver.api.DataType;
import dev.stator.driver.api.DeviceConfig;
import dev.stator.driver.api.DeviceStatus;
import dev.stator.driver.api.DriverRegistry;
import dev.stator.driver.api.Endpoint;
import dev.stator.driver.api.EndpointConfig;
import dev.stator.driver.api.Options;
import dev.stator.driver.api.TagBinding;
import dev.stator.driver.api.TagDefinition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Endpoint options with their defaults, and configuration errors that name the owner, the key and the fix. */
class OpcUaDriverProviderTest {

    @TempDir
    Path data;

    private Endpoint create(Map<String, String> options, Map<String, String> deviceOptions,
                            Map<String, String> secrets, TagBinding... tags) throws ConfigException {
        EndpointConfig config = new EndpointConfig("plant-opc", "opcua", new Options("endpoint 'plant-opc'", options),
                List.of(new DeviceConfig("server", new Options("device 'server'", deviceOptions), List.of(tags))));
        return new OpcUaDriverProvider().createEndpoint(config, TestEndpoint.context(data, secrets));
    }

    private ConfigException refused(Map<String, String> options) {
        return catchThrowableOfType(ConfigException.class, () -> create(options, Map.of(), Map.of()));
    }

    private static Map<String, String> url(String... more) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("url", "opc.tcp://10.0.0.5:4840");
        for (int i = 0; i < more.length; i += 2) {
            m.put(more[i], more[i + 1]);
        }
        return m;
    }

    @Test
    void theDriverIsFoundByItsProtocolName() {
        DriverRegistry registry = DriverRegistry.load(getClass().getClassLoader());
        assertThat(registry.provider("opcua")).isInstanceOf(OpcUaDriverProvider.class);
    }

    @Test
    void onlyTheUrlIsRequiredAndTheDefaultIsSecure() throws Exception {
        Endpoint e = create(url(), Map.of(), Map.of());
        DeviceStatus s = e.deviceStatus().get(0);
        assertThat(s.address()).isEqualTo("opc.tcp://10.0.0.5:4840 (Basic256Sha256, SignAndEncrypt, anonymous)");
        assertThat(s.state()).isEqualTo(DeviceStatus.LinkState.STOPPED);
        EndpointSettings d = EndpointSettings.read("plant-opc", new Options("endpoint 'plant-opc'", url()),
                TestEndpoint.context(data, Map.of()));
        assertThat(d.requestTimeout).isEqualTo(Duration.ofSeconds(5));
        assertThat(d.sessionTimeout).isEqualTo(Duration.ofSeconds(60));
        assertThat(d.keepAliveInterval).isEqualTo(Duration.ofSeconds(5));
        assertThat(d.keepAliveTimeout()).isEqualTo(Duration.ofMillis(2500));
        assertThat(d.queueSize).isEqualTo(1);
        assertThat(d.reconnectDelay).isEqualTo(Duration.ofSeconds(1));
        assertThat(d.reconnectMax).isEqualTo(Duration.ofSeconds(30));
        assertThat(d.hostOverride).isNull();
        e.close();
    }

    @Test
    void creatingAnEndpointOpensNothing() throws Exception {
        create(url("security-policy", "None"), Map.of(), Map.of()).close();
        try (var files = Files.list(data)) {
            assertThat(files).as("no certificate folder yet").isEmpty();
        }
        assertThat(TestEndpoint.threads("stator-opcua")).isEmpty();
    }

    @Test
    void aMisspeltOptionIsAnError() {
        ConfigException e = refused(url("securty-policy", "None"));
        assertThat(e.owner()).isEqualTo("endpoint 'plant-opc'");
        assertThat(e.key()).isEqualTo("securty-policy");
        assertThat(e.getMessage()).startsWith("unknown option 'securty-policy' (known: host-override, "
                + "keep-alive-interval, queue-size, reconnect-delay, reconnect-max, request-timeout, security-mode, "
                + "security-policy, session-timeout, url, username)");
    }

    @Test
    void theUrlMustBeAnOpcTcpUrl() {
        assertThat(refused(Map.of()).getMessage()).isEqualTo("'url' is required");
        assertThat(refused(Map.of("url", "http://10.0.0.5")).getMessage())
                .isEqualTo("'url' must be opc.tcp://host[:port][/path], not 'http://10.0.0.5' (write e.g. "
                        + "opc.tcp://10.0.0.5:4840)");
    }

    @Test
    void aPasswordComesOnlyFromTheSecretsFile() throws Exception {
        ConfigException inProject = refused(url("username", "operator", "password", "secret"));
        assertThat(inProject.key()).isEqualTo("password");
        assertThat(inProject.getMessage()).isEqualTo("a password never goes in project.yaml, which is shared: put it "
                + "in " + data.resolve("secrets.yaml") + " under endpoints: plant-opc: password: ...");

        ConfigException missing = refused(url("username", "operator"));
        assertThat(missing.owner()).isEqualTo("endpoint 'plant-opc'");
        assertThat(missing.key()).isEqualTo("username");
        assertThat(missing.getMessage()).isEqualTo("endpoint 'plant-opc' logs in as 'operator' but has no password: "
                + "put it in " + data.resolve("secrets.yaml") + " as endpoints: plant-opc: password: ... (never in "
                + "project.yaml)");

        Endpoint e = create(url("username", "operator"), Map.of(), Map.of("plant-opc/password", "secret"));
        assertThat(e.deviceStatus().get(0).address()).endsWith("(Basic256Sha256, SignAndEncrypt, user operator)");
        assertThat(e.deviceStatus().get(0).toString()).doesNotContain("secret");
        e.close();
    }

    @Test
    void securityPolicyAndModeMustGoTogether() throws Exception {
        assertThat(refused(url("security-policy", "Basic128Rsa15")).getMessage()).isEqualTo("'security-policy' is "
                + "None, Basic256Sha256, Aes128_Sha256_RsaOaep or Aes256_Sha256_RsaPss, not 'Basic128Rsa15'");
        assertThat(refused(url("security-mode", "Encrypt")).getMessage())
                .isEqualTo("'security-mode' is None, Sign or SignAndEncrypt, not 'Encrypt'");
        assertThat(refused(url("security-policy", "None", "security-mode", "Sign")).getMessage())
                .isEqualTo("security-policy None goes with security-mode None, not Sign");
        assertThat(refused(url("security-mode", "None")).getMessage())
                .isEqualTo("security-policy Basic256Sha256 goes with security-mode Sign or SignAndEncrypt, not None");
        Endpoint e = create(url("security-policy", "aes256_sha256_rsapss", "security-mode", "sign"), Map.of(),
                Map.of());
        assertThat(e.deviceStatus().get(0).address()).endsWith("(Aes256_Sha256_RsaPss, Sign, anonymous)");
        e.close();
    }

    @Test
    void timingsAreChecked() {
        assertThat(refused(url("reconnect-delay", "2s", "reconnect-max", "1s")).getMessage())
                .isEqualTo("'reconnect-max' must be no shorter than 'reconnect-delay'");
        assertThat(refused(url("keep-alive-interval", "10s", "session-timeout", "15s")).getMessage())
                .startsWith("'session-timeout' must be at least two keep-alive intervals");
        assertThat(refused(url("queue-size", "0")).getMessage()).isEqualTo("'queue-size' is 0, must be 1 to 10000");
        assertThat(refused(url("request-timeout", "soon")).getMessage()).startsWith("'request-timeout': 'soon' is "
                + "not a duration");
        assertThat(refused(url("host-override", "nat-gw:99999")).getMessage())
                .isEqualTo("'host-override': port 99999 must be 1 to 65535");
    }

    @Test
    void hostOverrideTakesAHostOrAHostAndPort() throws Exception {
        Options o = new Options("endpoint 'plant-opc'", url("host-override", "plant.example.com:4841"));
        EndpointSettings s = EndpointSettings.read("plant-opc", o, TestEndpoint.context(data, Map.of()));
        assertThat(s.hostOverride).isEqualTo("plant.example.com");
        assertThat(s.portOverride).isEqualTo(4841);
        s = EndpointSettings.read("plant-opc", new Options("e", url("host-override", "10.1.1.1")),
                TestEndpoint.context(data, Map.of()));
        assertThat(s.hostOverride).isEqualTo("10.1.1.1");
        assertThat(s.portOverride).isEqualTo(-1);
    }

    @Test
    void aDeviceTakesNoOptions() {
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> create(url(), Map.of("unit-id", "1"), Map.of()));
        assertThat(e.owner()).isEqualTo("device 'server'");
        assertThat(e.getMessage()).isEqualTo("an OPC UA device takes no options ('unit-id'): connection settings "
                + "belong to endpoint 'plant-opc'");
    }

    @Test
    void theTagsTypeIsTheAddresssType() throws Exception {
        OpcUaAddress a = OpcUaAddress.parse("ns=2;s=Running;bool");
        TagBinding honest = new TagBinding(new TagDefinition("run", "", "", null, DataType.BOOL, false), a, "fast",
                Duration.ofSeconds(1));
        create(url(), Map.of(), Map.of(), honest).close();
        TagBinding lying = new TagBinding(new TagDefinition("run", "", "", null, DataType.FLOAT64, false), a, "fast",
                Duration.ofSeconds(1));
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> create(url(), Map.of(), Map.of(), lying));
        assertThat(e.getMessage()).isEqualTo("the tag is float64 but its address ns=2;s=Running;bool delivers bool");
    }
}
