package dev.stator.cli;

import dev.stator.driver.api.DataType;
import dev.stator.driver.modbus.ModbusAddress;
import dev.stator.driver.modbus.ModbusProbe;
import dev.stator.driver.modbus.WordOrder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code stator modbus write}: write one value, only when confirmed. */
@Command(name = "write", mixinStandardHelpOptions = true,
        description = {"Write a value to a coil or holding register, then read it back.",
                "Asks for confirmation at the terminal; --yes writes without asking (scripts)."})
final class ModbusWriteCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ModbusCommand.Connection connection;

    @Parameters(index = "0", paramLabel = "ADDRESS", description = "Where to write (hr:0:float32, coil:2, 40001).")
    String address;

    @Parameters(index = "1", paramLabel = "VALUE", description = "The value: a number, true/false, or text.")
    String value;

    @Option(names = "--type", paramLabel = "TYPE", description = "The value type, for conventional addresses.")
    String type;

    @Option(names = "--order", paramLabel = "ORDER", defaultValue = "abcd",
            description = "Byte order: abcd, cdab, badc, dcba (default: abcd).")
    String order;

    @Option(names = "--force-multiple", description = "Always FC15/FC16, for devices that refuse FC5/FC6.")
    boolean forceMultiple;

    @Option(names = "--yes", description = "Write without asking.")
    boolean yes;

    @Override
    public Integer call() throws Exception {
        ModbusAddress a = ModbusCommand.address(address, type);
        WordOrder o = ModbusCommand.order(order);
        Object parsed = parse(a, value);
        PrintWriter out = spec.commandLine().getOut();
        try (ModbusProbe probe = connection.open()) {
            String what = "write " + value + " to " + a.format() + (o == WordOrder.ABCD ? "" : " (" + o.text() + ")")
                    + " on " + probe.describe();
            if (!yes && !Prompt.confirm(what)) {
                throw new CliException(CliException.BAD_INPUT, "not written: " + what + " was not confirmed "
                        + "(answer y at the prompt, or add --yes)");
            }
            Object back;
            try {
                back = probe.write(a, parsed, o, forceMultiple);
            } catch (IllegalArgumentException e) {
                throw new CliException(CliException.BAD_INPUT, "not written: " + e.getMessage());
            } catch (IOException e) {
                throw new CliException(CliException.FAILURE, probe.describe() + ": " + e.getMessage());
            }
            out.printf(Locale.ROOT, "wrote %s to %s; read back %s%n", value, a.format(), back);
            out.flush();
        }
        return 0;
    }

    /** The value as the address's type takes it; a clear error before anything is sent. */
    static Object parse(ModbusAddress a, String text) throws CliException {
        DataType t = a.dataType();
        String v = text.trim();
        try {
            return switch (t) {
                case BOOL -> switch (v.toLowerCase(Locale.ROOT)) {
                    case "true", "1", "on" -> Boolean.TRUE;
                    case "false", "0", "off" -> Boolean.FALSE;
                    default -> throw new IllegalArgumentException("a bool is true or false (or 1/0, on/off)");
                };
                case STRING -> text;
                case FLOAT32, FLOAT64 -> Double.parseDouble(v);
                default -> Long.parseLong(v);
            };
        } catch (IllegalArgumentException e) {
            String why = e instanceof NumberFormatException ? "a " + t + " takes " + (t.isFloatingPoint()
                    ? "a number" : "a whole number") : e.getMessage();
            throw new CliException(CliException.BAD_INPUT, "not written: '" + text + "' for " + a.format() + ": "
                    + why);
        }
    }
}
