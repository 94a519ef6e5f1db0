package dev.stator.simulator;

import static dev.stator.simulator.OpcUaTesting.PASSWORD;
import static dev.stator.simulator.OpcUaTesting.USER;
import static dev.stator.simulator.OpcUaTesting.connect;
import static dev.stator.simulator.OpcUaTesting.connectAnonymously;
import static dev.stator.simulator.OpcUaTesting.connectUnsecured;
import static dev.stator.simulator.OpcUaTesting.disconnect;
import static dev.stator.simulator.OpcUaTesting.node;
import static dev.stator.simulator.OpcUaTesting.startWithOpcUa;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.stator.simulator.OpcUaTesting.ClientIdentity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.eclipse.milo.opcua.sdk.client.DiscoveryClient;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.sdk.client.identity.AnonymousProvider;
import org.eclipse.milo.opcua.sdk.client.identity.IdentityProvider;
import org.eclipse.milo.opcua.sdk.client.identity.SignedIdentityToken;
import org.eclipse.milo.opcua.sdk.client.identity.UsernameProvider;
import org.eclipse.milo.opcua.stack.core.Stack;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.security.DefaultClientCertificateValidator;
import org.eclipse.milo.opcua.stack.core.security.MemoryCertificateQuarantine;
import org.eclipse.milo.opcua.stack.core.security.MemoryTrustListManager;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.types.builtin.ByteString;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MessageSecurityMode;
import org.eclipse.milo.opcua.stack.core.types.enumerated.TimestampsToReturn;
import org.eclipse.milo.opcua.stack.core.types.enumerated.UserTokenType;
import org.eclipse.milo.opcua.stack.core.types.structured.AnonymousIdentityToken;
import org.eclipse.milo.opcua.stack.core.types.structured.EndpointDescription;
import org.eclipse.milo.opcua.stack.core.types.structured.SignatureData;
import org.eclipse.milo.opcua.stack.core.types.structured.UserTokenPolicy;
import org.eclipse.milo.opcua.stack.core.util.CertificateUtil;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Endpoints, certificates, trust and identities of the embedded OPC UA server, through a real Milo client. */
class OpcUaSecurityTest {

    // One PKI for the class: the server key is made once, not at every start.
    @TempDir
    static Path pki;

    private static PlantSimulator sim;

    @BeforeAll
    static void startPlant() throws Exception {
        sim = startWithOpcUa(b -> b.timeScale(0).opcUaPkiDirectory(pki).opcUaUser(USER, PASSWORD)
                .opcUaUser("engineer", "other-secret"));
    }

    @AfterAll
    static void stopPlant() {
        if (sim != null) {
            sim.close();
        }
        // Safe here: every client and server of this class is closed, and test classes run one after another.
        Stack.releaseSharedResources();
    }

    @Test
    void theEndpointsOfferEverySecurityPolicyWithAnonymousAndUsernameIdentities() throws Exception {
        List<EndpointDescription> endpoints =
                DiscoveryClient.getEndpoints(sim.opcUaEndpointUrl()).get(5, TimeUnit.SECONDS);

        assertThat(endpoints)
                .extracting(EndpointDescription::getSecurityPolicyUri, EndpointDescription::getSecurityMode)
                .containsExactlyInAnyOrder(
                        tuple(SecurityPolicy.None.getUri(), MessageSecurityMode.None),
                        tuple(SecurityPolicy.Basic256Sha256.getUri(), MessageSecurityMode.Sign),
                        tuple(SecurityPolicy.Basic256Sha256.getUri(), MessageSecurityMode.SignAndEncrypt),
                        tuple(SecurityPolicy.Aes128_Sha256_RsaOaep.getUri(), MessageSecurityMode.Sign),
                        tuple(SecurityPolicy.Aes128_Sha256_RsaOaep.getUri(), MessageSecurityMode.SignAndEncrypt),
                        tuple(SecurityPolicy.Aes256_Sha256_RsaPss.getUri(), MessageSecurityMode.Sign),
                        tuple(SecurityPolicy.Aes256_Sha256_RsaPss.getUri(), MessageSecurityMode.SignAndEncrypt));
        byte[] certificate = sim.opcUaServerCertificate().getEncoded();
        for (EndpointDescription endpoint : endpoints) {
            String policy = endpoint.getSecurityPolicyUri();
            assertThat(endpoint.getEndpointUrl()).isEqualTo(sim.opcUaEndpointUrl());
            assertThat(endpoint.getServer().getApplicationUri()).isEqualTo("urn:stator:simulator");
            assertThat(endpoint.getServerCertificate().bytes()).isEqualTo(certificate);
            assertThat(endpoint.getUserIdentityTokens()).extracting(UserTokenPolicy::getTokenType)
                    .containsExactly(UserTokenType.Anonymous, UserTokenType.UserName);
            // Passwords never travel in clear: over None they are encrypted with Basic256Sha256.
            UserTokenPolicy username = endpoint.getUserIdentityTokens()[1];
            String expected = policy.equals(SecurityPolicy.None.getUri()) ? SecurityPolicy.Basic256Sha256.getUri()
                    : policy;
            assertThat(username.getSecurityPolicyUri()).as(policy).isEqualTo(expected);
        }
    }

    @Test
    void theServerCertificateIsSelfSignedForTheApplicationAndLoopback() throws Exception {
        X509Certificate certificate = sim.opcUaServerCertificate();

        assertThat(CertificateUtil.getSanUri(certificate)).contains("urn:stator:simulator");
        assertThat(CertificateUtil.getSanDnsNames(certificate)).contains("localhost");
        assertThat(CertificateUtil.getSanIpAddresses(certificate)).contains("127.0.0.1");
        assertThat(certificate.getSubjectX500Principal()).isEqualTo(certificate.getIssuerX500Principal());
        certificate.verify(certificate.getPublicKey());
        certificate.checkValidity();
        assertThat(((RSAPublicKey) certificate.getPublicKey()).getModulus().bitLength()).isEqualTo(2048);
        assertThat(Files.readAllBytes(pki.resolve("own/stator-simulator.der"))).isEqualTo(certificate.getEncoded());
    }

    @ParameterizedTest
    @EnumSource(value = SecurityPolicy.class, names = {"Basic256Sha256", "Aes128_Sha256_RsaOaep",
            "Aes256_Sha256_RsaPss"})
    void anEncryptedSessionWithAUsernameNeedsATrustedClientCertificate(SecurityPolicy policy) throws Exception {
        ClientIdentity stranger = ClientIdentity.create();

        assertThatThrownBy(() -> connect(sim, policy, MessageSecurityMode.SignAndEncrypt, operator(), stranger))
                .isInstanceOfSatisfying(UaException.class, e -> assertThat(e.getStatusCode().value())
                        .isEqualTo(StatusCodes.Bad_SecurityChecksFailed));

        sim.trustOpcUaClient(stranger.certificate());
        OpcUaClient client = connect(sim, policy, MessageSecurityMode.SignAndEncrypt, operator(), stranger);
        try {
            DataValue level = client.readValue(0.0, TimestampsToReturn.Both, node(client, "LT-101"));
            assertThat(level.statusCode()).isEqualTo(StatusCode.GOOD);
            assertThat((Double) level.value().value()).isBetween(1.9, 2.1);
            StatusCode written = client.writeValues(List.of(node(client, "LIC-101.SP")),
                    List.of(DataValue.valueOnly(new Variant(2.75)))).get(0);
            assertThat(written).isEqualTo(StatusCode.GOOD);
            assertThat(sim.snapshot().setpoint()).isEqualTo(2.75);
        } finally {
            disconnect(client);
        }
        try (Stream<Path> trusted = Files.list(pki.resolve("trusted/certs"))) {
            assertThat(trusted.map(p -> p.getFileName().toString())).anyMatch(name -> name.endsWith(".der"));
        }
    }

    @Test
    void aSignedSessionWorksTooAndAWrongPasswordOrUnknownUserIsRefused() throws Exception {
        ClientIdentity client = ClientIdentity.create();
        sim.trustOpcUaClient(client.certificate());

        OpcUaClient signed = connect(sim, SecurityPolicy.Basic256Sha256, MessageSecurityMode.Sign,
                new UsernameProvider("engineer", "other-secret"), client);
        disconnect(signed);
        assertThatThrownBy(() -> connect(sim, SecurityPolicy.Basic256Sha256, MessageSecurityMode.SignAndEncrypt,
                new UsernameProvider(USER, "wrong"), client))
                .isInstanceOfSatisfying(UaException.class, e -> assertThat(e.getStatusCode().value())
                        .isEqualTo(StatusCodes.Bad_UserAccessDenied));
        assertThatThrownBy(() -> connect(sim, SecurityPolicy.Basic256Sha256, MessageSecurityMode.SignAndEncrypt,
                new UsernameProvider("nobody", PASSWORD), client))
                .isInstanceOfSatisfying(UaException.class, e -> assertThat(e.getStatusCode().value())
                        .isEqualTo(StatusCodes.Bad_UserAccessDenied));
        // Over the unsecured endpoint the password is still encrypted, with the server's certificate.
        OpcUaClient unsecured = connectUnsecured(sim, operator());
        disconnect(unsecured);
    }

    @Test
    void withAnonymousAccessOffOnlyUsersGetIn() throws Exception {
        try (PlantSimulator closed = startWithOpcUa(b -> b.timeScale(0).opcUaPkiDirectory(pki)
                .opcUaAnonymous(false).opcUaUser(USER, PASSWORD))) {
            List<EndpointDescription> endpoints =
                    DiscoveryClient.getEndpoints(closed.opcUaEndpointUrl()).get(5, TimeUnit.SECONDS);
            Set<UserTokenType> tokens = endpoints.stream()
                    .flatMap(e -> Arrays.stream(e.getUserIdentityTokens()))
                    .map(UserTokenPolicy::getTokenType)
                    .collect(Collectors.toSet());
            assertThat(tokens).containsExactly(UserTokenType.UserName);

            // Milo's client will not even try without an anonymous policy; a client that sends one anyway is refused.
            assertThatThrownBy(() -> connectAnonymously(closed)).isInstanceOf(UaException.class);
            IdentityProvider anonymousAnyway = (endpoint, nonce) -> new SignedIdentityToken(
                    new AnonymousIdentityToken("anonymous"), new SignatureData(null, ByteString.NULL_VALUE));
            assertThatThrownBy(() -> connectUnsecured(closed, anonymousAnyway))
                    .isInstanceOfSatisfying(UaException.class, e -> assertThat(e.getStatusCode().value())
                            .isEqualTo(StatusCodes.Bad_IdentityTokenInvalid));
            OpcUaClient user = connectUnsecured(closed, operator(closed));
            try {
                assertThat(user.readValue(0.0, TimestampsToReturn.Both, node(user, "PLC.HEARTBEAT")).statusCode())
                        .isEqualTo(StatusCode.GOOD);
            } finally {
                disconnect(user);
            }
        }
    }

    @Test
    void theCertificateAndTheTrustedClientsOutliveARestartFromTheSamePkiDirectory(@TempDir Path ownPki)
            throws Exception {
        ClientIdentity client = ClientIdentity.create();
        X509Certificate first;
        try (PlantSimulator before = startWithOpcUa(b -> b.opcUaPkiDirectory(ownPki).opcUaUser(USER, PASSWORD))) {
            first = before.opcUaServerCertificate();
            before.trustOpcUaClient(client.certificate());
        }
        assertThat(ownPki.resolve("own/stator-simulator.pfx")).isRegularFile();

        try (PlantSimulator after = startWithOpcUa(b -> b.opcUaPkiDirectory(ownPki).opcUaUser(USER, PASSWORD))) {
            assertThat(after.opcUaServerCertificate()).isEqualTo(first);
            OpcUaClient session = connect(after, SecurityPolicy.Aes256_Sha256_RsaPss,
                    MessageSecurityMode.SignAndEncrypt, operator(after), client);
            disconnect(session);
        }
        try (Stream<Path> files = Files.list(ownPki)) {
            assertThat(files.map(p -> p.getFileName().toString())).contains("own", "trusted", "issuer");
        }
    }

    @Test
    void aClientTrustedBeforeStartIsTrustedOnceRunning(@TempDir Path ownPki) throws Exception {
        ClientIdentity client = ClientIdentity.create();
        int modbusPort = SimTesting.freePort();
        int opcUaPort = SimTesting.freePort();
        while (opcUaPort == modbusPort) {
            opcUaPort = SimTesting.freePort();
        }
        PlantSimulator notYet = PlantSimulator.builder().modbusPort(modbusPort).opcUaPort(opcUaPort)
                .opcUaPkiDirectory(ownPki).build();
        try (notYet) {
            notYet.trustOpcUaClient(client.certificate());
            notYet.start();
            OpcUaClient session = connect(notYet, SecurityPolicy.Basic256Sha256, MessageSecurityMode.SignAndEncrypt,
                    AnonymousProvider.INSTANCE, client);
            disconnect(session);
        }
    }

    private static IdentityProvider operator() {
        return operator(sim);
    }

    // The password is encrypted with the server certificate; the provider checks that certificate like the client.
    private static IdentityProvider operator(PlantSimulator server) {
        MemoryTrustListManager trustList = new MemoryTrustListManager();
        trustList.addTrustedCertificate(server.opcUaServerCertificate());
        return new UsernameProvider(USER, PASSWORD,
                new DefaultClientCertificateValidator(trustList, new MemoryCertificateQuarantine()));
    }
}
