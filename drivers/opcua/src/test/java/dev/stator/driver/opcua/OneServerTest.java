package dev.stator.driver.opcua;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tests against one in-process server, started once per test class on a free loopback port, and at most one
 * endpoint per test, closed after it.
 */
abstract class OneServerTest {

    @TempDir
    static Path dir;
    static TestServer server;
    /** The start of a NodeId in the server's namespace, by index: {@code ns + "Plain/Noisy"}. */
    static String ns;
    TestEndpoint endpoint;

    @BeforeAll
    static void startServer() throws Exception {
        server = TestServer.start(dir.resolve("server"));
        ns = "ns=" + server.namespaceIndex() + ";s=";
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @AfterEach
    void closeEndpoint() {
        if (endpoint != null) {
            endpoint.close();
        }
    }

    /** An endpoint specification for the server, its data folder in the test's folder. */
    TestEndpoint.Spec spec() {
        return TestEndpoint.spec(server.url(), dir.resolve("data"));
    }
}
