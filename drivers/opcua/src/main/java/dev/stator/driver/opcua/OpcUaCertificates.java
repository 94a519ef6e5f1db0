package dev.stator.driver.opcua;

import dev.stator.driver.api.Quality;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The OPC UA certificates of a workstation, for the command line and the console: this workstation's own
 * certificate, the server certificates trusted, and those refused (kept under {@code rejected} so that a person can
 * look at them and trust them). Trusting a certificate takes effect at the next connection attempt of every running
 * endpoint, with no restart. The folder layout is described in {@code docs/opcua.md}.
 *
 * <p>Every method reads or writes files in {@code <data>/pki/opcua} and may be called from any thread except the
 * JavaFX application thread (the first call to {@link #own()} may create a 2048-bit RSA key, which takes a moment).
 */
public final class OpcUaCertificates {

    private static final Logger LOG = LoggerFactory.getLogger(OpcUaCertificates.class);

    /** One certificate as a person checks it before trusting it. */
    public record CertificateInfo(String thumbprint, String subject, String issuer, Instant notBefore,
                                  Instant notAfter, Path file) {

        /** Whether the certificate is valid at {@code now}. */
        public boolean isValidAt(Instant now) {
            return !now.isBefore(notBefore) && !now.isAfter(notAfter);
        }

        @Override
        public String toString() {
            return thumbprint + "  " + subject + "  (issuer " + issuer + ", valid " + notBefore + " to "
                    + notAfter + ")";
        }
    }

    private final PkiDirectory pki;

    OpcUaCertificates(PkiDirectory pki) {
        this.pki = pki;
    }

    /**
     * The certificates of the workstation whose data folder is {@code dataDirectory}; the folders are created when
     * missing.
     *
     * @throws OpcUaException when the folders cannot be created
     */
    public static OpcUaCertificates open(Path dataDirectory) throws OpcUaException {
        return new OpcUaCertificates(PkiDirectory.open(dataDirectory));
    }

    /** The certificate folder, {@code <data>/pki/opcua}. */
    public Path directory() {
        return pki.base();
    }

    /**
     * This workstation's own certificate, created on first use, with application URI
     * {@code urn:stator:workstation:<hostname>}. Its file under {@code own/certs} is what a server administrator
     * must trust.
     */
    public CertificateInfo own() throws OpcUaException {
        PkiDirectory.OwnCertificate own = pki.ownCertificate();
        return info(own.certificate(), pki.ownCertificateFile());
    }

    /** Server certificates refused because they were not trusted, oldest file name first. */
    public List<CertificateInfo> rejected() {
        return list(pki.rejected());
    }

    /** Certificates trusted, including CA certificates trusted as such. */
    public List<CertificateInfo> trusted() {
        return list(pki.trustedCerts());
    }

    /**
     * Trusts the refused certificate with {@code thumbprint} (SHA-1, 40 hexadecimal digits; case, spaces and colons
     * ignored): it moves from {@code rejected} to {@code trusted/certs}. Trusting one already trusted returns it.
     *
     * @throws OpcUaException when no refused certificate has this thumbprint, or the files cannot be written
     */
    public CertificateInfo trust(String thumbprint) throws OpcUaException {
        String wanted = PkiDirectory.normaliseThumbprint(thumbprint);
        for (CertificateInfo t : trusted()) {
            if (t.thumbprint().equals(wanted)) {
                return t;
            }
        }
        for (PkiDirectory.Stored s : pki.stored(pki.rejected())) {
            if (PkiDirectory.thumbprintOrEmpty(s.certificate()).equals(wanted)) {
                CertificateInfo trusted = store(s.certificate());
                try {
                    Files.deleteIfExists(s.file());
                } catch (IOException e) {
                    LOG.warn("trusted {}, but cannot delete {}: {}", wanted, s.file(), e.getMessage());
                }
                LOG.info("trusted the OPC UA certificate {} ({})", wanted, trusted.subject());
                return trusted;
            }
        }
        throw new OpcUaException(Quality.BAD_NOT_FOUND, "no refused certificate has the thumbprint '" + thumbprint
                + "'" + known(rejected()));
    }

    /**
     * Trusts the certificate in {@code file} (DER or PEM), for a server certificate obtained from its administrator
     * before the first connection.
     *
     * @throws OpcUaException when the file is not a certificate or cannot be stored
     */
    public CertificateInfo trustFile(Path file) throws OpcUaException {
        try {
            X509Certificate certificate = PkiDirectory.decode(Files.readAllBytes(file));
            CertificateInfo trusted = store(certificate);
            LOG.info("trusted the OPC UA certificate {} ({}) from {}", trusted.thumbprint(), trusted.subject(), file);
            return trusted;
        } catch (IOException | CertificateException e) {
            throw new OpcUaException(Quality.BAD_CONFIGURATION_ERROR, file + " is not a readable certificate (DER or "
                    + "PEM): " + e.getMessage(), e);
        }
    }

    /**
     * Removes the certificate with {@code thumbprint} from the trusted and the refused ones: a trusted server is no
     * longer trusted from its next connection attempt.
     *
     * @return whether a certificate was removed
     * @throws OpcUaException when a file cannot be deleted
     */
    public boolean remove(String thumbprint) throws OpcUaException {
        String wanted = PkiDirectory.normaliseThumbprint(thumbprint);
        boolean removed = false;
        for (Path dir : List.of(pki.trustedCerts(), pki.rejected())) {
            for (PkiDirectory.Stored s : pki.stored(dir)) {
                if (PkiDirectory.thumbprintOrEmpty(s.certificate()).equals(wanted)) {
                    try {
                        Files.delete(s.file());
                        removed = true;
                        LOG.info("removed the OPC UA certificate {} ({})", wanted, s.file());
                    } catch (IOException e) {
                        throw new OpcUaException(Quality.BAD_CONFIGURATION_ERROR, "cannot delete " + s.file() + ": "
                                + e.getMessage(), e);
                    }
                }
            }
        }
        return removed;
    }

    private CertificateInfo store(X509Certificate certificate) throws OpcUaException {
        try {
            Path file = pki.trustedCerts().resolve(PkiDirectory.thumbprint(certificate) + ".der");
            PkiDirectory.writeAtomically(file, certificate.getEncoded());
            return info(certificate, file);
        } catch (IOException | CertificateEncodingException e) {
            throw new OpcUaException(Quality.BAD_CONFIGURATION_ERROR, "cannot write to " + pki.trustedCerts() + ": "
                    + e.getMessage(), e);
        }
    }

    private List<CertificateInfo> list(Path dir) {
        List<CertificateInfo> list = new ArrayList<>();
        for (PkiDirectory.Stored s : pki.stored(dir)) {
            list.add(info(s.certificate(), s.file()));
        }
        return list;
    }

    static CertificateInfo info(X509Certificate c, Path file) {
        return new CertificateInfo(PkiDirectory.thumbprintOrEmpty(c), c.getSubjectX500Principal().getName(),
                c.getIssuerX500Principal().getName(), c.getNotBefore().toInstant(), c.getNotAfter().toInstant(), file);
    }

    private static String known(List<CertificateInfo> rejected) {
        if (rejected.isEmpty()) {
            return " (no certificate has been refused)";
        }
        StringBuilder s = new StringBuilder(" (refused: ");
        for (int i = 0; i < rejected.size(); i++) {
            s.append(i == 0 ? "" : "; ").append(rejected.get(i).thumbprint()).append(' ')
                    .append(rejected.get(i).subject());
        }
        return s.append(')').toString();
    }
}
