package dev.stator.driver.modbus;

import dev.stator.driver.api.AddressException;
import dev.stator.driver.api.ConfigException;
import dev.stator.driver.api.DeviceConfig;
import dev.stator.driver.api.DriverContext;
import dev.stator.driver.api.DriverProvider;
import dev.stator.driver.api.Endpoint;
import dev.stator.driver.api.EndpointConfig;
import dev.stator.driver.api.Options;
import dev.stator.driver.api.TagBinding;
import dev.stator.driver.api.TagAddress;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Modbus TCP through j2mod, protocol name {@code modbus-tcp}.
 *
 * <p>Endpoint options, with defaults: {@code host} (required), {@code port} (502), {@code timeout} (1s, for connect
 * and for each answer), {@code reconnect-delay} (1s, doubled after each failure up to 30s).
 * Device options: {@code unit-id} (1, 0-255), {@code max-registers} (125) and {@code max-bits} (2000) per read
 * request, {@code max-gap} (10 unused addresses a read may bridge between two tags).
 */
public final class ModbusDriverProvider implements DriverProvider {

    public static final String PROTOCOL = "modbus-tcp";

    @Override
    public Set<String> protocols() {
        return Set.of(PROTOCOL);
    }

    @Override
    public TagAddress parseAddress(String protocol, String text) throws AddressException {
        return ModbusAddress.parse(text);
    }

    @Override
    public Endpoint createEndpoint(EndpointConfig config, DriverContext context) throws ConfigException {
        Options options = config.options();
        String host = options.requireString("host");
        int port = options.getInt("port", 502, 1, 65535);
        Duration timeout = options.getDuration("timeout", Duration.ofSeconds(1));
        Duration reconnect = options.getDuration("reconnect-delay", Duration.ofSeconds(1));
        options.checkAllUsed();
        if (timeout.toMillis() < 1) {
            throw new ConfigException(options.owner(), "timeout", "'timeout' must be at least 1ms");
        }

        List<ModbusEndpoint.Device> devices = new ArrayList<>();
        Set<Integer> unitIds = new HashSet<>();
        for (DeviceConfig device : config.devices()) {
            Options o = device.options();
            int unitId = o.getInt("unit-id", 1, 0, 255);
            int maxRegisters = o.getInt("max-registers", 125, 1, 125);
            int maxBits = o.getInt("max-bits", 2000, 1, 2000);
            int maxGap = o.getInt("max-gap", 10, 0, 2000);
            o.checkAllUsed();
            if (!unitIds.add(unitId)) {
                throw new ConfigException(o.owner(), "unit-id", "unit id " + unitId
                        + " is used by another device on endpoint '" + config.name() + "'");
            }
            Map<Duration, List<TagBinding>> byRate = new LinkedHashMap<>();
            for (TagBinding tag : device.tags()) {
                if (!(tag.address() instanceof ModbusAddress)) {
                    throw new ConfigException("tag '" + tag.name() + "'", "address",
                            "address " + tag.address().format() + " is not a Modbus address");
                }
                byRate.computeIfAbsent(tag.scanRate(), r -> new ArrayList<>()).add(tag);
            }
            devices.add(new ModbusEndpoint.Device(device.name(), unitId, byRate,
                    new BlockPlanner(maxRegisters, maxBits, maxGap)));
        }
        return new ModbusEndpoint(config.name(), new ModbusLink(host, port, timeout), devices, context.clock(),
                reconnect);
    }
}
