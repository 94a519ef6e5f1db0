package dev.stator.driver.api;

/** An address text that does not follow the protocol's grammar; the message says what is wrong and what is valid. */
public class AddressException extends Exception {

    public AddressException(String message) {
        super(message);
    }
}
