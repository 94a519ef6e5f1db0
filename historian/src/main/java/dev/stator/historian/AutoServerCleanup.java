package dev.stator.historian;

import java.lang.reflect.Field;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.h2.server.TcpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops the sharing server H2 leaves behind when opening a database fails. In automatic mixed mode H2 starts the
 * server before it reads the file, and when reading then fails (a damaged file, a full disk) it stops the server
 * only for an "already open" error: otherwise the listener thread stays up for the life of the JVM (seen in H2
 * 2.3.232, {@code Database}'s constructor). H2 offers no public handle on that server, so this reaches its registry
 * by reflection; if that ever fails, the leak is logged and nothing else happens.
 */
final class AutoServerCleanup {

    private static final Logger LOG = LoggerFactory.getLogger(AutoServerCleanup.class);

    private AutoServerCleanup() {
    }

    /** The ports of the TCP servers running in this JVM. */
    static Set<Integer> ports() {
        Map<Integer, TcpServer> servers = servers();
        return servers == null ? Set.of() : Set.copyOf(servers.keySet());
    }

    /** Stops the servers for {@code database} started since {@code before} was taken, after a failed open. */
    static void stopStartedSince(Set<Integer> before, Path database) {
        Map<Integer, TcpServer> servers = servers();
        if (servers == null) {
            return;
        }
        servers.forEach((port, server) -> {
            if (!before.contains(port) && serves(server, database)) {
                LOG.debug("stopping the server H2 left on port {} after failing to open {}", port, database);
                server.stop();
            }
        });
    }

    private static boolean serves(TcpServer server, Path database) {
        try {
            Field field = TcpServer.class.getDeclaredField("keyDatabase");
            field.setAccessible(true);
            Object name = field.get(server);
            return name != null && Path.of(name.toString()).toAbsolutePath().normalize().equals(database);
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.warn("cannot check which database an H2 server serves; a server thread may stay behind", e);
            return false;
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<Integer, TcpServer> servers() {
        try {
            Field field = TcpServer.class.getDeclaredField("SERVERS");
            field.setAccessible(true);
            return (Map<Integer, TcpServer>) field.get(null);
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.warn("cannot reach H2's server registry; a server thread may stay behind after a failed open", e);
            return null;
        }
    }
}
