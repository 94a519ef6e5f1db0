package dev.stator.simulator;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

import java.io.IOException;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.sdk.client.identity.AnonymousProvider;
import org.eclipse.milo.opcua.sdk.client.identity.IdentityProvider;
import org.eclipse.milo.opcua.stack.core.NamespaceTable;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.security.DefaultClientCertificateValidator;
import org.eclipse.milo.opcua.stack.core.security.MemoryCertificateQuarantine;
import org.eclipse.milo.opcua.stack.core.security.MemoryTrustListManager;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.types.builtin.ExpandedNodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MessageSecurityMode;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateBuilder;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateGenerator;
import org.eclipse.milo.opcua.stack.core.util.validation.ValidationCheck;

/** Shared OPC UA test plumbing: simulators with OPC UA, real Milo clients with bounded timeouts, client identities. */
final class OpcUaTesting {

    /** The application URI of the test client, also in its certificate. */
    static final String CLIENT_URI = "urn:stator:simulator:test-client";
    /** A user the OPC UA tests configure. */
    static final String USER = "operator";
    /** Its password. */
    static final String PASSWORD = "pump-station-1";

    private static final int TIMEOUT_MILLIS = 5000;

    private OpcUaTesting() {
    }

    /** A started simulator serving Modbus and OPC UA on two free ports; retries if a port was grabbed meanwhile. */
    static PlantSimulator startWithOpcUa(UnaryOperator<PlantSimulator.Builder> config) throws IOException {
        IOException last = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            int modbusPort = SimTesting.freePort();
            int opcUaPort = SimTesting.freePort();
            while (opcUaPort == modbusPort) {
                opcUaPort = SimTesting.freePort();
            }
            PlantSimulator sim = config.apply(PlantSimulator.builder().modbusPort(modbusPort).opcUaPort(opcUaPort))
                    .build();
            try {
                sim.start();
                return sim;
            } catch (IOException e) {
                sim.close();
                last = e;
            }
        }
        throw last;
    }

    /** A client application certificate: self-signed, RSA 2048, application URI {@link #CLIENT_URI}. */
    record ClientIdentity(KeyPair keyPair, X509Certificate certificate) {
        static ClientIdentity create() throws Exception {
            KeyPair keyPair = SelfSignedCertificateGenerator.generateRsaKeyPair(2048);
            X509Certificate certificate = new SelfSignedCertificateBuilder(keyPair)
                    .setCommonName("Stator simulator test client")
                    .setOrganization("Stator")
                    .setApplicationUri(CLIENT_URI)
                    .addIpAddress("127.0.0.1")
                    .addDnsName("localhost")
                    .build();
            return new ClientIdentity(keyPair, certificate);
        }
    }

    /** Connects anonymously over the endpoint without security. */
    static OpcUaClient connectUnsecured(PlantSimulator sim, IdentityProvider identity) throws UaException {
        return connect(sim, SecurityPolicy.None, MessageSecurityMode.None, identity, null);
    }

    /** Connects anonymously over the endpoint without security. */
    static OpcUaClient connectAnonymously(PlantSimulator sim) throws UaException {
        return connectUnsecured(sim, AnonymousProvider.INSTANCE);
    }

    /**
     * Connects over the endpoint with {@code policy} and {@code mode} as {@code identity}, presenting {@code client}
     * (null for no certificate). The client validates the server's certificate for real: it trusts exactly the
     * simulator's certificate and checks its validity, host name and application URI.
     */
    static OpcUaClient connect(PlantSimulator sim, SecurityPolicy policy, MessageSecurityMode mode,
            IdentityProvider identity, ClientIdentity client) throws UaException {
        MemoryTrustListManager trustList = new MemoryTrustListManager();
        trustList.addTrustedCertificate(sim.opcUaServerCertificate());
        OpcUaClient opcUa = OpcUaClient.create(sim.opcUaEndpointUrl(),
                endpoints -> endpoints.stream()
                        .filter(e -> policy.getUri().equals(e.getSecurityPolicyUri()) && e.getSecurityMode() == mode)
                        .findFirst(),
                transport -> transport.setConnectTimeout(uint(TIMEOUT_MILLIS)),
                config -> {
                    config.setApplicationName(LocalizedText.english("Stator simulator test client"))
                            .setApplicationUri(CLIENT_URI)
                            .setIdentityProvider(identity)
                            .setRequestTimeout(uint(TIMEOUT_MILLIS))
                            .setCertificateValidator(new DefaultClientCertificateValidator(trustList,
                                    Set.of(ValidationCheck.VALIDITY, ValidationCheck.HOSTNAME,
                                            ValidationCheck.APPLICATION_URI),
                                    new MemoryCertificateQuarantine()));
                    if (client != null) {
                        config.setKeyPair(client.keyPair())
                                .setCertificate(client.certificate())
                                .setCertificateChain(new X509Certificate[] {client.certificate()});
                    }
                });
        try {
            opcUa.connect();
        } catch (UaException e) {
            disconnect(opcUa);
            throw e;
        }
        return opcUa;
    }

    /** Disconnects, waiting at most a few seconds; null is ignored. */
    static void disconnect(OpcUaClient client) {
        if (client == null) {
            return;
        }
        try {
            client.disconnectAsync().get(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            // The test has its result; a slow goodbye must not turn it into a failure.
        }
    }

    /** The NodeId of {@code tag}, resolved the way a project addresses it: {@code nsu=<namespace>;s=<tag>}. */
    static NodeId node(OpcUaClient client, String tag) throws UaException {
        NamespaceTable namespaces = client.getNamespaceTable();
        ExpandedNodeId address = ExpandedNodeId.parse("nsu=" + PlantSimulator.OPC_UA_NAMESPACE_URI + ";s=" + tag);
        Optional<NodeId> id = address.toNodeId(namespaces);
        if (id.isEmpty()) {
            id = address.toNodeId(client.readNamespaceTable());
        }
        return id.orElseThrow(() -> new AssertionError("namespace not on the server: " + address));
    }

    /** The NodeIds of {@code tags}. */
    static List<NodeId> nodes(OpcUaClient client, List<String> tags) throws UaException {
        NodeId[] ids = new NodeId[tags.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = node(client, tags.get(i));
        }
        return List.of(ids);
    }
}
