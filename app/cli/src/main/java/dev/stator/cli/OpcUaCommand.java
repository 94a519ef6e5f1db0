package dev.stator.cli;

import dev.stator.driver.api.ConfigException;
import dev.stator.driver.api.DriverContext;
import dev.stator.driver.api.DriverRegistry;
import dev.stator.driver.api.EndpointConfig;
import dev.stator.driver.api.Options;
import dev.stator.driver.api.Secrets;
import dev.stator.driver.opcua.OpcUaBrowser;
import dev.stator.driver.opcua.OpcUaException;
import dev.stator.runtime.DataDirectory;
import dev.stator.runtime.SecretsFile;
import dev.stator.runtime.project.EndpointSpec;
import dev.stator.runtime.project.Project;
import dev.stator.runtime.project.ProjectException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code stator opcua}: engineering tools for OPC UA servers. */
@Command(name = "opcua", mixinStandardHelpOptions = true, description = "Engineering tools for OPC UA servers.",
        subcommands = {OpcUaCommand.Browse.class})
final class OpcUaCommand {

    /**
     * {@code stator opcua browse}: print a server's address space as a tree, for mapping tags. The server is given by
     * URL and options, or as an endpoint of a project (then with its settings and the password from the secrets
     * file).
     */
    @Command(name = "browse", mixinStandardHelpOptions = true,
            description = {"Print an OPC UA server's address space as a tree: NodeId, name, DataType, access, and a "
                    + "ready tag address for each variable.",
                    "Give --url (and security options), or --endpoint NAME of a project."})
    static final class Browse implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        ProjectOptions options;

        @Option(names = "--endpoint", paramLabel = "NAME", description = "An OPC UA endpoint of the project.")
        String endpoint;

        @Option(names = "--url", paramLabel = "URL", description = "The server's URL, e.g. opc.tcp://10.0.0.5:4840.")
        String url;

        @Option(names = "--security-policy", paramLabel = "POLICY", defaultValue = "Basic256Sha256",
                description = "None, Basic256Sha256, Aes128_Sha256_RsaOaep, Aes256_Sha256_RsaPss (default: "
                        + "${DEFAULT-VALUE}).")
        String policy;

        @Option(names = "--security-mode", paramLabel = "MODE", defaultValue = "SignAndEncrypt",
                description = "None, Sign, SignAndEncrypt (default: ${DEFAULT-VALUE}).")
        String mode;

        @Option(names = "--username", paramLabel = "USER", description = "User; the password is asked at the "
                + "terminal, or read from $STATOR_OPCUA_PASSWORD.")
        String username;

        @Option(names = "--node", paramLabel = "NODEID", defaultValue = OpcUaBrowser.OBJECTS,
                description = "Where to start (default: the Objects folder, ${DEFAULT-VALUE}).")
        String node;

        @Option(names = "--depth", paramLabel = "N", defaultValue = "3", description = "Levels below the start "
                + "(default: 3).")
        int depth;

        @Override
        public Integer call() throws Exception {
            Path data = options.dataDirectory();
            System.setProperty("stator.log.dir", data.resolve("logs").toString());
            System.setProperty("stator.console.level", "WARN");
            EndpointConfig config;
            Secrets secrets;
            if (endpoint != null) {
                Project project = options.load(DriverRegistry.load(Browse.class.getClassLoader()));
                EndpointSpec e = project.endpoints().stream().filter(x -> x.name().equals(endpoint)).findFirst()
                        .orElseThrow(() -> new CliException(CliException.BAD_INPUT, "unknown endpoint '" + endpoint
                                + "' in project '" + project.id() + "'"));
                if (!e.driver().equals("opcua") || e.usesSimulator()) {
                    throw new CliException(CliException.BAD_INPUT, "endpoint '" + endpoint + "' is not an OPC UA "
                            + "server this command can reach");
                }
                config = new EndpointConfig(e.name(), e.driver(), new Options(e.owner(), e.options()), List.of());
                try {
                    secrets = SecretsFile.load(DataDirectory.secretsFile(data));
                } catch (ProjectException ex) {
                    throw new CliException(CliException.BAD_INPUT, ex.getMessage());
                }
            } else if (url != null) {
                Map<String, String> o = new LinkedHashMap<>();
                o.put("url", url);
                o.put("security-policy", policy);
                o.put("security-mode", policy.equalsIgnoreCase("None") ? "None" : mode);
                String password = null;
                if (username != null) {
                    o.put("username", username);
                    password = System.getenv("STATOR_OPCUA_PASSWORD");
                    if (password == null) {
                        password = Prompt.password("Password of " + username);
                    }
                    if (password == null) {
                        throw new CliException(CliException.BAD_INPUT, "no password for " + username + ": set "
                                + "STATOR_OPCUA_PASSWORD or run at a terminal");
                    }
                }
                String known = password;
                secrets = (name, key) -> "password".equals(key) ? Optional.ofNullable(known) : Optional.empty();
                config = new EndpointConfig("browse", "opcua", new Options("--url " + url, o), List.of());
            } else {
                throw new CliException(CliException.BAD_INPUT, "give --url, or --endpoint with a project");
            }
            Secrets s = secrets;
            DriverContext context = new DriverContext() {
                @Override
                public Clock clock() {
                    return Clock.systemUTC();
                }

                @Override
                public Secrets secrets() {
                    return s;
                }

                @Override
                public Path dataDirectory() {
                    return data;
                }
            };
            PrintWriter out = spec.commandLine().getOut();
            try (OpcUaBrowser browser = OpcUaBrowser.connect(config, context)) {
                OpcUaBrowser.BrowseNode tree = browser.browse(node, depth, 0);
                out.print(tree.format());
                out.flush();
            } catch (ConfigException e) {
                throw new CliException(CliException.BAD_INPUT, e.toString());
            } catch (OpcUaException e) {
                throw new CliException(CliException.FAILURE, e.getMessage());
            }
            return 0;
        }
    }
}
