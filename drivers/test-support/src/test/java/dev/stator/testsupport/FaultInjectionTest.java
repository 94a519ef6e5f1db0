package dev.stator.testsupport;

import static dev.stator.testsupport.FaultProxyTest.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Each fault switched on while a connection is open, as a driver would meet it, then healed. */
class FaultInjectionTest {

    /** Long enough that a reply would surely have come back through a working link. */
    private static final Duration SILENCE = Duration.ofMillis(300);
    private static final Duration BOUND = Duration.ofSeconds(5);

    private EchoServer echo;
    private FaultProxy proxy;

    @BeforeEach
    void start() throws IOException {
        echo = EchoServer.start();
        proxy = FaultProxy.start(echo.address());
    }

    @AfterEach
    void stop() throws Exception {
        proxy.close();
        echo.close();
    }

    @Test
    void blackholeLetsWritesSucceedButNothingComesBackAndHealCarriesNewBytesOnTheSameConnection() throws Exception {
        try (TestClient client = TestClient.connect(proxy)) {
            assertThat(client.roundTrip(bytes("before"))).isEqualTo(bytes("before"));

            proxy.blackhole();
            client.send(bytes("lost"));
            Await.until(BOUND, "the proxy to drop the request", () -> proxy.bytesDropped() == 4);
            client.readTimeout(SILENCE);

            assertThatThrownBy(client::read).isInstanceOf(SocketTimeoutException.class);
            assertThat(proxy.openConnections()).isEqualTo(1);
            assertThat(echo.connectionsEnded()).isZero();

            proxy.heal();
            client.readTimeout(TestClient.READ_TIMEOUT);

            // "lost" never reached the server, so only the new bytes come back.
            assertThat(client.roundTrip(bytes("after"))).isEqualTo(bytes("after"));
            assertThat(proxy.connectionsAccepted()).isEqualTo(1);
        }
    }

    // The delay holds the echo inside the proxy long enough to switch the black hole on while it is on its way.
    @Test
    void blackholeDropsBytesAlreadyOnTheirWayToTheClient() throws Exception {
        try (TestClient client = TestClient.connect(proxy)) {
            proxy.delay(Duration.ofMillis(800));
            client.send(bytes("ping"));
            Await.until(BOUND, "the request to reach the server", () -> proxy.bytesToTarget() == 4);

            proxy.blackhole();
            Await.until(BOUND, "the proxy to drop the reply", () -> proxy.bytesDropped() == 4);
            client.readTimeout(Duration.ofSeconds(1));

            assertThatThrownBy(client::read).isInstanceOf(SocketTimeoutException.class);
            assertThat(proxy.bytesToClients()).isZero();

            proxy.heal();
            client.readTimeout(TestClient.READ_TIMEOUT);
            assertThat(client.roundTrip(bytes("pong"))).isEqualTo(bytes("pong"));
        }
    }

    @Test
    void blackholeAcceptsNewConnectionsButPassesNothingUntilHeal() throws Exception {
        proxy.blackhole();

        try (TestClient client = TestClient.connect(proxy)) {
            assertThat(proxy.awaitConnections(1, BOUND)).isTrue();
            client.send(bytes("hello"));
            Await.until(BOUND, "the proxy to drop the request", () -> proxy.bytesDropped() == 5);
            client.readTimeout(SILENCE);

            assertThatThrownBy(client::read).isInstanceOf(SocketTimeoutException.class);
            assertThat(proxy.bytesToTarget()).isZero();

            proxy.heal();
            client.readTimeout(TestClient.READ_TIMEOUT);
            assertThat(client.roundTrip(bytes("again"))).isEqualTo(bytes("again"));
        }
    }

    @Test
    void resetConnectionsResetsTheClientPromptlyAndTheServerToo() throws Exception {
        try (TestClient client = TestClient.connect(proxy)) {
            client.roundTrip(bytes("before"));

            long start = System.nanoTime();
            proxy.resetConnections();
            Throwable thrown = catchThrowable(client::read);
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertThat(thrown).isInstanceOf(SocketException.class).hasMessageContaining("reset");
            assertThat(took).isLessThan(Duration.ofSeconds(1));
            assertThat(proxy.openConnections()).isZero();
            Await.until(BOUND, "the server to see its connection end", () -> echo.connectionsEnded() == 1);
        }
        // A reconnect goes through as usual.
        try (TestClient again = TestClient.connect(proxy)) {
            assertThat(again.roundTrip(bytes("after"))).isEqualTo(bytes("after"));
            assertThat(proxy.connectionsAccepted()).isEqualTo(2);
        }
    }

    @Test
    void refuseConnectionsFailsNewConnectsAndKeepsOpenOnesUntilHealOrAcceptAgain() throws Exception {
        try (TestClient open = TestClient.connect(proxy)) {
            proxy.refuseConnections(true);

            assertThatThrownBy(() -> TestClient.connect(proxy)).isInstanceOf(ConnectException.class);
            assertThat(open.roundTrip(bytes("still up"))).isEqualTo(bytes("still up"));

            proxy.heal();
            try (TestClient second = TestClient.connect(proxy)) {
                assertThat(second.roundTrip(bytes("second"))).isEqualTo(bytes("second"));
            }

            proxy.refuseConnections(true);
            assertThatThrownBy(() -> TestClient.connect(proxy)).isInstanceOf(ConnectException.class);
            proxy.refuseConnections(false);
            try (TestClient third = TestClient.connect(proxy)) {
                assertThat(third.roundTrip(bytes("third"))).isEqualTo(bytes("third"));
            }
            assertThat(proxy.connectionsAccepted()).isEqualTo(3);
        }
    }

    @Test
    void delayAddsItsLatencyInEachDirectionAndKeepsTheOrder() throws Exception {
        Duration delay = Duration.ofMillis(150);
        try (TestClient client = TestClient.connect(proxy)) {
            client.roundTrip(bytes("warm up"));
            proxy.delay(delay);

            long start = System.nanoTime();
            byte[] back = client.roundTrip(bytes("ping"));
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertThat(back).isEqualTo(bytes("ping"));
            assertThat(took).isBetween(delay.multipliedBy(2), delay.multipliedBy(2).plusSeconds(2));

            // A burst of small writes: each chunk is delayed, none overtakes another.
            ByteArrayOutputStream sent = new ByteArrayOutputStream();
            for (int i = 0; i < 50; i++) {
                byte[] message = bytes(String.format("<%02d>", i));
                client.send(message);
                sent.write(message);
            }
            assertThat(client.receive(sent.size())).isEqualTo(sent.toByteArray());
        }
    }

    // Both directions are paced separately and overlap: the echo of 64 KiB at 32 KiB/s takes about 2 s, not 4.
    @Test
    void throttleLimitsTheThroughputOfEachDirection() throws Exception {
        byte[] payload = new byte[64 * 1024];
        new Random(7).nextBytes(payload);
        try (TestClient client = TestClient.connect(proxy)) {
            client.roundTrip(bytes("warm up"));
            proxy.throttle(32 * 1024);

            long start = System.nanoTime();
            CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> {
                try {
                    client.send(payload);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            byte[] back = client.receive(payload.length);
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            sent.get(BOUND.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(back).isEqualTo(payload);
            assertThat(took).isBetween(Duration.ofMillis(1800), Duration.ofMillis(3500));
        }
    }

    @Test
    void healLiftsDelayAndThrottleOnOpenConnections() throws Exception {
        byte[] payload = new byte[4 * 1024];
        try (TestClient client = TestClient.connect(proxy)) {
            proxy.delay(Duration.ofSeconds(2));
            proxy.throttle(100);

            proxy.heal();
            long start = System.nanoTime();
            byte[] back = client.roundTrip(payload);
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            // Either fault alone would hold the echo back for seconds.
            assertThat(back).isEqualTo(payload);
            assertThat(took).isLessThan(Duration.ofSeconds(1));
        }
    }

    @Test
    void switchesRejectNonsense() {
        assertThatThrownBy(() -> proxy.delay(Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> proxy.throttle(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("heal()");
    }
}
