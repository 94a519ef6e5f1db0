package dev.stator.driver.opcua;

import dev.stator.driver.api.Quality;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.security.DefaultClientCertificateValidator;
import org.eclipse.milo.opcua.stack.core.util.CertificateUtil;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateBuilder;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateGenerator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The workstation's certificate and the trust list, on files: created once and reused, listed, trusted and removed
 * by thumbprint, and used by Milo's standard validator (never an accept-all one).
 */
class OpcUaCertificatesTest {

    @TempDir
    Path data;
    private static X509Certificate server;

    @BeforeAll
    static void serverCertificate() throws Exception {
        server = new SelfSignedCertificateBuilder(SelfSignedCertificateGenerator.generateRsaKeyPair(2048))
                .setCommonName("Line 1 PLC").setOrganization("Plant").setApplicationUri("urn:plant:line1")
                .setValidityPeriod(Period.ofDays(365)).build();
    }

    @Test
    void theWorkstationCertificateIsCreatedOnceAndReused() throws Exception {
        OpcUaCertificates certificates = OpcUaCertificates.open(data);
        OpcUaCertificates.CertificateInfo own = certificates.own();
        Path pki = data.resolve("pki/opcua");
        assertThat(certificates.directory()).isEqualTo(pki);
        assertThat(own.file()).isEqualTo(pki.resolve("own/certs/stator-workstation.der"));
        Path key = pki.resolve("own/private/stator-workstation.pem");
        assertThat(Files.readString(key, StandardCharsets.US_ASCII)).contains("-----BEGIN PRIVATE KEY-----",
                "-----BEGIN CERTIFICATE-----");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
        for (String dir : List.of("trusted/certs", "trusted/crl", "issuers/certs", "issuers/crl", "rejected")) {
            assertThat(pki.resolve(dir)).isDirectory();
        }
        X509Certificate c = PkiDirectory.decode(Files.readAllBytes(own.file()));
        assertThat(CertificateUtil.getSanUri(c)).contains("urn:stator:workstation:" + PkiDirectory.hostname());
        assertThat(own.subject()).contains("CN=Stator workstation " + PkiDirectory.hostname());
        assertThat(own.notAfter()).isAfter(Instant.now().plus(Period.ofDays(4 * 365)));
        assertThat(own.thumbprint()).hasSize(40).isEqualTo(PkiDirectory.thumbprint(c));

        assertThat(OpcUaCertificates.open(data).own().thumbprint()).as("reused, not made again")
                .isEqualTo(own.thumbprint());
        PkiDirectory.OwnCertificate loaded = PkiDirectory.open(data).ownCertificate();
        assertThat(loaded.applicationUri()).isEqualTo("urn:stator:workstation:" + PkiDirectory.hostname());
        assertThat(loaded.keyPair().getPrivate().getAlgorithm()).isEqualTo("RSA");
    }

    @Test
    void aCertificateCloseToExpiryGivesAWarningThatSaysWhatToDo() throws Exception {
        PkiDirectory pki = PkiDirectory.open(data);
        PkiDirectory.OwnCertificate own = pki.ownCertificate(Period.ofDays(40));
        Clock now = Clock.fixed(Instant.now(), ZoneOffset.UTC);
        assertThat(own.expiryWarning(now)).as("40 days left: not yet").isNull();
        Clock later = Clock.offset(now, java.time.Duration.ofDays(20));
        assertThat(own.expiryWarning(later)).startsWith("this workstation's OPC UA certificate expires on "
                + own.notAfter()).contains("delete " + pki.ownKeyFile());
        Clock after = Clock.offset(now, java.time.Duration.ofDays(60));
        assertThat(own.expiryWarning(after)).contains("expired on " + own.notAfter());
    }

    @Test
    void aRefusedCertificateIsListedTrustedByThumbprintAndRemoved() throws Exception {
        OpcUaCertificates certificates = OpcUaCertificates.open(data);
        PkiDirectory.open(data).reject(server);
        String thumbprint = PkiDirectory.thumbprint(server);
        List<OpcUaCertificates.CertificateInfo> rejected = certificates.rejected();
        assertThat(rejected).singleElement().satisfies(c -> {
            assertThat(c.thumbprint()).isEqualTo(thumbprint);
            assertThat(c.subject()).isEqualTo("O=Plant,CN=Line 1 PLC");
            assertThat(c.issuer()).isEqualTo("O=Plant,CN=Line 1 PLC");
            assertThat(c.notBefore()).isBefore(Instant.now());
            assertThat(c.notAfter()).isAfter(Instant.now().plus(Period.ofDays(300)));
            assertThat(c.isValidAt(Instant.now())).isTrue();
        });

        // As copied from a console: upper case, with colons.
        String typed = thumbprint.toUpperCase().replaceAll("(..)(?!$)", "$1:");
        OpcUaCertificates.CertificateInfo trusted = certificates.trust(typed);
        assertThat(trusted.file()).isEqualTo(certificates.directory().resolve("trusted/certs/" + thumbprint
                + ".der"));
        assertThat(certificates.rejected()).isEmpty();
        assertThat(certificates.trusted()).extracting(OpcUaCertificates.CertificateInfo::thumbprint)
                .containsExactly(thumbprint);
        assertThat(certificates.trust(thumbprint)).as("trusting twice is harmless").isEqualTo(trusted);

        assertThat(certificates.remove(thumbprint)).isTrue();
        assertThat(certificates.trusted()).isEmpty();
        assertThat(certificates.remove(thumbprint)).isFalse();
    }

    @Test
    void trustingAnUnknownThumbprintListsTheRefusedOnes() throws Exception {
        OpcUaCertificates certificates = OpcUaCertificates.open(data);
        PkiDirectory.open(data).reject(server);
        OpcUaException e = catchThrowableOfType(OpcUaException.class, () -> certificates.trust("0123abcd"));
        assertThat(e.quality()).isEqualTo(Quality.BAD_NOT_FOUND);
        assertThat(e.getMessage()).isEqualTo("no refused certificate has the thumbprint '0123abcd' (refused: "
                + PkiDirectory.thumbprint(server) + " O=Plant,CN=Line 1 PLC)");
    }

    @Test
    void aCertificateFileFromTheServersAdministratorCanBeTrusted() throws Exception {
        OpcUaCertificates certificates = OpcUaCertificates.open(data);
        Path pem = data.resolve("line1.crt");
        Files.writeString(pem, "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder().encodeToString(
                server.getEncoded()) + "\n-----END CERTIFICATE-----\n");
        assertThat(certificates.trustFile(pem).thumbprint()).isEqualTo(PkiDirectory.thumbprint(server));
        OpcUaException e = catchThrowableOfType(OpcUaException.class,
                () -> certificates.trustFile(data.resolve("pki")));
        assertThat(e.getMessage()).contains("is not a readable certificate");
    }

    @Test
    void milosValidatorRefusesUntilTheCertificateIsTrustedAndKeepsTheRefusedOne() throws Exception {
        PkiDirectory pki = PkiDirectory.open(data);
        OpcUaCertificates certificates = OpcUaCertificates.open(data);
        DefaultClientCertificateValidator validator = new DefaultClientCertificateValidator(pki.trustListManager(),
                pki.quarantine());
        UaException refused = catchThrowableOfType(UaException.class,
                () -> validator.validateCertificateChain(List.of(server), "urn:plant:line1", null));
        assertThat(refused).as("an untrusted certificate is refused").isNotNull();
        assertThat(certificates.rejected()).extracting(OpcUaCertificates.CertificateInfo::thumbprint)
                .containsExactly(PkiDirectory.thumbprint(server));

        certificates.trust(PkiDirectory.thumbprint(server));
        validator.validateCertificateChain(List.of(server), "urn:plant:line1", null);

        certificates.remove(PkiDirectory.thumbprint(server));
        assertThat(catchThrowableOfType(UaException.class,
                () -> validator.validateCertificateChain(List.of(server), "urn:plant:line1", null)))
                .as("refused again once removed").isNotNull();
    }
}
