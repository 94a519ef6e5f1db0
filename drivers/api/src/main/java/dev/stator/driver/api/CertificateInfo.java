package dev.stator.driver.api;

import java.time.Instant;

/**
 * What a person checks before trusting a certificate: its SHA-1 thumbprint (hex), subject, issuer and validity.
 */
public record CertificateInfo(String thumbprint, String subject, String issuer, Instant notBefore, Instant notAfter) {

    /** Whether the certificate is valid at {@code now}. */
    public boolean isValidAt(Instant now) {
        return !now.isBefore(notBefore) && !now.isAfter(notAfter);
    }
}
