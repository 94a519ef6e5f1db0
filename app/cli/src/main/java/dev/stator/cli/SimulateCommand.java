package dev.stator.cli;

import dev.stator.runtime.DataDirectory;
import dev.stator.simulator.PlantSimulator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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

    @Option(names = "--opcua-port", paramLabel = "N", defaultValue = "4840",
            description = "OPC UA TCP port (default: ${DEFAULT-VALUE}; 0: no OPC UA server).")
    int opcUaPort;

    @Option(names = "--opcua-pki", paramLabel = "DIR",
            description = "The OPC UA server's certificate and trust lists (default: <data>/simulator/pki); put a "
                    + "client's certificate in its trusted/certs folder to let it connect securely.")
    Path opcUaPki;

    @Option(names = "--opcua-user", paramLabel = "USER=PASSWORD",
            description = "A user the OPC UA server accepts (repeatable); anonymous access stays on.")
    List<String> opcUaUsers = new ArrayList<>();

    @Option(names = "--data", paramLabel = "DIR", description = "Data folder (default: $STATOR_DATA, else "
            + "~/.local/share/stator).")
    Path data;

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
        if (opcUaPort < 0 || opcUaPort > 65535 || opcUaPort == port) {
            throw new CliException(CliException.BAD_INPUT, "--opcua-port " + opcUaPort + " is not a free port "
                    + "(1-65535, not the Modbus port; 0 for none)");
        }
        PlantSimulator.Builder builder = PlantSimulator.builder().bindAddress(address).modbusPort(port)
                .unitId(unitId).timeScale(timeScale);
        if (opcUaPort > 0) {
            Path dataDir = data != null ? data : DataDirectory.defaultLocation();
            builder.opcUaPort(opcUaPort).opcUaPkiDirectory(opcUaPki != null ? opcUaPki
                    : dataDir.resolve("simulator").resolve("pki"));
            for (String user : opcUaUsers) {
                int eq = user.indexOf('=');
                if (eq < 1) {
                    throw new CliException(CliException.BAD_INPUT, "--opcua-user is USER=PASSWORD, not '" + user
                            + "'");
                }
                builder.opcUaUser(user.substring(0, eq), user.substring(eq + 1));
            }
        }
        PlantSimulator simulator = builder.build();
        try {
            simulator.start();
        } catch (IOException e) {
            throw new CliException(CliException.FAILURE, e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        out.printf("plant simulator: Modbus TCP on %s:%d unit %d%s, time scale %s (docs/simulator.md)%s%n",
                address.getHostAddress(), port, unitId, opcUaPort > 0 ? "; OPC UA at " + simulator.opcUaEndpointUrl()
                        : "", timeScale, duration == null ? "; Ctrl+C stops" : "");
        out.flush();
        Lifetime.run(duration, simulator::close);
        return 0;
    }
}
