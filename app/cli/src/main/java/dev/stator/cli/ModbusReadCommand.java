package dev.stator.cli;

import dev.stator.driver.modbus.ModbusAddress;
import dev.stator.driver.modbus.ModbusProbe;
import dev.stator.driver.modbus.ModbusProbe.Reading;
import dev.stator.driver.modbus.WordOrder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code stator modbus read}: read and decode any address. */
@Command(name = "read", mixinStandardHelpOptions = true,
        description = {"Read an address and print the registers and the decoded value.",
                "ADDRESS is Stator's grammar (hr:0:float32, ir:10.3, coil:2; zero-based) or the conventional "
                        + "notation (40001, 30017; one-based) with --type."})
final class ModbusReadCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ModbusCommand.Connection connection;

    @Parameters(paramLabel = "ADDRESS", description = "What to read.")
    String address;

    @Option(names = "--type", paramLabel = "TYPE",
            description = "The value type, for conventional addresses: int16, uint16, int32, uint32, int64, "
                    + "float32, float64, string (with --length).")
    String type;

    @Option(names = "--count", paramLabel = "N", defaultValue = "1", description = "Consecutive values (default: 1).")
    int count;

    @Option(names = "--order", paramLabel = "ORDER", defaultValue = "abcd",
            description = "Byte order to decode with: abcd, cdab, badc, dcba (default: abcd).")
    String order;

    @Option(names = "--all-orders", description = "Show the value in every byte order side by side.")
    boolean allOrders;

    @Option(names = "--poll", paramLabel = "TIME", converter = Converters.DurationConverter.class,
            description = "Read again at this interval until stopped (or --times).")
    Duration poll;

    @Option(names = "--times", paramLabel = "N", defaultValue = "0", description = "With --poll: stop after N reads.")
    int times;

    @Override
    public Integer call() throws Exception {
        ModbusAddress a = ModbusCommand.address(address, type);
        WordOrder decodeOrder = ModbusCommand.order(order);
        if (count < 1) {
            throw new CliException(CliException.BAD_INPUT, "--count must be at least 1");
        }
        PrintWriter out = spec.commandLine().getOut();
        try (ModbusProbe probe = connection.open()) {
            int round = 0;
            do {
                List<Reading> readings;
                try {
                    readings = probe.read(a, count);
                } catch (IOException e) {
                    if (poll == null) {
                        throw new CliException(CliException.FAILURE, probe.describe() + ": " + e.getMessage());
                    }
                    out.println(probe.describe() + ": " + e.getMessage());
                    out.flush();
                    readings = null;
                }
                if (readings != null) {
                    print(out, probe, a, readings, decodeOrder);
                }
                round++;
                if (poll != null && (times == 0 || round < times)) {
                    Thread.sleep(poll.toMillis());
                }
            } while (poll != null && (times == 0 || round < times));
        }
        return 0;
    }

    private void print(PrintWriter out, ModbusProbe probe, ModbusAddress a, List<Reading> readings,
                       WordOrder decodeOrder) {
        out.printf(Locale.ROOT, "%s: %s x%d, answered in %.1f ms%n", probe.describe(), a.format(), readings.size(),
                probe.lastMillis());
        List<WordOrder> orders = allOrders ? List.copyOf(readings.get(0).values().keySet()) : List.of(decodeOrder);
        StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "%-22s %-20s", "address", "registers"));
        for (WordOrder o : orders) {
            header.append(String.format(Locale.ROOT, " %-22s", allOrders ? o.text() : "value"));
        }
        out.println(header.toString().stripTrailing());
        for (Reading r : readings) {
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-22s %-20s", r.address(),
                    hex(r.words())));
            for (WordOrder o : orders) {
                Object v = r.values().get(o);
                line.append(String.format(Locale.ROOT, " %-22s", v == null ? "(n/a)" : text(v)));
            }
            out.println(line.toString().stripTrailing());
        }
        out.flush();
    }

    private static String hex(int[] words) {
        StringBuilder s = new StringBuilder();
        for (int w : words) {
            if (s.length() > 0) {
                s.append(' ');
            }
            s.append(String.format(Locale.ROOT, "%04X", w));
        }
        return s.toString();
    }

    private static String text(Object v) {
        if (v instanceof Double d && (double) (float) (double) d == d) {
            return Float.toString((float) (double) d); // a float32 shows the digits of the float
        }
        return v instanceof String s ? "\"" + s + "\"" : String.valueOf(v);
    }
}
