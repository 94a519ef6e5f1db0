package dev.stator.driver.modbus;

import dev.stator.driver.api.Quality;
import dev.stator.driver.api.TagValue;
import dev.stator.testsupport.FaultProxy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The failures that really happen on plant networks, injected by a loopback proxy between the driver and a real
 * slave: a silent drop (a half-open link) and a reset. The tags turn Uncertain, then Bad, and recover by themselves;
 * times come from the recorded arrival of each reading, with a tolerance.
 */
class LinkFailureTest {

    /** Timeout 300 ms, reconnect delay 100 ms doubling to 400 ms, one retry: see TestEndpoint. */
    private static final long TIMEOUT_MS = 300;

    private TestSlave slave;
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
        if (slave != null) {
            slave.close();
        }
    }

    private static Set<String> stator() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(t -> t.getName() + "#"
                + t.getId()).filter(n -> n.startsWith("stator-modbus")).collect(Collectors.toCollection(TreeSet::new));
    }

    private void startThroughProxy() throws Exception {
        slave = TestSlave.start(TestSlave.image(1, 10), false);
        slave.holding(0, 0x4049, 0x0FDB);
        proxy = FaultProxy.start(new InetSocketAddress("127.0.0.1", slave.port));
        endpoint = TestEndpoint.tcp(proxy.port()).tag("pi", "hr:0:float32").start();
        assertThat(endpoint.value("pi")).isEqualTo((double) 3.1415927f);
    }

    @Test
    void aSilentDropTurnsTheTagUncertainThenBadAndItRecoversByItself() throws Exception {
        Set<String> baseline = stator();
        startThroughProxy();
        Set<String> running = stator();

        long dropped = System.nanoTime();
        proxy.blackhole();
        TagValue bad = endpoint.await("pi", v -> v.quality().isBad());
        assertThat(bad.quality()).isEqualTo(Quality.BAD_TIMEOUT);
        assertThat(bad.detail()).contains("no answer from 127.0.0.1:" + proxy.port() + " within 300 ms");

        TestEndpoint.Received uncertain = endpoint.firstAfter("pi", dropped,
                v -> v.quality().equals(Quality.UNCERTAIN_NO_COMMUNICATION_LAST_USABLE_VALUE));
        TestEndpoint.Received turnedBad = endpoint.firstAfter("pi", dropped, v -> v.quality().isBad());
        assertThat(uncertain).as("Uncertain while retrying, before Bad").isNotNull();
        assertThat(uncertain.value().value()).as("the last usable value stays").isEqualTo((double) 3.1415927f);
        assertThat(uncertain.nanos()).isLessThan(turnedBad.nanos());
        // One timeout to notice, a backoff of 100 ms, a second timeout: Bad within about 700 ms; allow for a loaded
        // machine, but it must not take many timeouts.
        assertThat(TestEndpoint.millis(turnedBad.nanos() - dropped)).isBetween(TIMEOUT_MS, 4 * TIMEOUT_MS + 1_500);

        long healed = System.nanoTime();
        proxy.heal();
        TagValue good = endpoint.await("pi", v -> v.quality().isGood());
        assertThat(good.value()).isEqualTo((double) 3.1415927f);
        TestEndpoint.Received recovered = endpoint.firstAfter("pi", healed, v -> v.quality().isGood());
        // The next attempt comes within the longest backoff (400 ms) plus a timeout.
        assertThat(TestEndpoint.millis(recovered.nanos() - healed)).isLessThan(400 + 2 * TIMEOUT_MS + 1_000);

        assertThat(stator()).isEqualTo(running);
        endpoint.close();
        endpoint = null;
        assertThat(stator()).as("threads back to the baseline").isEqualTo(baseline);
    }

    @Test
    void aResetTurnsTheTagBadAndItRecoversByItself() throws Exception {
        startThroughProxy();
        long reset = System.nanoTime();
        proxy.refuseConnections(true);
        proxy.resetConnections();
        TagValue bad = endpoint.await("pi", v -> v.quality().isBad());
        assertThat(bad.quality()).isIn(Quality.BAD_COMMUNICATION_ERROR, Quality.BAD_NOT_CONNECTED);
        TestEndpoint.Received turnedBad = endpoint.firstAfter("pi", reset, v -> v.quality().isBad());
        assertThat(TestEndpoint.millis(turnedBad.nanos() - reset)).isLessThan(3_000);
        assertThat(endpoint.endpoint.deviceStatus().get(0).errorsByKind()).containsKey("not connected");

        long healed = System.nanoTime();
        proxy.heal();
        assertThat(endpoint.await("pi", v -> v.quality().isGood()).value()).isEqualTo((double) 3.1415927f);
        TestEndpoint.Received recovered = endpoint.firstAfter("pi", healed, v -> v.quality().isGood());
        assertThat(TestEndpoint.millis(recovered.nanos() - healed)).isLessThan(400 + TIMEOUT_MS + 1_000);
        assertThat(proxy.connectionsAccepted()).as("the driver reconnected by itself").isGreaterThanOrEqualTo(2);
    }

    @Test
    void aValueNotUpdatedForSeveralScansTurnsUncertain() throws Exception {
        slave = TestSlave.start(TestSlave.image(1, 10), false);
        proxy = FaultProxy.start(new InetSocketAddress("127.0.0.1", slave.port));
        // Answers slower than the scan rate: readings come further apart than 3 scans of 50 ms.
        endpoint = TestEndpoint.tcp(proxy.port()).endpoint("timeout", "2s").device("stale-after", "3")
                .tag("a", "hr:0", false, Duration.ofMillis(50)).start();
        endpoint.await("a", TagValue::hasValue);
        proxy.delay(Duration.ofMillis(400));
        TagValue stale = endpoint.await("a", v -> v.quality().isUncertain());
        assertThat(stale.quality()).isEqualTo(Quality.UNCERTAIN_LAST_USABLE_VALUE);
        assertThat(stale.detail()).isEqualTo("not updated for 3 scans");
        assertThat(stale.value()).isEqualTo(0L);
        proxy.heal();
        assertThat(endpoint.await("a", v -> v.quality().isGood()).value()).isEqualTo(0L);
    }
}
