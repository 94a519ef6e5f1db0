package dev.stator.driver.opcua;

import dev.stator.driver.api.Deadband;
import dev.stator.driver.api.EngineeringRange;
import dev.stator.driver.api.Quality;
import dev.stator.driver.api.TagValue;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Deadbands are the server's work (a DataChangeFilter on each monitored item): small changes never cross the wire.
 * The tests change values on the server and count the notifications the driver received.
 */
class DeadbandTest extends OneServerTest {

    /** Long enough for the server to sample each value at least twice (sampling interval 100 ms). */
    private static final long HOLD_MILLIS = 250;

    @Test
    void anAbsoluteDeadbandSuppressesSmallChangesOnTheWire() throws Exception {
        server.set("Plain/Noisy", 10.0);
        endpoint = spec().tag("noisy", ns + "Plain/Noisy", false, Duration.ofMillis(100), null,
                new Deadband(0.5, false), null).start();
        assertThat(endpoint.good("noisy").value()).isEqualTo(10.0);
        long t0 = System.nanoTime();
        int tracedBefore = publishLines("noisy=");
        double[] changes = {10.1, 10.2, 10.3, 10.4, 10.6, 10.8, 11.0, 11.2, 11.3};
        for (double v : changes) {
            server.set("Plain/Noisy", v);
            Thread.sleep(HOLD_MILLIS);
        }
        Thread.sleep(300);
        // Reported: 10.6 (0.6 from 10.0) and 11.2 (0.6 from 10.6); the other seven stayed on the server.
        List<Object> seen = endpoint.since("noisy", t0).stream().map(TagValue::value).toList();
        assertThat(changes).hasSize(9);
        assertThat(seen).containsExactly(10.6, 11.2);
        assertThat(publishLines("noisy=") - tracedBefore).as("notifications received").isEqualTo(2);
    }

    @Test
    void aPercentDeadbandUsesTheNodesEngineeringRange() throws Exception {
        server.set("Analog/Level", 50.0);
        endpoint = spec().tag("level", ns + "Analog/Level", false, Duration.ofMillis(100), null,
                new Deadband(2, true), new EngineeringRange(0, 100)).start();
        assertThat(endpoint.good("level").value()).isEqualTo(50.0);
        long t0 = System.nanoTime();
        for (double v : new double[] {50.5, 51.0, 51.5, 52.5, 53.0}) {
            server.set("Analog/Level", v);
            Thread.sleep(HOLD_MILLIS);
        }
        Thread.sleep(300);
        // 2 % of the EURange 0..100 is 2.0: only 52.5 differs from 50.0 by more.
        assertThat(endpoint.since("level", t0)).extracting(TagValue::value).containsExactly(52.5);
    }

    @Test
    void aPercentDeadbandOnANodeWithoutEngineeringRangeIsAClearConfigurationError() throws Exception {
        endpoint = spec()
                .tag("plain", ns + "Plain/Noisy", false, Duration.ofMillis(100), null, new Deadband(2, true),
                        new EngineeringRange(0, 100))
                .tag("other", ns + "Plain/Double")
                .start();
        TagValue bad = endpoint.await("plain", v -> v.quality().isBad());
        assertThat(bad.quality()).isEqualTo(Quality.BAD_CONFIGURATION_ERROR);
        assertThat(bad.detail()).isEqualTo("a percent deadband needs the node's EURange, and node " + ns
                + "Plain/Noisy has no EURange on the server: use an absolute deadband (e.g. deadband: 0.5)");
        assertThat(endpoint.good("other").value()).isEqualTo(21.5);
    }

    @Test
    void aDeadbandTheServerRefusesTurnsTheTagBadWithTheServersReason() throws Exception {
        endpoint = spec().tag("flag", ns + "Plain/Boolean;bool", false, Duration.ofMillis(100), null,
                new Deadband(0.5, false), null).start();
        TagValue bad = endpoint.await("flag", v -> v.quality().isBad());
        assertThat(bad.quality()).isEqualTo(Quality.BAD_CONFIGURATION_ERROR);
        assertThat(bad.detail()).isEqualTo("the server refused the absolute deadband 0.5 on node " + ns
                + "Plain/Boolean (Bad_FilterNotAllowed)");
    }

    private int publishLines(String text) {
        return (int) endpoint.trace.stream().filter(l -> l.contains("<- Publish") && l.contains(text)).count();
    }
}
