package dev.stator.driver.opcua;

import dev.stator.driver.api.Quality;

/**
 * An OPC UA operation that failed: the server could not be reached or refused, a certificate could not be found or
 * stored. The message says why in words a person can act on; the quality carries the OPC UA status code.
 */
public class OpcUaException extends Exception {

    private final Quality quality;

    public OpcUaException(Quality quality, String message) {
        super(message);
        this.quality = quality;
    }

    public OpcUaException(Quality quality, String message, Throwable cause) {
        super(message, cause);
        this.quality = quality;
    }

    /** The status code, such as {@code Bad_Timeout}; its name may be known only to {@link StatusNames}. */
    public Quality quality() {
        return quality;
    }
}
