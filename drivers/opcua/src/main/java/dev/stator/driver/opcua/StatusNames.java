package dev.stator.driver.opcua;

import dev.stator.driver.api.Quality;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;

/**
 * The names OPC UA gives status codes. {@link Quality} names the common ones; every other code a server may send
 * (Bad_CertificateUntrusted, Bad_IdentityTokenRejected...) is named here from the full table, so a reason shown to a
 * person always carries the name and not a hex number.
 */
final class StatusNames {

    private StatusNames() {
    }

    /** {@code Bad_NodeIdUnknown}, or the family and hex value for a code no table knows. */
    static String name(long code) {
        long c = code & 0xFFFF_0000L;
        return StatusCodes.lookup(c).map(n -> n[0]).orElseGet(() -> Quality.of(code).name());
    }

    static String name(StatusCode code) {
        return name(code.getValue());
    }

    /** The specification's one-line description of the code, or an empty string. */
    static String description(long code) {
        return StatusCodes.lookup(code & 0xFFFF_0000L).map(n -> n.length > 1 ? n[1] : "").orElse("");
    }

    /** The quality of a status code, keeping its number (and so its meaning) as the server sent it. */
    static Quality quality(StatusCode code) {
        return Quality.of(code.getValue());
    }
}
