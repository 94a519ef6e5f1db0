package dev.stator.driver.api;

/** A write that was refused or failed; the message says why in words, the quality gives the status code. */
public class WriteException extends Exception {

    private final Quality quality;

    public WriteException(Quality quality, String message) {
        super(message);
        this.quality = quality;
    }

    public WriteException(Quality quality, String message, Throwable cause) {
        super(message, cause);
        this.quality = quality;
    }

    public Quality quality() {
        return quality;
    }
}
