package dev.stator.driver.opcua;

import dev.stator.driver.api.Quality;
import org.eclipse.milo.opcua.stack.core.security.CertificateQuarantine;
import org.eclipse.milo.opcua.stack.core.security.TrustListManager;
import org.eclipse.milo.opcua.stack.core.types.builtin.ByteString;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateBuilder;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.cert.CRL;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The OPC UA certificate folder of a workstation, {@code <data>/pki/opcua}:
 *
 * <pre>
 *   own/private/stator-workstation.pem   this workstation's private key and certificate (readable by its user only)
 *   own/certs/stator-workstation.der     the same certificate alone, to hand to server administrators
 *   trusted/certs/   trusted/crl/        server certificates (or CAs) trusted, and their revocation lists
 *   issuers/certs/   issuers/crl/        CA certificates that complete a chain without being trusted themselves
 *   rejected/                            server certificates refused, kept so that a person can trust them
 * </pre>
 *
 * Certificates are stored as {@code <sha1 thumbprint>.der}; a DER or PEM file of any name that an administrator puts
 * in a folder is read too. The folders are read at every validation, so a certificate moved into {@code trusted}
 * counts from the next connection attempt, with no restart and no watcher thread.
 *
 * <p>Thread-safe: every method works on the files only; creating the workstation certificate is serialised within
 * the JVM and written with an atomic move, so two endpoints starting together share one certificate.
 */
final class PkiDirectory {

    private static final Logger LOG = LoggerFactory.getLogger(PkiDirectory.class);

    /** The workstation certificate's name in {@code own/}. */
    static final String OWN_NAME = "stator-workstation";
    /** How long a new workstation certificate is valid. */
    static final Period DEFAULT_VALIDITY = Period.ofYears(5);
    /** How long before expiry the workstation certificate is reported. */
    static final Duration EXPIRY_WARNING = Duration.ofDays(30);

    private static final Object CREATE_LOCK = new Object();
    private static final Pattern PEM = Pattern.compile(
            "-----BEGIN ([A-Z ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");

    private final Path base;

    private PkiDirectory(Path base) {
        this.base = base;
    }

    /** The folder under {@code dataDirectory}, created with its sub-folders when missing. */
    static PkiDirectory open(Path dataDirectory) throws OpcUaException {
        PkiDirectory pki = new PkiDirectory(dataDirectory.resolve("pki").resolve("opcua"));
        try {
            for (Path p : List.of(pki.ownCerts(), pki.ownPrivate(), pki.trustedCerts(), pki.trustedCrl(),
                    pki.issuerCerts(), pki.issuerCrl(), pki.rejected())) {
                Files.createDirectories(p);
            }
        } catch (IOException e) {
            throw new OpcUaException(Quality.BAD_CONFIGURATION_ERROR, "cannot create the OPC UA certificate folder "
                    + pki.base + ": " + e.getMessage(), e);
        }
        return pki;
    }

    Path base() {
        return base;
    }

    Path ownCerts() {
        return base.resolve("own").resolve("certs");
    }

    Path ownPrivate() {
        return base.resolve("own").resolve("private");
    }

    Path trustedCerts() {
        return base.resolve("trusted").resolve("certs");
    }

    Path trustedCrl() {
        return base.resolve("trusted").resolve("crl");
    }

    Path issuerCerts() {
        return base.resolve("issuers").resolve("certs");
    }

    Path issuerCrl() {
        return base.resolve("issuers").resolve("crl");
    }

    Path rejected() {
        return base.resolve("rejected");
    }

    Path ownKeyFile() {
        return ownPrivate().resolve(OWN_NAME + ".pem");
    }

    Path ownCertificateFile() {
        return ownCerts().resolve(OWN_NAME + ".der");
    }

    // ------------------------------------------------------------------ the workstation's own certificate

    /** The workstation's key pair and certificate, as used in every secure channel. */
    record OwnCertificate(KeyPair keyPair, X509Certificate certificate, String applicationUri, Path file) {

        Instant notAfter() {
            return certificate.getNotAfter().toInstant();
        }

        /** A warning to show when the certificate expires within {@link #EXPIRY_WARNING}, or null. */
        String expiryWarning(Clock clock) {
            Instant now = clock.instant();
            Instant end = notAfter();
            if (end.isAfter(now.plus(EXPIRY_WARNING))) {
                return null;
            }
            String when = end.isBefore(now) ? "expired on " + end : "expires on " + end + " (in "
                    + Duration.between(now, end).toDays() + " days)";
            return "this workstation's OPC UA certificate " + when + ": delete " + file
                    + " to have a new one made at the next start, and trust the new one on every server";
        }
    }

    /** Loads the workstation certificate, creating it (valid {@link #DEFAULT_VALIDITY}) on first use. */
    OwnCertificate ownCertificate() throws OpcUaException {
        return ownCertificate(DEFAULT_VALIDITY);
    }

    OwnCertificate ownCertificate(Period validity) throws OpcUaException {
        synchronized (CREATE_LOCK) {
            Path file = ownKeyFile();
            if (Files.exists(file)) {
                return load(file);
            }
            return create(file, validity);
        }
    }

    private OwnCertificate load(Path file) throws OpcUaException {
        try {
            String text = Files.readString(file, StandardCharsets.US_ASCII);
            PrivateKey key = null;
            X509Certificate certificate = null;
            Matcher m = PEM.matcher(text);
            while (m.find()) {
                byte[] der = Base64.getMimeDecoder().decode(m.group(2));
                if (m.group(1).equals("PRIVATE KEY")) {
                    key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
                } else if (m.group(1).equals("CERTIFICATE")) {
                    certificate = decode(der);
                }
            }
            if (key == null || certificate == null) {
                throw new OpcUaException(Quality.BAD_CONFIGURATION_ERROR, file + " must hold a PRIVATE KEY and a "
                        + "CERTIFICATE block; delete it to have a new certificate made");
            }
            String uri = applicationUri(certificate);
            return new OwnCertificate(new KeyPair(certificate.getPublicKey(), key), certificate, uri, file);
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            throw new OpcUaException(Quality.BAD_CONFIGURATION_ERROR, "cannot read this workstation's OPC UA "
                    + "certificate " + file + ": " + e.getMessage() + "; delete it to have a new one made", e);
        }
    }

    private OwnCertificate create(Path file, Period validity) throws OpcUaException {
        String host = hostname();
        String uri = "urn:stator:workstation:" + host;
        try {
            KeyPair keyPair = SelfSignedCertificateGenerator.generateRsaKeyPair(2048);
            X509Certificate certificate = new SelfSignedCertificateBuilder(keyPair)
                    .setCommonName("Stator workstation " + host)
                    .setOrganization("Stator")
                    .setApplicationUri(uri)
                    .addDnsName(host)
                    .setValidityPeriod(validity)
                    .build();
            String pem = pem("PRIVATE KEY", keyPair.getPrivate().getEncoded())
                    + pem("CERTIFICATE", certificate.getEncoded());
            Path tmp = Files.createTempFile(ownPrivate(), OWN_NAME, ".tmp");
            restrictToOwner(tmp);
            Files.writeString(tmp, pem, StandardCharsets.US_ASCII);
            move(tmp, file);
            writeAtomically(ownCertificateFile(), certificate.getEncoded());
            LOG.info("created this workstation's OPC UA certificate {} (application URI {}, valid until {}, "
                    + "thumbprint {})", file, uri, certificate.getNotAfter().toInstant(), thumbprint(certificate));
            return new OwnCertificate(keyPair, certificate, uri, file);
        } catch (Exception e) {
            throw new OpcUaException(Quality.BAD_CONFIGURATION_ERROR, "cannot create this workstation's OPC UA "
                    + "certificate in " + ownPrivate() + ": " + e.getMessage(), e);
        }
    }

    private static String applicationUri(X509Certificate certificate) throws CertificateException {
        if (certificate.getSubjectAlternativeNames() != null) {
            for (List<?> name : certificate.getSubjectAlternativeNames()) {
                if (name.size() == 2 && Integer.valueOf(6).equals(name.get(0))) {
                    return String.valueOf(name.get(1));
                }
            }
        }
        return "urn:stator:workstation:" + hostname();
    }

    static String hostname() {
        try {
            String name = InetAddress.getLocalHost().getHostName();
            return name == null || name.isBlank() ? "localhost" : name;
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static void restrictToOwner(Path file) {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException | IOException e) {
            // Not a POSIX file system: the data folder's own permissions protect the key.
        }
    }

    // ------------------------------------------------------------------ trust list, issuers, rejected

    List<X509Certificate> trusted() {
        return certificatesIn(trustedCerts());
    }

    List<X509Certificate> issuers() {
        return certificatesIn(issuerCerts());
    }

    List<X509Certificate> rejectedCertificates() {
        return certificatesIn(rejected());
    }

    List<X509CRL> trustedCrls() {
        return crlsIn(trustedCrl());
    }

    List<X509CRL> issuerCrls() {
        return crlsIn(issuerCrl());
    }

    /** Every certificate in {@code dir} with the file it came from; unreadable files are skipped with a warning. */
    List<Stored> stored(Path dir) {
        List<Stored> list = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                try {
                    list.add(new Stored(decode(Files.readAllBytes(f)), f));
                } catch (IOException | CertificateException e) {
                    LOG.warn("{} is not a certificate (DER or PEM): {}", f, e.getMessage());
                }
            }
        } catch (IOException e) {
            LOG.warn("cannot list {}: {}", dir, e.getMessage());
        }
        return list;
    }

    /** A certificate and its file. */
    record Stored(X509Certificate certificate, Path file) {
    }

    private List<X509Certificate> certificatesIn(Path dir) {
        return stored(dir).stream().map(Stored::certificate).toList();
    }

    private static List<X509CRL> crlsIn(Path dir) {
        List<X509CRL> list = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                try (InputStream in = Files.newInputStream(f)) {
                    for (CRL crl : CertificateFactory.getInstance("X.509").generateCRLs(in)) {
                        if (crl instanceof X509CRL x) {
                            list.add(x);
                        }
                    }
                } catch (IOException | GeneralSecurityException e) {
                    LOG.warn("{} is not a certificate revocation list: {}", f, e.getMessage());
                }
            }
        } catch (IOException e) {
            LOG.warn("cannot list {}: {}", dir, e.getMessage());
        }
        return list;
    }

    /** Keeps a refused certificate under {@code rejected} (unless already trusted), named by its thumbprint. */
    void reject(X509Certificate certificate) {
        try {
            String thumbprint = thumbprint(certificate);
            if (trusted().stream().anyMatch(c -> thumbprintOrEmpty(c).equals(thumbprint))) {
                return;
            }
            Path file = rejected().resolve(thumbprint + ".der");
            if (!Files.exists(file)) {
                writeAtomically(file, certificate.getEncoded());
                LOG.warn("refused the server certificate {} (thumbprint {}); kept as {}",
                        certificate.getSubjectX500Principal().getName(), thumbprint, file);
            }
        } catch (IOException | CertificateEncodingException e) {
            LOG.warn("cannot keep a refused certificate under {}: {}", rejected(), e.getMessage());
        }
    }

    /** Writes {@code bytes} to a temporary file beside {@code target}, then moves it into place. */
    static void writeAtomically(Path target, byte[] bytes) throws IOException {
        Path tmp = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".tmp");
        try {
            Files.write(tmp, bytes);
            move(tmp, target);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    static X509Certificate decode(byte[] bytes) throws CertificateException {
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(bytes));
    }

    /** The SHA-1 thumbprint of the DER encoding, as 40 lower-case hexadecimal digits. */
    static String thumbprint(X509Certificate certificate) throws CertificateEncodingException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(certificate.getEncoded()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is missing from this Java runtime", e);
        }
    }

    static String thumbprintOrEmpty(X509Certificate certificate) {
        try {
            return thumbprint(certificate);
        } catch (CertificateEncodingException e) {
            return "";
        }
    }

    /** A thumbprint as typed: separators and case ignored. */
    static String normaliseThumbprint(String text) {
        return text == null ? "" : text.replaceAll("[\\s:-]", "").toLowerCase(Locale.ROOT);
    }

    // ------------------------------------------------------------------ Milo adapters

    /** The trust list as Milo's validator reads it: the folders, read at every validation. */
    TrustListManager trustListManager() {
        return new FolderTrustList();
    }

    /** Where Milo's validator puts the certificates it refuses. */
    CertificateQuarantine quarantine() {
        return new CertificateQuarantine() {
            @Override
            public List<X509Certificate> getRejectedCertificates() {
                return rejectedCertificates();
            }

            @Override
            public void addRejectedCertificate(X509Certificate certificate) {
                reject(certificate);
            }

            @Override
            public void removeRejectedCertificate(X509Certificate certificate) {
                String thumbprint = thumbprintOrEmpty(certificate);
                for (Stored s : stored(rejected())) {
                    if (thumbprintOrEmpty(s.certificate()).equals(thumbprint)) {
                        try {
                            Files.deleteIfExists(s.file());
                        } catch (IOException e) {
                            LOG.warn("cannot delete {}: {}", s.file(), e.getMessage());
                        }
                    }
                }
            }
        };
    }

    /**
     * Milo's trust list interface over the folders. Changes go through {@link OpcUaCertificates}, which writes the
     * files; the setters here exist for the interface and write files as well.
     */
    private final class FolderTrustList implements TrustListManager {

        @Override
        public List<X509CRL> getIssuerCrls() {
            return issuerCrls();
        }

        @Override
        public List<X509CRL> getTrustedCrls() {
            return trustedCrls();
        }

        @Override
        public List<X509Certificate> getIssuerCertificates() {
            return issuers();
        }

        @Override
        public List<X509Certificate> getTrustedCertificates() {
            return trusted();
        }

        @Override
        public void setIssuerCrls(List<X509CRL> crls) {
            throw new UnsupportedOperationException("put revocation lists in " + issuerCrl());
        }

        @Override
        public void setTrustedCrls(List<X509CRL> crls) {
            throw new UnsupportedOperationException("put revocation lists in " + trustedCrl());
        }

        @Override
        public void setIssuerCertificates(List<X509Certificate> certificates) {
            throw new UnsupportedOperationException("put issuer certificates in " + issuerCerts());
        }

        @Override
        public void setTrustedCertificates(List<X509Certificate> certificates) {
            throw new UnsupportedOperationException("trust certificates through OpcUaCertificates");
        }

        @Override
        public void addIssuerCertificate(X509Certificate certificate) {
            store(issuerCerts(), certificate);
        }

        @Override
        public void addTrustedCertificate(X509Certificate certificate) {
            store(trustedCerts(), certificate);
        }

        @Override
        public boolean removeIssuerCertificate(ByteString thumbprint) {
            return delete(issuerCerts(), HexFormat.of().formatHex(thumbprint.bytesOrEmpty()));
        }

        @Override
        public boolean removeTrustedCertificate(ByteString thumbprint) {
            return delete(trustedCerts(), HexFormat.of().formatHex(thumbprint.bytesOrEmpty()));
        }

        @Override
        public DateTime getLastUpdateTime() {
            return DateTime.now();
        }

        private void store(Path dir, X509Certificate certificate) {
            try {
                writeAtomically(dir.resolve(thumbprint(certificate) + ".der"), certificate.getEncoded());
            } catch (IOException | CertificateEncodingException e) {
                LOG.warn("cannot store a certificate in {}: {}", dir, e.getMessage());
            }
        }

        private boolean delete(Path dir, String thumbprint) {
            boolean deleted = false;
            for (Stored s : stored(dir)) {
                if (thumbprintOrEmpty(s.certificate()).equals(thumbprint)) {
                    try {
                        deleted |= Files.deleteIfExists(s.file());
                    } catch (IOException e) {
                        LOG.warn("cannot delete {}: {}", s.file(), e.getMessage());
                    }
                }
            }
            return deleted;
        }
    }
}
