package dev.stator.driver.api;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OptionsTest {

    @Test
    void typedReadsWithDefaultsAndErrorsNamingOwnerAndKey() throws ConfigException {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("port", "1502");
        m.put("timeout", "250ms");
        m.put("enabled", "true");
        m.put("unit-id", "300");
        Options o = new Options("device 'plc'", m);
        assertThat(o.getInt("port", 502, 1, 65535)).isEqualTo(1502);
        assertThat(o.getDuration("timeout", Duration.ofSeconds(1))).isEqualTo(Duration.ofMillis(250));
        assertThat(o.getDuration("retry", Duration.ofSeconds(3))).isEqualTo(Duration.ofSeconds(3));
        assertThat(o.getBoolean("enabled", false)).isTrue();
        assertThatThrownBy(() -> o.getInt("unit-id", 1, 0, 255)).isInstanceOf(ConfigException.class)
                .hasMessage("'unit-id' is 300, must be 0 to 255")
                .satisfies(e -> {
                    assertThat(((ConfigException) e).owner()).isEqualTo("device 'plc'");
                    assertThat(((ConfigException) e).key()).isEqualTo("unit-id");
                });
    }

    @Test
    void anUnknownKeyIsAnErrorListingTheKnownOnes() throws ConfigException {
        Options o = new Options("endpoint 'link'", Map.of("host", "h", "prot", "502"));
        o.requireString("host");
        o.getInt("port", 502, 1, 65535);
        assertThatThrownBy(o::checkAllUsed).hasMessage("unknown option 'prot' (known: host, port)");
    }

    @Test
    void durationsRoundTrip() {
        for (String text : new String[] {"250ms", "1s", "10m", "2h"}) {
            assertThat(Options.formatDuration(Options.parseDuration(text))).isEqualTo(text);
        }
        assertThat(Options.parseDuration("1.5s")).isEqualTo(Duration.ofMillis(1500));
        assertThat(Options.parseDuration("10min")).isEqualTo(Duration.ofMinutes(10));
        assertThatThrownBy(() -> Options.parseDuration("soon")).hasMessageContaining("not a duration");
    }
}
