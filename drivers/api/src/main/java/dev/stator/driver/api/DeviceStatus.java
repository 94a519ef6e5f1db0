package dev.stator.driver.api;

import java.time.Instant;
import java.util.Map;

/**
 * The state of one device's link and its counters, as the console's device view shows it. A snapshot: immutable.
 *
 * @param device           device name
 * @param endpoint         endpoint name
 * @param address          where the device is reached, as a person reads it ({@code 127.0.0.1:502 unit 1})
 * @param state            link state
 * @param enabled          false while taken out of service for maintenance
 * @param requests         requests sent since start
 * @param errors           requests that failed since start
 * @param errorsByKind     failed requests by kind, e.g. {@code timeout}, {@code not connected},
 *                         {@code exception 02 illegal data address}; in the order first seen
 * @param lastError        what went wrong last, in words, or {@code null}
 * @param lastErrorTime    when, or {@code null}
 * @param lastResponseMillis round-trip time of the last answered request in milliseconds, or -1
 * @param p50Millis        median round-trip time over recent requests, or -1
 * @param p99Millis        99th percentile round-trip time over recent requests, or -1
 * @param overruns         scans that could not start on time (skipped, never piled up)
 */
public record DeviceStatus(String device, String endpoint, String address, LinkState state, boolean enabled,
                           long requests, long errors, Map<String, Long> errorsByKind, String lastError,
                           Instant lastErrorTime, double lastResponseMillis, double p50Millis, double p99Millis,
                           long overruns) {

    public DeviceStatus {
        errorsByKind = Map.copyOf(errorsByKind);
    }

    /** The state of the link to a device. */
    public enum LinkState {
        /** Not started yet, or stopped. */
        STOPPED,
        /** Trying to open the link. */
        CONNECTING,
        /** The last request was answered. */
        CONNECTED,
        /** The link is down or the device did not answer; retrying. */
        DISCONNECTED,
        /** Taken out of service for maintenance: not polled. */
        DISABLED
    }
}
