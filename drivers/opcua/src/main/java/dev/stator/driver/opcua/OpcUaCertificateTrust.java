package dev.stator.driver.opcua;

import dev.stator.driver.api.CertificateInfo;
import dev.stator.driver.api.CertificateTrust;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The OPC UA certificate folder seen through the protocol-neutral {@link CertificateTrust}. */
final class OpcUaCertificateTrust implements CertificateTrust {

    private final Path dataDirectory;

    OpcUaCertificateTrust(Path dataDirectory) {
        this.dataDirectory = dataDirectory;
    }

    private OpcUaCertificates store() throws IOException {
        try {
            return OpcUaCertificates.open(dataDirectory);
        } catch (OpcUaException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    @Override
    public String protocol() {
        return "OPC UA";
    }

    @Override
    public CertificateInfo own() throws IOException {
        try {
            return info(store().own());
        } catch (OpcUaException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    @Override
    public List<CertificateInfo> rejected() throws IOException {
        return store().rejected().stream().map(OpcUaCertificateTrust::info).toList();
    }

    @Override
    public List<CertificateInfo> trusted() throws IOException {
        return store().trusted().stream().map(OpcUaCertificateTrust::info).toList();
    }

    @Override
    public CertificateInfo trust(String thumbprint) throws IOException {
        OpcUaCertificates store = store();
        String full = resolve(thumbprint, store.rejected());
        try {
            return info(store.trust(full));
        } catch (OpcUaException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    @Override
    public boolean remove(String thumbprint) throws IOException {
        OpcUaCertificates store = store();
        List<OpcUaCertificates.CertificateInfo> all = new ArrayList<>(store.trusted());
        all.addAll(store.rejected());
        try {
            return store.remove(resolve(thumbprint, all));
        } catch (OpcUaException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    /** The full thumbprint that {@code text} (the whole or a unique prefix) names among {@code candidates}. */
    private static String resolve(String text, List<OpcUaCertificates.CertificateInfo> candidates)
            throws IOException {
        String wanted = text.replaceAll("[\\s:]", "").toUpperCase(Locale.ROOT);
        List<String> matches = candidates.stream().map(OpcUaCertificates.CertificateInfo::thumbprint)
                .filter(t -> t.toUpperCase(Locale.ROOT).startsWith(wanted)).distinct().toList();
        if (wanted.length() < 4 || matches.isEmpty()) {
            throw new IOException("no certificate has the thumbprint '" + text + "'" + (wanted.length() < 4
                    ? " (give at least 4 digits)" : ""));
        }
        if (matches.size() > 1) {
            throw new IOException("thumbprint '" + text + "' matches " + matches.size() + " certificates: give more "
                    + "digits");
        }
        return matches.get(0);
    }

    private static CertificateInfo info(OpcUaCertificates.CertificateInfo c) {
        return new CertificateInfo(c.thumbprint(), c.subject(), c.issuer(), c.notBefore(), c.notAfter());
    }
}
