package dev.stator.cli;

import dev.stator.driver.api.AddressException;
import dev.stator.driver.api.DataType;
import dev.stator.driver.modbus.ModbusAddress;
import dev.stator.driver.modbus.ModbusProbe;
import dev.stator.driver.modbus.WordOrder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.time.Duration;

/**
 * {@code stator modbus}: commissioning tools, like mbpoll but with Stator's address grammar and decoding, to try a new
 * PLC before writing a project for it.
 */
@Command(name = "modbus", mixinStandardHelpOptions = true,
        description = "Commission a Modbus device: read any address decoded (in every byte order), write a value.",
        subcommands = {ModbusReadCommand.class, ModbusWriteCommand.class})
final class ModbusCommand {

    /** Where the device is: TCP (host, port) or a serial line; shared by read and write. */
    static final class Connection {
        @Option(names = "--host", paramLabel = "HOST", description = "Device or gateway address (TCP).")
        String host;

        @Option(names = "--port", paramLabel = "N", defaultValue = "502", description = "TCP port (default: 502).")
        int port;

        @Option(names = "--rtu-over-tcp", description = "RTU frames over TCP (transparent serial gateways).")
        boolean rtuOverTcp;

        @Option(names = "--serial", paramLabel = "DEVICE", description = "Serial port for RTU, e.g. /dev/ttyUSB0.")
        String serial;

        @Option(names = "--baud", defaultValue = "19200", description = "Serial speed (default: 19200).")
        int baud;

        @Option(names = "--parity", defaultValue = "even", description = "none, even or odd (default: even).")
        String parity;

        @Option(names = "--data-bits", defaultValue = "8", description = "7 or 8 (default: 8).")
        int dataBits;

        @Option(names = "--stop-bits", defaultValue = "1", description = "1 or 2 (default: 1).")
        int stopBits;

        @Option(names = "--unit", paramLabel = "ID", defaultValue = "1", description = "Unit id (default: 1).")
        int unit;

        @Option(names = "--timeout", paramLabel = "TIME", defaultValue = "1s",
                converter = Converters.DurationConverter.class, description = "Answer timeout (default: 1s).")
        Duration timeout;

        ModbusProbe open() throws CliException {
            if (unit < 0 || unit > 255) {
                throw new CliException(CliException.BAD_INPUT, "--unit " + unit + " is not a unit id (0-255)");
            }
            if ((host == null) == (serial == null)) {
                throw new CliException(CliException.BAD_INPUT, "give either --host (TCP) or --serial (RTU)");
            }
            if (serial != null) {
                return ModbusProbe.serial(serial, baud, dataBits, parity.toLowerCase(java.util.Locale.ROOT),
                        stopBits, unit, timeout);
            }
            if (port < 1 || port > 65535) {
                throw new CliException(CliException.BAD_INPUT, "--port " + port + " is not a port (1-65535)");
            }
            return ModbusProbe.tcp(host, port, unit, timeout, rtuOverTcp);
        }
    }

    /** An address in the grammar or in 40001-style notation, with an optional type. */
    static ModbusAddress address(String text, String type) throws CliException {
        try {
            return ModbusProbe.address(text, type == null ? null : DataType.parse(type));
        } catch (AddressException | IllegalArgumentException e) {
            throw new CliException(CliException.BAD_INPUT, e.getMessage());
        }
    }

    static WordOrder order(String text) throws CliException {
        WordOrder o = WordOrder.parse(text);
        if (o == null) {
            throw new CliException(CliException.BAD_INPUT, "--order is abcd, cdab, badc or dcba, not '" + text + "'");
        }
        return o;
    }
}
