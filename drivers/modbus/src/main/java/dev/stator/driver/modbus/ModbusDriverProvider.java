package dev.stator.driver.modbus;

import dev.stator.driver.api.AddressException;
import dev.stator.driver.api.ConfigException;
import dev.stator.driver.api.DataType;
import dev.stator.driver.api.DeviceConfig;
import dev.stator.driver.api.DriverContext;
import dev.stator.driver.api.DriverProvider;
import dev.stator.driver.api.Endpoint;
import dev.stator.driver.api.EndpointConfig;
import dev.stator.driver.api.Options;
import dev.stator.driver.api.TagAddress;
import dev.stator.driver.api.TagBinding;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Modbus through j2mod: {@code modbus-tcp} (Modbus TCP), {@code modbus-rtu-tcp} (RTU frames over TCP, for
 * serial-to-Ethernet gateways in transparent mode) and {@code modbus-rtu} (RTU on a serial line).
 *
 * <p>Endpoint options, with their defaults:
 * <ul>
 *   <li>TCP: {@code host} (required), {@code port} (502);</li>
 *   <li>serial: {@code serial-port} (required, e.g. {@code /dev/ttyUSB0} or {@code COM3}), {@code baud} (19200),
 *       {@code data-bits} (8), {@code parity} (even: none, even, odd), {@code stop-bits} (1);</li>
 *   <li>{@code timeout} (1s): connect, and each answer; {@code reconnect-delay} (1s): first retry after a failure,
 *       doubling up to {@code reconnect-max} (30s).</li>
 * </ul>
 * Device options, with their defaults: {@code unit-id} (1, 0-255); {@code byte-order} (abcd: abcd, cdab, badc, dcba,
 * see {@link WordOrder}); {@code max-registers} (125) and {@code max-bits} (2000) per read; {@code max-gap} (10 unused
 * addresses a read may bridge between two tags); {@code force-multiple-writes} (false: FC5/FC6 for a single coil or
 * register; true: always FC15/FC16, for devices that refuse FC5/FC6); {@code address-base} (0: addresses are the
 * zero-based protocol addresses; 1: the device's documentation numbers from 1, and every address of the device is
 * taken as one higher than on the wire); {@code request-delay} (0ms between requests); {@code retries} (1 failed
 * attempt shows Uncertain before Bad); {@code stale-after} (3: scans without a good reading before a value turns
 * Uncertain).
 */
public final class ModbusDriverProvider implements DriverProvider {

    public static final String TCP = "modbus-tcp";
    public static final String RTU_OVER_TCP = "modbus-rtu-tcp";
    public static final String RTU = "modbus-rtu";

    @Override
    public Set<String> protocols() {
        return Set.of(TCP, RTU_OVER_TCP, RTU);
    }

    @Override
    public TagAddress parseAddress(String protocol, String text) throws AddressException {
        return ModbusAddress.parse(text);
    }

    @Override
    public TagAddress importAddress(String protocol, String text, DataType type, int length)
            throws AddressException {
        return ModbusAddress.fromConventional(text, type, length);
    }

    @Override
    public Endpoint createEndpoint(EndpointConfig config, DriverContext context) throws ConfigException {
        Options options = config.options();
        ModbusLink link = link(config.protocol(), options);
        Duration reconnect = options.getDuration("reconnect-delay", Duration.ofSeconds(1));
        Duration reconnectMax = options.getDuration("reconnect-max", Duration.ofSeconds(30));
        options.checkAllUsed();
        if (reconnect.toMillis() < 1 || reconnectMax.compareTo(reconnect) < 0) {
            throw new ConfigException(options.owner(), "reconnect-max",
                    "'reconnect-delay' must be at least 1ms and 'reconnect-max' no shorter than it");
        }

        List<ModbusEndpoint.Device> devices = new ArrayList<>();
        Set<Integer> unitIds = new HashSet<>();
        for (DeviceConfig device : config.devices()) {
            ModbusEndpoint.DeviceSettings settings = deviceSettings(device.options());
            if (!unitIds.add(settings.unitId())) {
                throw new ConfigException(device.options().owner(), "unit-id", "unit id " + settings.unitId()
                        + " is used by another device on endpoint '" + config.name() + "'");
            }
            Map<String, ModbusAddress> effective = new HashMap<>();
            for (TagBinding tag : device.tags()) {
                if (!(tag.address() instanceof ModbusAddress a)) {
                    throw new ConfigException("tag '" + tag.name() + "'", "address",
                            "address " + tag.address().format() + " is not a Modbus address");
                }
                if (a.offset() < settings.addressBase()) {
                    throw new ConfigException("tag '" + tag.name() + "'", "address", "address " + a.format()
                            + " is below 1, but device '" + device.name() + "' numbers its addresses from 1 "
                            + "(address-base: 1)");
                }
                effective.put(tag.name(), new ModbusAddress(a.unitId(), a.table(), a.offset() - settings.addressBase(),
                        a.bit(), a.dataType(), a.length(), a.order()));
            }
            devices.add(new ModbusEndpoint.Device(device.name(), settings, device.tags(), effective));
        }
        return new ModbusEndpoint(config.name(), link, context.clock(),
                new ModbusEndpoint.Settings(reconnect, reconnectMax), devices);
    }

    private static ModbusLink link(String protocol, Options options) throws ConfigException {
        Duration timeout = options.getDuration("timeout", Duration.ofSeconds(1));
        if (timeout.toMillis() < 1) {
            throw new ConfigException(options.owner(), "timeout", "'timeout' must be at least 1ms");
        }
        if (protocol.equals(RTU)) {
            String port = options.requireString("serial-port");
            int baud = options.getInt("baud", 19200, 300, 1_000_000);
            int dataBits = options.getInt("data-bits", 8, 7, 8);
            String parity = options.getString("parity", "even").toLowerCase(Locale.ROOT);
            if (!Set.of("none", "even", "odd").contains(parity)) {
                throw new ConfigException(options.owner(), "parity", "'parity' is none, even or odd, not '"
                        + parity + "'");
            }
            int stopBits = options.getInt("stop-bits", 1, 1, 2);
            return new SerialLink(port, baud, dataBits, parity, stopBits, timeout);
        }
        String host = options.requireString("host");
        int port = options.getInt("port", 502, 1, 65535);
        return new TcpLink(host, port, timeout, protocol.equals(RTU_OVER_TCP));
    }

    private static ModbusEndpoint.DeviceSettings deviceSettings(Options o) throws ConfigException {
        int unitId = o.getInt("unit-id", 1, 0, 255);
        String orderText = o.getString("byte-order", "abcd");
        WordOrder order = WordOrder.parse(orderText);
        if (order == null) {
            throw new ConfigException(o.owner(), "byte-order", "'byte-order' is abcd, cdab, badc or dcba, not '"
                    + orderText + "'");
        }
        int maxRegisters = o.getInt("max-registers", 125, 1, 125);
        int maxBits = o.getInt("max-bits", 2000, 1, 2000);
        int maxGap = o.getInt("max-gap", 10, 0, 2000);
        boolean forceMultiple = o.getBoolean("force-multiple-writes", false);
        int addressBase = o.getInt("address-base", 0, 0, 1);
        Duration requestDelay = o.getDuration("request-delay", Duration.ZERO);
        int retries = o.getInt("retries", 1, 0, 10);
        int staleScans = o.getInt("stale-after", 3, 1, 1000);
        o.checkAllUsed();
        return new ModbusEndpoint.DeviceSettings(unitId, order, maxRegisters, maxBits, maxGap, forceMultiple,
                addressBase, requestDelay, retries, staleScans);
    }
}
