package dev.stator.driver.api;

import java.io.IOException;
import java.util.List;

/**
 * The certificates a secure protocol's driver keeps in the data folder: its own, the servers it trusts, and the ones
 * it refused (kept so that an engineer can check and trust them). Trusting takes effect at the next connection
 * attempt, with no restart. Any thread but the JavaFX thread (it reads and writes files).
 */
public interface CertificateTrust {

    /** The protocol the certificates are for, as a person reads it ({@code OPC UA}). */
    String protocol();

    /** This workstation's own application certificate, created on first use. */
    CertificateInfo own() throws IOException;

    /** Server certificates refused because nobody trusted them yet. */
    List<CertificateInfo> rejected() throws IOException;

    /** Server certificates trusted. */
    List<CertificateInfo> trusted() throws IOException;

    /**
     * Moves the rejected certificate with this thumbprint (or a unique prefix of it, case-insensitive) to the trusted
     * ones.
     *
     * @throws IOException naming the thumbprint when there is no such rejected certificate, or it is ambiguous
     */
    CertificateInfo trust(String thumbprint) throws IOException;

    /** Removes a trusted or rejected certificate; false when there was none with this thumbprint. */
    boolean remove(String thumbprint) throws IOException;
}
