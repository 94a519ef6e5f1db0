package dev.stator.cli;

import dev.stator.simulator.PlantSimulator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.Callable;

/** {@code stator simulate}: the plant simulator alone, polled over the network like a real PLC. */
@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = "Run the plant simulator as a standalone Modbus TCP PLC (register map: docs/simulator.md).")
final class SimulateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--modbus-port", paramLabel = "N", defaultValue = "5020",
            description = "Modbus TCP port (default: ${DEFAULT-VALUE}; 502 needs administrator rights).")
    int port;

    @Option(names = "--bind", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
            description = "Address to listen on (default: ${DEFAULT-VALUE}; 0.0.0.0 for every interface).")
    String bind;

    @Option(names = "--unit-id", paramLabel = "N", defaultValue = "1", description = "Modbus unit id (default: 1).")
    int unitId;

    @Option(names = "--time-scale", paramLabel = "X", defaultValue = "1",
            description = "Simulated seconds per real second (default: 1).")
    double timeScale;

    @Option(names = "--duration", paramLabel = "TIME", converter = Converters.DurationConverter.class,
            description = "Stop by itself after this long (default: run until Ctrl+C).")
    Duration duration;

    @Override
    public Integer call() throws Exception {
        if (port < 1 || port > 65535) {
            throw new CliException(CliException.BAD_INPUT, "--modbus-port " + port + " is not a port (1-65535)");
        }
        if (!(timeScale > 0 && timeScale <= 3600)) {
            throw new CliException(CliException.BAD_INPUT, "--time-scale must be above 0 and at most 3600");
        }
        InetAddress address;
        try {
            address = InetAddress.getByName(bind);
        } catch (IOException e) {
            throw new CliException(CliException.BAD_INPUT, "--bind: unknown address '" + bind + "'");
        }
        PlantSimulator simulator = PlantSimulator.builder().bindAddress(address).modbusPort(port).unitId(unitId)
                .timeScale(timeScale).build();
        try {
            simulator.start();
        } catch (IOException e) {
            throw new CliException(CliException.FAILURE, e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        out.printf("plant simulator: Modbus TCP on %s:%d unit %d, time scale %s (register map: docs/simulator.md)%s%n",
                address.getHostAddress(), port, unitId, timeScale, duration == null ? "; Ctrl+C stops" : "");
        out.flush();
        Lifetime.run(duration, simulator::close);
        return 0;
    }
}
