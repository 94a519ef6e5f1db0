package dev.stator.driver.api;

import java.time.Instant;

/**
 * The state of one device's link, as the console's device view shows it.
 *
 * @param device          device name
 * @param endpoint        endpoint name
 * @param address         where the device is reached, as a person reads it ({@code 127.0.0.1:502 unit 1})
 * @param state           link state
 * @param requests        requests sent since start
 * @param errors          requests that failed since start (timeouts, exceptions, broken links)
 * @param lastError       what went wrong last, in words, or {@code null}
 * @param lastErrorTime   when, or {@code null}
 * @param lastResponseMillis round-trip time of the last good request in milliseconds, or -1
 */
public record DeviceStatus(String device, String endpoint, String address, LinkState state, long requests,
                           long errors, String lastError, Instant lastErrorTime, double lastResponseMillis) {

    /** The state of the link to a device. */
    public enum LinkState {
        /** Not started yet, or stopped. */
        STOPPED,
        /** Trying to open the link. */
        CONNECTING,
        /** The last request was answered. */
        CONNECTED,
        /** The link is down or the device did not answer; retrying. */
        DISCONNECTED
    }
}
