package dev.stator.driver.api;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class QualityTest {

    @Test
    void familiesFollowTheTopTwoBits() {
        assertThat(Quality.GOOD.isGood()).isTrue();
        assertThat(Quality.GOOD_LOCAL_OVERRIDE.isGood()).isTrue();
        assertThat(Quality.UNCERTAIN_LAST_USABLE_VALUE.isUncertain()).isTrue();
        assertThat(Quality.UNCERTAIN_LAST_USABLE_VALUE.isBad()).isFalse();
        assertThat(Quality.BAD_TIMEOUT.isBad()).isTrue();
        assertThat(Quality.BAD_TIMEOUT.isGood()).isFalse();
        assertThat(Quality.of(0xC000_0000L).isBad()).as("the reserved family counts as bad").isTrue();
    }

    @Test
    void codesMatchOpcUaPart4SoServerStatusCodesKeepTheirNames() {
        assertThat(Quality.BAD_COMMUNICATION_ERROR.code()).isEqualTo(0x8005_0000);
        assertThat(Quality.BAD_TIMEOUT.code()).isEqualTo(0x800A_0000);
        assertThat(Quality.BAD_CONFIGURATION_ERROR.code()).isEqualTo(0x8089_0000);
        assertThat(Quality.UNCERTAIN_LAST_USABLE_VALUE.code()).isEqualTo(0x4090_0000);
        assertThat(Quality.of(0x80340000L).name()).isEqualTo("Bad_NodeIdUnknown");
        // Info bits (the low 16) do not change the meaning or the name.
        assertThat(Quality.of(0x8005_0400L).name()).isEqualTo("Bad_CommunicationError");
        assertThat(Quality.of(0x8005_0400L).sameCodeAs(Quality.BAD_COMMUNICATION_ERROR)).isTrue();
    }

    @Test
    void unnamedCodesShowTheirFamilyAndHexAndNamesParseBack() {
        assertThat(Quality.of(0x80AA_0000L).name()).isEqualTo("Bad (0x80AA0000)");
        assertThat(Quality.byName("bad_timeout")).isEqualTo(Quality.BAD_TIMEOUT);
        for (String name : Quality.names().values()) {
            assertThat(Quality.byName(name).name()).isEqualTo(name);
        }
        assertThatThrownBy(() -> Quality.byName("Bad_Gremlins")).hasMessageContaining("Bad_Gremlins");
    }
}
