package dev.stator.driver.api;

/**
 * A configuration a driver cannot work with: an option out of range, an address that does not parse, a device the
 * endpoint cannot serve. It names the owner ({@code endpoint 'plant-link'}, {@code tag 'LT-101'}) and, where there is
 * one, the key, so that the project loader can add the file and line.
 */
public class ConfigException extends Exception {

    private final String owner;
    private final String key;

    public ConfigException(String owner, String key, String message) {
        super(message);
        this.owner = owner;
        this.key = key;
    }

    /** Who is misconfigured, e.g. {@code device 'station-plc'}. */
    public String owner() {
        return owner;
    }

    /** The option or field at fault, or {@code null}. */
    public String key() {
        return key;
    }

    @Override
    public String toString() {
        return owner + ": " + getMessage();
    }
}
