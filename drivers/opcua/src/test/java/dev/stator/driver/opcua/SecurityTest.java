package dev.stator.driver.opcua;

import dev.stator.driver.api.DeviceStatus;
import dev.stator.driver.api.Quality;
import dev.stator.driver.api.TagValue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Period;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Real security against a server with its own PKI: a signed and encrypted channel, a user whose password comes from
 * the workstation's secrets, server certificates validated against the trust list (an untrusted one refused and
 * kept until a person trusts it, which takes effect with no restart), and the certificate's expiry reported.
 */
class SecurityTest {

    @TempDir
    static Path serverDir;
    @TempDir
    Path data;
    private static TestServer server;
    private static String ns;
    private TestEndpoint endpoint;

    @BeforeAll
    static void startServer() throws Exception {
        server = TestServer.start(serverDir.resolve("server"));
        ns = "ns=" + server.namespaceIndex() + ";s=";
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @AfterEach
    void stop() {
        if (endpoint != null) {
            endpoint.close();
        }
    }

    /** The server trusts this workstation's certificate, as its administrator would after being handed the file. */
    private OpcUaCertificates serverTrustsUs() throws Exception {
        OpcUaCertificates certificates = OpcUaCertificates.open(data);
        server.trustClient(PkiDirectory.decode(Files.readAllBytes(certificates.own().file())));
        return certificates;
    }

    /** Defaults: Basic256Sha256 with SignAndEncrypt. */
    private TestEndpoint.Spec secure() {
        return TestEndpoint.spec(server.url(), data).without("security-policy");
    }

    @Test
    void signAndEncryptWithAUserWhosePasswordComesFromTheSecrets() throws Exception {
        OpcUaCertificates certificates = serverTrustsUs();
        Path serverCertificate = serverDir.resolve("server-cert.der");
        Files.write(serverCertificate, server.certificate().getEncoded());
        certificates.trustFile(serverCertificate);

        endpoint = secure().endpoint("username", TestServer.USER).password(TestServer.PASSWORD)
                .tag("double", ns + "Plain/Double").start();
        assertThat(endpoint.good("double").value()).isEqualTo(21.5);
        DeviceStatus s = endpoint.status();
        assertThat(s.address()).isEqualTo(server.url() + " (Basic256Sha256, SignAndEncrypt, user operator)");
        assertThat(endpoint.trace).anyMatch(l -> l.contains("-> CreateSession " + server.url()
                + " Basic256Sha256/SignAndEncrypt"));
        assertThat(certificates.rejected()).isEmpty();
    }

    @Test
    void aWrongPasswordIsReportedWithWhereToFixIt() throws Exception {
        serverTrustsUs().trustFile(writeServerCertificate());
        endpoint = secure().endpoint("username", TestServer.USER).password("not-it")
                .tag("double", ns + "Plain/Double").start();
        TagValue bad = endpoint.await("double", v -> v.quality().isBad());
        assertThat(bad.quality().name()).isIn("Bad_UserAccessDenied", "Bad (0x80210000)", "Bad (0x80200000)");
        assertThat(bad.detail()).contains("the server refused user 'operator': check the user and the password in "
                + data.resolve("secrets.yaml"));
    }

    @Test
    void anUntrustedServerCertificateIsRefusedUntilTrustedThenTheNextAttemptConnects() throws Exception {
        OpcUaCertificates certificates = serverTrustsUs();
        endpoint = secure().tag("double", ns + "Plain/Double").start();

        TagValue bad = endpoint.await("double", v -> v.quality().isBad());
        String thumbprint = PkiDirectory.thumbprint(server.certificate());
        assertThat(bad.quality().code()).isEqualTo(0x801A_0000);
        assertThat(bad.detail()).startsWith("Bad_CertificateUntrusted: the server certificate O=Stator,CN=Stator Test "
                + "Server (thumbprint " + thumbprint + ") is not trusted; it is kept in "
                + certificates.directory().resolve("rejected"));
        assertThat(certificates.rejected()).singleElement().satisfies(c -> {
            assertThat(c.thumbprint()).isEqualTo(thumbprint);
            assertThat(c.subject()).isEqualTo("O=Stator,CN=Stator Test Server");
            assertThat(c.file()).isEqualTo(certificates.directory().resolve("rejected").resolve(thumbprint + ".der"));
        });
        assertThat(endpoint.status().errorsByKind()).containsKey("Bad_CertificateUntrusted");
        assertThat(endpoint.status().lastError()).contains(thumbprint);
        Thread.sleep(800);
        assertThat(endpoint.latest.get("double").quality().isBad()).as("still refused: nobody trusted it").isTrue();

        long trusted = System.nanoTime();
        certificates.trust(thumbprint.toUpperCase());
        assertThat(endpoint.good("double").value()).isEqualTo(21.5);
        TestEndpoint.Received good = endpoint.firstAfter("double", trusted, v -> v.quality().isGood());
        // The next attempt comes within reconnect-max (500 ms here), then discovery and a session.
        assertThat(TestEndpoint.millis(good.nanos() - trusted)).isLessThan(500 + 3_000);
        assertThat(certificates.rejected()).isEmpty();
        assertThat(certificates.trusted()).extracting(OpcUaCertificates.CertificateInfo::thumbprint)
                .containsExactly(thumbprint);
    }

    @Test
    void aServerThatDoesNotTrustThisWorkstationSaysWhichCertificateToTrust() throws Exception {
        OpcUaCertificates certificates = OpcUaCertificates.open(data);
        certificates.trustFile(writeServerCertificate());
        endpoint = secure().tag("double", ns + "Plain/Double").start();
        TagValue bad = endpoint.await("double", v -> v.quality().isBad());
        assertThat(bad.detail()).isEqualTo("Bad_SecurityChecksFailed: the server refused the secure channel; it "
                + "probably does not trust this workstation's certificate (thumbprint "
                + certificates.own().thumbprint() + "): trust " + certificates.own().file() + " on the server");
    }

    @Test
    void aSecurityPolicyTheServerDoesNotOfferIsAConfigurationError() throws Exception {
        endpoint = secure().endpoint("security-policy", "Aes128_Sha256_RsaOaep").tag("double", ns + "Plain/Double")
                .start();
        TagValue bad = endpoint.await("double", v -> v.quality().isBad());
        assertThat(bad.quality()).isEqualTo(Quality.BAD_CONFIGURATION_ERROR);
        assertThat(bad.detail()).startsWith("the server at " + server.url() + " offers no "
                + "Aes128_Sha256_RsaOaep/SignAndEncrypt endpoint (it offers: None/None [Anonymous, UserName]; "
                + "Basic256Sha256/Sign [Anonymous, UserName]; Basic256Sha256/SignAndEncrypt [Anonymous, UserName])");
    }

    @Test
    void aCertificateCloseToExpiryIsReportedInTheDeviceStatus() throws Exception {
        PkiDirectory.open(data).ownCertificate(Period.ofDays(10));
        endpoint = TestEndpoint.spec(server.url(), data).tag("double", ns + "Plain/Double").start();
        endpoint.good("double");
        DeviceStatus s = endpoint.status();
        assertThat(s.errorsByKind()).containsEntry("certificate expiring", 1L);
        assertThat(s.lastError()).startsWith("this workstation's OPC UA certificate expires on ")
                .contains("(in 9 days)", "delete " + data.resolve("pki/opcua/own/private/stator-workstation.pem"));
    }

    private Path writeServerCertificate() throws Exception {
        Path file = data.resolve("server-cert.der");
        Files.write(file, server.certificate().getEncoded());
        return file;
    }
}
