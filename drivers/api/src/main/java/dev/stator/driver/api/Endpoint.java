package dev.stator.driver.api;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One link to the plant (a TCP address or a serial line) and the devices behind it, which share and serialise it.
 * An endpoint owns its threads and sockets from {@link #start} to {@link #close}.
 *
 * <p>Failures never escape as exceptions from acquisition: a device that does not answer turns its tags Bad with a
 * reason, and the endpoint keeps trying to recover by itself.
 */
public interface Endpoint extends AutoCloseable {

    /** The endpoint's name in the project. */
    String name();

    /**
     * Starts acquisition. Values are delivered to {@code listener} from the endpoint's own threads, in order per tag.
     * Returns at once; connecting happens in the background.
     */
    void start(TagValueListener listener);

    /**
     * Writes {@code value} (Boolean, Long, Double or String) to a tag of this endpoint. The future completes on the
     * endpoint's thread once the device has confirmed, or fails with a {@link WriteException} that says why in words.
     * Supervision (role, limits, confirmation, audit) happens above this call.
     */
    CompletableFuture<Void> write(String tag, Object value);

    /** A snapshot of each device's link state and counters; cheap, callable from any thread. */
    List<DeviceStatus> deviceStatus();

    /**
     * Stops acquisition, closes the link and waits (bounded) for the endpoint's threads to end. Idempotent. Tags are
     * left as they are; the caller marks them as it sees fit.
     */
    @Override
    void close();
}
