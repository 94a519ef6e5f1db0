package dev.stator.driver.api;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DriverRegistryTest {

    /** A provider that serves names only: enough to test the registry's bookkeeping. */
    private record NamedProvider(Set<String> protocols) implements DriverProvider {
        @Override
        public TagAddress parseAddress(String protocol, String text) throws AddressException {
            throw new AddressException("no addresses");
        }

        @Override
        public Endpoint createEndpoint(EndpointConfig config, DriverContext context) throws ConfigException {
            throw new ConfigException("endpoint '" + config.name() + "'", null, "no endpoints");
        }
    }

    @Test
    void providersAreFoundByProtocol() {
        NamedProvider a = new NamedProvider(Set.of("alpha", "alpha-tls"));
        NamedProvider b = new NamedProvider(Set.of("beta"));
        DriverRegistry r = DriverRegistry.of(List.of(a, b));
        assertThat(r.provider("alpha-tls")).isSameAs(a);
        assertThat(r.provider("beta")).isSameAs(b);
        assertThat(r.provider("gamma")).isNull();
        assertThat(r.protocols()).containsExactly("alpha", "alpha-tls", "beta");
    }

    @Test
    void twoProvidersClaimingOneProtocolIsAnError() {
        assertThatThrownBy(() -> DriverRegistry.of(List.of(new NamedProvider(Set.of("modbus-tcp")),
                new NamedProvider(Set.of("modbus-tcp"))))).hasMessageContaining("two drivers claim protocol "
                + "'modbus-tcp'");
    }
}
