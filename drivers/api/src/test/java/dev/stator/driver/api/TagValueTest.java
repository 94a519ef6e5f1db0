package dev.stator.driver.api;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TagValueTest {

    private static final Instant T = Instant.parse("2026-11-25T12:00:00Z");

    @Test
    void noValueYetIsNeverAZeroThatLooksReal() {
        TagValue v = TagValue.NO_VALUE_YET;
        assertThat(v.hasValue()).isFalse();
        assertThat(v.isNoValueYet()).isTrue();
        assertThat(v.quality().isBad()).isTrue();
        assertThat(v.quality()).isEqualTo(Quality.BAD_WAITING_FOR_INITIAL_DATA);
        assertThat(v.asDouble()).isNaN();
    }

    @Test
    void valuesAreNormalisedToFourJavaTypes() {
        assertThat(TagValue.good(3, T).value()).isEqualTo(3L);
        assertThat(TagValue.good((short) -2, T).value()).isEqualTo(-2L);
        assertThat(TagValue.good(1.5f, T).value()).isEqualTo(1.5);
        assertThat(TagValue.good(true, T).asDouble()).isEqualTo(1.0);
        assertThat(TagValue.good("text", T).asDouble()).isNaN();
        assertThatThrownBy(() -> TagValue.good(new Object(), T)).hasMessageContaining("Boolean, Long, Double");
    }

    @Test
    void aBadReadingCarriesItsReasonAndTime() {
        TagValue v = TagValue.bad(Quality.BAD_TIMEOUT, T, "no answer within 1000 ms");
        assertThat(v.hasValue()).isFalse();
        assertThat(v.isNoValueYet()).isFalse();
        assertThat(v.toString()).isEqualTo("- Bad_Timeout (no answer within 1000 ms) @ 2026-11-25T12:00:00Z");
        assertThatThrownBy(() -> TagValue.bad(Quality.BAD_TIMEOUT, null, "x"))
                .hasMessageContaining("source timestamp");
    }

    @Test
    void theServerTimestampIsKeptBesideTheSourceTimestamp() {
        TagValue v = TagValue.good(1.0, T).withServerTime(T.plusMillis(5));
        assertThat(v.sourceTime()).isEqualTo(T);
        assertThat(v.serverTime()).isEqualTo(T.plusMillis(5));
    }
}
