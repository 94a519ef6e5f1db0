package dev.stator.driver.opcua;

import dev.stator.driver.api.DeviceStatus;
import dev.stator.driver.api.Quality;
import dev.stator.driver.api.TagValue;
import dev.stator.testsupport.FaultProxy;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The failures plants have, on a real server: a silent link (a loopback proxy drops every byte) and a server
 * restart. The tags turn Bad within the stated time and come back by themselves; times are taken from the recorded
 * arrival of each reading, with a tolerance for a loaded machine. Keep-alive interval 500 ms, keep-alive timeout
 * 250 ms, request timeout 1 s, reconnect 100 ms doubling to 500 ms (see TestEndpoint).
 */
class RecoveryTest {

    private static final long KEEP_ALIVE_MS = 500;
    /** Scheduling slack on a busy 2-core machine. */
    private static final long TOLERANCE_MS = 250;

    @TempDir
    Path dir;
    private TestServer server;
    private FaultProxy proxy;
    private TestEndpoint endpoint;

    @AfterEach
    void stop() {
        if (endpoint != null) {
            endpoint.close();
        }
        if (proxy != null) {
            proxy.close();
        }
        if (server != null) {
            server.close();
        }
    }

    /** Threads that are not Milo's shared ones (which outlive a client by design) nor the test's own. */
    private static Set<String> ownThreads() {
        Set<String> all = new TreeSet<>(TestEndpoint.threads(""));
        all.removeIf(t -> t.startsWith("milo-") || t.startsWith("test-server-") || t.startsWith("stator-proxy-"));
        return all;
    }

    @Test
    void aSilentLinkTurnsTagsBadWithinTwoKeepAlivesAndTheyRecoverByThemselves() throws Exception {
        server = TestServer.start(dir.resolve("server"));
        String ns = "ns=" + server.namespaceIndex() + ";s=";
        // A first client, so that Milo's shared threads exist before the baseline is taken.
        try (TestEndpoint first = TestEndpoint.spec(server.url(), dir.resolve("data")).tag("d", ns + "Plain/Double")
                .start()) {
            first.good("d");
        }
        Set<String> baseline = ownThreads();
        assertThat(TestEndpoint.threads("stator-opcua")).isEmpty();

        proxy = FaultProxy.start(new InetSocketAddress("127.0.0.1", server.port()));
        String viaProxy = "127.0.0.1:" + proxy.port();
        // The server reports its own address; behind the proxy (as behind NAT) the client must use another.
        endpoint = TestEndpoint.spec("opc.tcp://" + viaProxy + "/test", dir.resolve("data"))
                .endpoint("host-override", viaProxy)
                .tag("ramp", ns + "Dynamic/Ramp")
                .start();
        endpoint.good("ramp");
        assertThat(TestEndpoint.threads("stator-opcua")).containsExactly(
                TestEndpoint.threads("stator-opcua-plc-opc").iterator().next());

        long dropped = System.nanoTime();
        proxy.blackhole();
        TagValue bad = endpoint.await("ramp", v -> v.quality().isBad());
        long badMillis = TestEndpoint.millis(endpoint.firstAfter("ramp", dropped, v -> v.quality().isBad()).nanos()
                - dropped);
        assertThat(bad.quality()).isEqualTo(Quality.BAD_NO_COMMUNICATION);
        assertThat(bad.detail()).startsWith("lost the session with opc.tcp://" + viaProxy + "/test (no answer to a "
                + "keep-alive within 250 ms");
        assertThat(badMillis).as("Bad within two keep-alive periods").isLessThan(2 * KEEP_ALIVE_MS + TOLERANCE_MS);
        assertThat(endpoint.status().state()).isEqualTo(DeviceStatus.LinkState.DISCONNECTED);
        Thread.sleep(1_000);

        long healed = System.nanoTime();
        Instant healedAt = Instant.now();
        proxy.heal();
        TagValue back = endpoint.await("ramp", v -> v.quality().isGood() && v.sourceTime().isAfter(healedAt),
                Duration.ofSeconds(25));
        long goodMillis = TestEndpoint.millis(endpoint.firstAfter("ramp", healed, v -> v.quality().isGood())
                .nanos() - healed);
        // Milo retries the channel and the session after 1 s, then 2 s, 4 s...: after a 1.5 s outage, one or two
        // waits and a request timeout.
        assertThat(goodMillis).as("Good again after the link heals").isLessThan(10_000);
        double after = (Double) back.value();
        endpoint.await("ramp", v -> v.hasValue() && (Double) v.value() > after + 4);
        DeviceStatus s = endpoint.status();
        assertThat(s.state()).isEqualTo(DeviceStatus.LinkState.CONNECTED);
        assertThat(s.errorsByKind()).containsKey("session lost");
        System.out.printf("silent link: Bad after %d ms, Good %d ms after healing%n", badMillis, goodMillis);

        endpoint.close();
        endpoint = null;
        assertThat(TestEndpoint.threads("stator-opcua")).as("no endpoint thread left").isEmpty();
        assertThat(ownThreads()).as("threads back to the baseline").isEqualTo(baseline);
    }

    @Test
    void aServerRestartTurnsTagsBadAndTheSubscriptionIsCreatedAgain() throws Exception {
        server = TestServer.start(dir.resolve("server"));
        int port = server.port();
        String ns = "ns=" + server.namespaceIndex() + ";s=";
        endpoint = TestEndpoint.spec(server.url(), dir.resolve("data"))
                .tag("ramp", ns + "Dynamic/Ramp")
                .tag("double", ns + "Plain/Double")
                .start();
        endpoint.good("ramp");
        endpoint.good("double");

        long stopped = System.nanoTime();
        server.close();
        server = null;
        endpoint.await("ramp", v -> v.quality().isBad());
        long badMillis = TestEndpoint.millis(endpoint.firstAfter("ramp", stopped, v -> v.quality().isBad()).nanos()
                - stopped);
        assertThat(badMillis).as("a closed connection is noticed at once").isLessThan(2 * KEEP_ALIVE_MS + TOLERANCE_MS);
        Thread.sleep(1_000);

        long restarted = System.nanoTime();
        Instant restartedAt = Instant.now();
        server = TestServer.start(dir.resolve("server"), port);
        endpoint.await("ramp", v -> v.quality().isGood() && v.sourceTime().isAfter(restartedAt),
                Duration.ofSeconds(25));
        long goodMillis = TestEndpoint.millis(endpoint.firstAfter("ramp", restarted, v -> v.quality().isGood())
                .nanos() - restarted);
        assertThat(goodMillis).as("Good again after the restart").isLessThan(12_000);
        assertThat(endpoint.good("double").value()).as("an unchanged value turns Good too").isEqualTo(21.5);
        assertThat(endpoint.trace).anyMatch(l -> l.contains("the server did not keep the subscription"));
        assertThat(endpoint.trace.stream().filter(l -> l.contains("-> CreateSubscription"))).hasSize(2);
        System.out.printf("server restart: Bad after %d ms, Good %d ms after the new server started%n", badMillis,
                goodMillis);
    }

    @Test
    void aSessionTheServerDroppedIsReplacedAndItsSubscriptionTransferred() throws Exception {
        server = TestServer.start(dir.resolve("server"));
        String ns = "ns=" + server.namespaceIndex() + ";s=";
        // A server transfers an anonymous session's subscriptions only over a signed channel (Part 4, 5.14.7).
        OpcUaCertificates certificates = OpcUaCertificates.open(dir.resolve("data"));
        server.trustClient(PkiDirectory.decode(Files.readAllBytes(certificates.own().file())));
        Path serverCertificate = dir.resolve("server.der");
        Files.write(serverCertificate, server.certificate().getEncoded());
        certificates.trustFile(serverCertificate);
        endpoint = TestEndpoint.spec(server.url(), dir.resolve("data"))
                .without("security-policy")
                .tag("ramp", ns + "Dynamic/Ramp")
                .tag("double", ns + "Plain/Double")
                .start();
        endpoint.good("ramp");
        endpoint.good("double");
        Set<NodeId> sessions = server.sessionIds();
        assertThat(sessions).hasSize(1);
        int batches = server.createdBatches.size();

        long dropped = System.nanoTime();
        Instant droppedAt = Instant.now();
        server.dropSessionsKeepingSubscriptions();
        TagValue bad = endpoint.await("ramp", v -> v.quality().isBad());
        assertThat(bad.quality()).isEqualTo(Quality.BAD_NO_COMMUNICATION);
        endpoint.await("ramp", v -> v.quality().isGood() && v.sourceTime().isAfter(droppedAt),
                Duration.ofSeconds(15));
        long turnedBad = endpoint.firstAfter("ramp", dropped, v -> v.quality().isBad()).nanos();
        long goodMillis = TestEndpoint.millis(endpoint.firstAfter("ramp", turnedBad, v -> v.quality().isGood())
                .nanos() - dropped);
        assertThat(endpoint.good("double").value()).isEqualTo(21.5);
        assertThat(server.sessionIds()).as("a new session").hasSize(1).doesNotContainAnyElementsOf(sessions);
        assertThat(server.createdBatches).as("no monitored item created again: the subscription was transferred")
                .hasSize(batches);
        assertThat(endpoint.trace.stream().filter(l -> l.contains("-> CreateSubscription"))).hasSize(1);
        assertThat(endpoint.trace).anyMatch(l -> l.contains("kept (still alive, or transferred to the new session)"));
        System.out.printf("session dropped by the server: Good %d ms later, subscription transferred%n", goodMillis);
    }

    @Test
    void aSessionThatStaysDownLongerThanTheSessionTimeoutIsAbandonedAndTheDriverStartsOver() throws Exception {
        server = TestServer.start(dir.resolve("server"));
        int port = server.port();
        String ns = "ns=" + server.namespaceIndex() + ";s=";
        endpoint = TestEndpoint.spec(server.url(), dir.resolve("data"))
                .endpoint("session-timeout", "1500ms")
                .tag("double", ns + "Plain/Double")
                .start();
        endpoint.good("double");
        server.close();
        server = null;
        endpoint.await("double", v -> v.quality().isBad());
        // Past the session timeout the driver starts over with its own backoff (100 ms doubling to 500 ms).
        Thread.sleep(2_500);
        long restarted = System.nanoTime();
        server = TestServer.start(dir.resolve("server"), port);
        endpoint.await("double", v -> v.quality().isGood(), Duration.ofSeconds(10));
        long goodMillis = TestEndpoint.millis(endpoint.firstAfter("double", restarted, v -> v.quality().isGood())
                .nanos() - restarted);
        assertThat(endpoint.trace).anyMatch(l -> l.contains("-- closing the session: session not recovered within "
                + "the session timeout"));
        assertThat(endpoint.trace.stream().filter(l -> l.contains("-> GetEndpoints"))).hasSizeGreaterThan(1);
        assertThat(goodMillis).as("within reconnect-max and a connection").isLessThan(500 + 3_000);
        System.out.printf("after the session timeout: Good %d ms after the new server started%n", goodMillis);
    }
}
