package dev.stator.driver.api;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

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
     * Writes {@code value} (Boolean, Long, Double or String) to a tag of this endpoint, then reads the tag back. The
     * future completes on the endpoint's thread with the read-back reading once the device has confirmed the write,
     * or fails with a {@link WriteException} that says why in words; a value the tag cannot take fails at once,
     * before anything is sent. Supervision (role, limits, confirmation, audit) happens above this call.
     */
    CompletableFuture<TagValue> write(String tag, Object value);

    /**
     * Takes a device out of service for maintenance ({@code false}: no more requests, its tags
     * {@code Bad_OutOfService}) or back into service. Any thread.
     *
     * @throws IllegalArgumentException for a device not behind this endpoint
     */
    void setDeviceEnabled(String device, boolean enabled);

    /**
     * Takes one tag out of service ({@code false}: no longer read, {@code Bad_OutOfService}) or back. Any thread.
     *
     * @throws IllegalArgumentException for a tag not read through this endpoint
     */
    void setTagEnabled(String tag, boolean enabled);

    /** Reads every tag of {@code device} now, ahead of its scan groups' schedule. Any thread. */
    void readNow(String device);

    /**
     * Starts a trace of the frames exchanged with {@code device}: each request and answer as a line of text
     * ({@code 12:00:00.125 TX 00 01 00 00 00 06 01 04 00 00 00 02}), handed to {@code sink} on the endpoint's thread.
     * Closing the returned handle stops the trace. Any thread.
     */
    AutoCloseable trace(String device, Consumer<String> sink);

    /** A snapshot of each device's link state and counters; cheap, callable from any thread. */
    List<DeviceStatus> deviceStatus();

    /**
     * Stops acquisition, closes the link and waits (bounded) for the endpoint's threads to end. Idempotent. Tags are
     * left as they are; the caller marks them as it sees fit.
     */
    @Override
    void close();
}
