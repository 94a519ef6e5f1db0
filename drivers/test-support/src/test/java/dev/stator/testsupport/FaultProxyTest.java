package dev.stator.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Forwarding, counters and lifecycle with no fault switched on. */
class FaultProxyTest {

    private EchoServer echo;

    @BeforeEach
    void startEcho() throws IOException {
        echo = EchoServer.start();
    }

    @AfterEach
    void stopEcho() throws Exception {
        echo.close();
    }

    @Test
    void forwardsExactBytesBothWaysAndCountsThem() throws Exception {
        // A Modbus TCP read request, zero bytes included.
        byte[] request = {0, 1, 0, 0, 0, 6, 1, 3, 0, 0, 0, 10};
        try (FaultProxy proxy = FaultProxy.start(echo.address()); TestClient client = TestClient.connect(proxy)) {
            assertThat(client.roundTrip(request)).isEqualTo(request);
            assertThat(client.roundTrip(request)).isEqualTo(request);

            assertThat(proxy.awaitConnections(1, Duration.ofSeconds(5))).isTrue();
            assertThat(proxy.connectionsAccepted()).isEqualTo(1);
            assertThat(proxy.openConnections()).isEqualTo(1);
            assertThat(proxy.bytesToTarget()).isEqualTo(2L * request.length);
            assertThat(proxy.bytesToClients()).isEqualTo(2L * request.length);
            assertThat(proxy.bytesDropped()).isZero();
        }
    }

    // Written from another thread: the echo comes back while we write, and a single thread would deadlock once
    // every buffer on the way is full.
    @Test
    void forwardsALargeTransferUnchangedBothWays() throws Exception {
        byte[] payload = new byte[8 * 1024 * 1024];
        new Random(42).nextBytes(payload);
        try (FaultProxy proxy = FaultProxy.start(echo.address()); TestClient client = TestClient.connect(proxy)) {
            CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> {
                try {
                    client.send(payload);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });

            byte[] back = client.receive(payload.length);

            sent.get(10, TimeUnit.SECONDS);
            assertThat(back).isEqualTo(payload);
            assertThat(proxy.bytesToTarget()).isEqualTo(payload.length);
            assertThat(proxy.bytesToClients()).isEqualTo(payload.length);
        }
    }

    @Test
    void servesSeveralClientsAtOnceEachWithItsOwnConnection() throws Exception {
        try (FaultProxy proxy = FaultProxy.start(echo.address());
                TestClient first = TestClient.connect(proxy);
                TestClient second = TestClient.connect(proxy)) {
            assertThat(first.roundTrip(bytes("first"))).isEqualTo(bytes("first"));
            assertThat(second.roundTrip(bytes("second"))).isEqualTo(bytes("second"));

            assertThat(proxy.connectionsAccepted()).isEqualTo(2);
            assertThat(proxy.openConnections()).isEqualTo(2);
        }
    }

    @Test
    void aClientClosingEndsItsConnectionOnBothSides() throws Exception {
        try (FaultProxy proxy = FaultProxy.start(echo.address())) {
            TestClient client = TestClient.connect(proxy);
            client.roundTrip(bytes("bye"));

            client.close();

            Await.until(Duration.ofSeconds(5), "the connection to end", () -> proxy.openConnections() == 0);
            Await.until(Duration.ofSeconds(5), "the target to see the end", () -> echo.connectionsEnded() == 1);
        }
    }

    @Test
    void awaitConnectionsGivesUpAfterItsTimeout() throws Exception {
        try (FaultProxy proxy = FaultProxy.start(echo.address())) {
            long start = System.nanoTime();

            assertThat(proxy.awaitConnections(1, Duration.ofMillis(200))).isFalse();

            assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(200),
                    Duration.ofSeconds(2));
        }
    }

    @Test
    void aClientIsResetWhenTheTargetIsDown() throws Exception {
        InetSocketAddress nobody;
        try (ServerSocket closedAgain = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            nobody = new InetSocketAddress(InetAddress.getLoopbackAddress(), closedAgain.getLocalPort());
        }
        try (FaultProxy proxy = FaultProxy.start(nobody)) {
            // The reset can come before the client has even set its socket options.
            Throwable thrown = catchThrowable(() -> {
                try (TestClient client = TestClient.connect(proxy)) {
                    client.read();
                }
            });

            assertThat(thrown).isInstanceOf(IOException.class).hasMessageContaining("reset");
            assertThat(proxy.connectionsAccepted()).isEqualTo(1);
            assertThat(proxy.openConnections()).isZero();
        }
    }

    @Test
    void closeStopsItsThreadResetsClientsFreesThePortAndIsIdempotent() throws Exception {
        FaultProxy proxy = FaultProxy.start(echo.address());
        int port = proxy.port();
        TestClient client = TestClient.connect(proxy);
        client.roundTrip(bytes("hello"));
        assertThat(proxyThreads()).contains("stator-proxy-" + port);

        proxy.close();
        proxy.close();

        // close() joins the thread: nothing to wait for.
        assertThat(proxyThreads()).isEmpty();
        assertThatThrownBy(client::read).isInstanceOf(IOException.class);
        client.close();
        try (ServerSocket again = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            assertThat(again.getLocalPort()).isEqualTo(port);
        }
        // Switches on a closed proxy do nothing.
        proxy.resetConnections();
        proxy.heal();
        assertThat(proxy.openConnections()).isZero();
    }

    @Test
    void startAcceptsOnlyALoopbackTarget() {
        assertThatThrownBy(() -> FaultProxy.start(new InetSocketAddress("192.0.2.1", 502)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("loopback");
        assertThatThrownBy(() -> FaultProxy.start(InetSocketAddress.createUnresolved("plc1", 502)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(proxyThreads()).isEmpty();
    }

    static Set<String> proxyThreads() {
        return Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                .filter(name -> name.startsWith("stator-proxy")).collect(Collectors.toSet());
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
