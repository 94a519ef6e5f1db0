package dev.stator.simulator;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.security.CertificateManager;
import org.eclipse.milo.opcua.stack.core.security.CertificateStore;
import org.eclipse.milo.opcua.stack.core.security.DefaultApplicationGroup;
import org.eclipse.milo.opcua.stack.core.security.DefaultCertificateManager;
import org.eclipse.milo.opcua.stack.core.security.DefaultServerCertificateValidator;
import org.eclipse.milo.opcua.stack.core.security.FileBasedTrustListManager;
import org.eclipse.milo.opcua.stack.core.security.MemoryCertificateQuarantine;
import org.eclipse.milo.opcua.stack.core.security.MemoryCertificateStore;
import org.eclipse.milo.opcua.stack.core.security.RsaSha256CertificateFactory;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateBuilder;
import org.eclipse.milo.opcua.stack.core.util.validation.ValidationCheck;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OPC UA server's PKI directory: its own key and self-signed certificate, the lists of trusted and issuer
 * certificates that client certificates are validated against, and the Milo certificate manager built on them.
 *
 * <pre>
 * own/stator-simulator.pfx   key and certificate (PKCS#12), created on the first start, reused afterwards
 * own/stator-simulator.der   the certificate alone, for a client's administrator to trust
 * trusted/certs, trusted/crl trusted client certificates (DER, any name) and their CRLs
 * issuer/certs, issuer/crl   CA certificates that may issue client certificates, and their CRLs
 * </pre>
 *
 * <p>The key store password is a constant: the key is protected by the directory's permissions (owner only when this
 * class creates it on a POSIX file system), not by the password. Milo watches the trust list directories on a thread
 * named {@code milo-trust-list-watcher}, so a certificate copied into {@code trusted/certs} is trusted at once;
 * {@link #close()} stops that thread.
 */
final class SimulatorPki implements AutoCloseable {

    /** The server's application URI, also in its certificate's subjectAltName. */
    static final String APPLICATION_URI = "urn:stator:simulator";

    private static final Logger log = LoggerFactory.getLogger(SimulatorPki.class);
    private static final String OWN = "own";
    private static final String KEY_STORE = "stator-simulator.pfx";
    private static final String CERTIFICATE = "stator-simulator.der";
    private static final String ALIAS = "stator-simulator";
    private static final char[] KEY_STORE_PASSWORD = "stator-simulator".toCharArray();
    // Client certificates must be in date and name the application URI the client announces.
    private static final Set<ValidationCheck> CLIENT_CHECKS =
            Set.of(ValidationCheck.VALIDITY, ValidationCheck.APPLICATION_URI);

    private final Path directory;
    private final boolean temporary;
    private final FileBasedTrustListManager trustList;
    private final X509Certificate certificate;
    private final CertificateManager certificateManager;

    private SimulatorPki(Path directory, boolean temporary, FileBasedTrustListManager trustList,
            X509Certificate certificate, CertificateManager certificateManager) {
        this.directory = directory;
        this.temporary = temporary;
        this.trustList = trustList;
        this.certificate = certificate;
        this.certificateManager = certificateManager;
    }

    /**
     * Opens (creating what is missing) the PKI in {@code directory}, or in a new temporary directory that
     * {@link #close()} deletes.
     *
     * @param directory   the PKI directory, or null for a temporary one
     * @param dnsNames    host names for the certificate's subjectAltName when it is created
     * @param ipAddresses IP addresses for the certificate's subjectAltName when it is created
     * @throws IOException naming the directory if it cannot be created or its key store cannot be read
     */
    static SimulatorPki open(Path directory, List<String> dnsNames, List<String> ipAddresses) throws IOException {
        boolean temporary = directory == null;
        Path dir = temporary ? Files.createTempDirectory("stator-sim-opcua-pki-") : directory;
        FileBasedTrustListManager trustList = null;
        try {
            createPrivate(dir);
            ServerCertificateFactory factory = new ServerCertificateFactory(dnsNames, ipAddresses);
            CertificateStore.Entry own = loadOrCreate(createPrivate(dir.resolve(OWN)), factory);
            trustList = FileBasedTrustListManager.createAndInitialize(dir);
            MemoryCertificateQuarantine quarantine = new MemoryCertificateQuarantine();
            DefaultServerCertificateValidator validator =
                    new DefaultServerCertificateValidator(trustList, CLIENT_CHECKS, quarantine);
            // The store already holds our certificate, so the group does not generate one.
            MemoryCertificateStore store = new MemoryCertificateStore();
            store.set(NodeIds.RsaSha256ApplicationCertificateType, own);
            DefaultApplicationGroup group =
                    DefaultApplicationGroup.createAndInitialize(trustList, store, factory, validator);
            CertificateManager manager = new DefaultCertificateManager(quarantine, group);
            return new SimulatorPki(dir, temporary, trustList, own.certificateChain[0], manager);
        } catch (Exception e) {
            cleanUp(trustList, temporary ? dir : null);
            throw new IOException("Cannot use the OPC UA PKI directory " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The directory. */
    Path directory() {
        return directory;
    }

    /** The server's certificate. */
    X509Certificate certificate() {
        return certificate;
    }

    /** Milo's view of this PKI: own certificate, trust lists, client certificate validation. */
    CertificateManager certificateManager() {
        return certificateManager;
    }

    /** Trusts {@code clientCertificate}: writes it into {@code trusted/certs} and takes it at once. Any thread. */
    void trust(X509Certificate clientCertificate) {
        trustList.addTrustedCertificate(Objects.requireNonNull(clientCertificate, "clientCertificate"));
    }

    /** Stops the trust list watcher; deletes the directory if it is temporary. Idempotent. */
    @Override
    public void close() {
        cleanUp(trustList, temporary ? directory : null);
    }

    private static void cleanUp(FileBasedTrustListManager trustList, Path deleteDirectory) {
        if (trustList != null) {
            try {
                trustList.close();
            } catch (IOException e) {
                log.warn("closing the OPC UA trust list failed: {}", e.toString());
            }
        }
        if (deleteDirectory != null && Files.exists(deleteDirectory)) {
            try (Stream<Path> paths = Files.walk(deleteDirectory)) {
                for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(path);
                }
            } catch (IOException e) {
                log.warn("could not delete the temporary OPC UA PKI directory {}: {}", deleteDirectory, e.toString());
            }
        }
    }

    private static CertificateStore.Entry loadOrCreate(Path own, ServerCertificateFactory factory) throws Exception {
        Path keyStoreFile = own.resolve(KEY_STORE);
        if (Files.exists(keyStoreFile)) {
            CertificateStore.Entry entry = load(keyStoreFile);
            try {
                entry.certificateChain[0].checkValidity();
                return entry;
            } catch (CertificateExpiredException | CertificateNotYetValidException e) {
                log.warn("The OPC UA server certificate in {} is out of date ({}): creating a new one", keyStoreFile,
                        e.getMessage());
            }
        }
        KeyPair keyPair = factory.createKeyPair(NodeIds.RsaSha256ApplicationCertificateType);
        X509Certificate[] chain = factory.createCertificateChain(NodeIds.RsaSha256ApplicationCertificateType,
                keyPair);
        store(keyStoreFile, keyPair.getPrivate(), chain);
        writeAtomically(own.resolve(CERTIFICATE), chain[0].getEncoded());
        log.info("Created the OPC UA server certificate in {}", keyStoreFile);
        return new CertificateStore.Entry(keyPair.getPrivate(), chain);
    }

    private static CertificateStore.Entry load(Path keyStoreFile) throws IOException {
        try (InputStream in = Files.newInputStream(keyStoreFile)) {
            KeyStore keyStore = KeyStore.getInstance("PKCS12");
            keyStore.load(in, KEY_STORE_PASSWORD);
            Certificate[] chain = keyStore.getCertificateChain(ALIAS);
            if (!(keyStore.getKey(ALIAS, KEY_STORE_PASSWORD) instanceof PrivateKey key) || chain == null
                    || chain.length == 0) {
                throw new IOException("Cannot read the OPC UA server key from " + keyStoreFile + ": no key entry '"
                        + ALIAS + "'");
            }
            X509Certificate[] x509 = Arrays.stream(chain).map(X509Certificate.class::cast)
                    .toArray(X509Certificate[]::new);
            return new CertificateStore.Entry(key, x509);
        } catch (GeneralSecurityException e) {
            throw new IOException("Cannot read the OPC UA server key from " + keyStoreFile + ": " + e.getMessage(),
                    e);
        }
    }

    private static void store(Path keyStoreFile, PrivateKey key, X509Certificate[] chain) throws Exception {
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        keyStore.load(null, KEY_STORE_PASSWORD);
        keyStore.setKeyEntry(ALIAS, key, KEY_STORE_PASSWORD, chain);
        try (ByteArrayOutputStream bytes = new ByteArrayOutputStream()) {
            keyStore.store(bytes, KEY_STORE_PASSWORD);
            writeAtomically(keyStoreFile, bytes.toByteArray());
        }
    }

    // A crash while writing must not leave half a key store that the next start cannot read.
    private static void writeAtomically(Path file, byte[] content) throws IOException {
        Path partial = file.resolveSibling(file.getFileName() + ".partial");
        try (OutputStream out = Files.newOutputStream(partial)) {
            out.write(content);
        }
        restrictToOwner(partial, "rw-------");
        Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static Path createPrivate(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir);
            restrictToOwner(dir, "rwx------");
        }
        return dir;
    }

    private static void restrictToOwner(Path path, String permissions) throws IOException {
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(permissions));
        }
    }

    /** Creates the server's self-signed certificate, for {@link #loadOrCreate} and for Milo's application group. */
    private static final class ServerCertificateFactory extends RsaSha256CertificateFactory {

        private final List<String> dnsNames;
        private final List<String> ipAddresses;

        ServerCertificateFactory(List<String> dnsNames, List<String> ipAddresses) {
            this.dnsNames = List.copyOf(dnsNames);
            this.ipAddresses = List.copyOf(ipAddresses);
        }

        @Override
        protected X509Certificate[] createRsaSha256CertificateChain(KeyPair keyPair) throws Exception {
            SelfSignedCertificateBuilder builder = new SelfSignedCertificateBuilder(keyPair)
                    .setCommonName("Stator plant simulator")
                    .setOrganization("Stator")
                    .setApplicationUri(APPLICATION_URI);
            dnsNames.forEach(builder::addDnsName);
            ipAddresses.forEach(builder::addIpAddress);
            return new X509Certificate[] {builder.build()};
        }
    }
}
