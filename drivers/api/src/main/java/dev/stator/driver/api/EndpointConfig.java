package dev.stator.driver.api;

import java.util.List;

/**
 * An endpoint as configured: its name, protocol (the {@code driver:} key), protocol options (host, port, timeout...)
 * and the devices behind it.
 */
public record EndpointConfig(String name, String protocol, Options options, List<DeviceConfig> devices) {

    public EndpointConfig {
        devices = List.copyOf(devices);
    }
}
