package dev.stator.driver.api;

/**
 * Receives readings from an {@link Endpoint}, called on the endpoint's own threads (never two at once for one tag,
 * and in order for each tag). Implementations must return quickly and never block: acquisition waits for them.
 */
@FunctionalInterface
public interface TagValueListener {

    /** A new reading for the tag named {@code tag}. */
    void onValue(String tag, TagValue value);

    /**
     * A new reading for {@code tag}, the binding the endpoint was created with (so its attachment is the caller's).
     * Drivers call this one; by default it goes to {@link #onValue(String, TagValue)}.
     */
    default void onValue(TagBinding tag, TagValue value) {
        onValue(tag.name(), value);
    }
}
