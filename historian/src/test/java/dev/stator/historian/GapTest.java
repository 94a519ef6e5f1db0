package dev.stator.historian;

import static dev.stator.historian.TestSupport.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stator.driver.api.Quality;
import dev.stator.driver.api.TagValue;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GapTest {

    @TempDir
    Path dir;

    private static final Instant T = Instant.parse("2026-11-25T08:00:00Z");

    private static Instant s(double seconds) {
        return T.plusMillis(Math.round(seconds * 1000));
    }

    @Test
    void interpolationNeverBridgesABadReadingOrAGapMarker() throws Exception {
        try (Historian historian = Historian.open(dir.resolve("history"))) {
            historian.record("FT-1", TagValue.good(0.0, s(10)));
            historian.record("FT-1", TagValue.good(10.0, s(20)));
            historian.record("FT-1", TagValue.bad(Quality.BAD_COMMUNICATION_ERROR, s(30), "timeout"));
            historian.record("FT-1", TagValue.good(20.0, s(40)));
            historian.markGap("FT-1", s(50));
            historian.record("FT-1", TagValue.good(30.0, s(60)));
            historian.record("FT-1", TagValue.good(40.0, s(70)));
            assertThat(historian.flush(WAIT)).isTrue();

            List<InterpolatedValue> linear = historian.interpolate("FT-1", s(0), s(80), Duration.ofSeconds(5));
            assertThat(linear).extracting(InterpolatedValue::value).containsExactly(
                    Double.NaN, Double.NaN, 0.0, 5.0, 10.0, 10.0, Double.NaN, Double.NaN, 20.0, 20.0,
                    Double.NaN, Double.NaN, 30.0, 35.0, 40.0, 40.0);
            assertThat(linear).extracting(v -> v.quality().name()).containsExactly(
                    "Bad", "Bad", "Good", "Good", "Good", "Good", "Bad_CommunicationError", "Bad_CommunicationError",
                    "Good", "Good", "Bad_NoCommunication", "Bad_NoCommunication", "Good", "Good", "Good", "Good");
            assertThat(linear.get(6).isGap()).isTrue();

            List<InterpolatedValue> step = historian.interpolate("FT-1", s(0), s(80), Duration.ofSeconds(5),
                    Interpolation.STEP);
            assertThat(step).extracting(InterpolatedValue::value).containsExactly(
                    Double.NaN, Double.NaN, 0.0, 0.0, 10.0, 10.0, Double.NaN, Double.NaN, 20.0, 20.0,
                    Double.NaN, Double.NaN, 30.0, 30.0, 40.0, 40.0);

            // The trend breaks after the Bad reading and after the marker; raw queries do not show the marker.
            assertThat(historian.m4("FT-1", s(0), s(80), 80)).extracting(TrendPoint::value, TrendPoint::gapBefore)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(0.0, false),
                            org.assertj.core.groups.Tuple.tuple(10.0, false),
                            org.assertj.core.groups.Tuple.tuple(20.0, true),
                            org.assertj.core.groups.Tuple.tuple(30.0, true),
                            org.assertj.core.groups.Tuple.tuple(40.0, false));
            assertThat(historian.query("FT-1", s(0), s(80))).hasSize(6);
        }
    }

    @Test
    void aGapAppearsAcrossAShutdown() throws Exception {
        // Timestamps near the clock, as acquisition gives them: the marker goes after the last reading received.
        Instant base = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        try (Historian historian = Historian.open(dir.resolve("history"))) {
            for (int i = 0; i < 10; i++) {
                historian.record("LT-1", TagValue.good((double) i, base.plusSeconds(i)));
            }
        }
        try (Historian historian = Historian.open(dir.resolve("history"))) {
            for (int i = 20; i < 30; i++) {
                historian.record("LT-1", TagValue.good((double) i, base.plusSeconds(i)));
            }
            assertThat(historian.flush(WAIT)).isTrue();

            List<InterpolatedValue> values = historian.interpolate("LT-1", base, base.plusSeconds(30),
                    Duration.ofSeconds(1));
            for (int i = 0; i < 30; i++) {
                InterpolatedValue v = values.get(i);
                if (i < 10 || i >= 20) {
                    assertThat(v.value()).as("at %d s", i).isEqualTo(i);
                } else {
                    assertThat(v.isGap()).as("at %d s", i).isTrue();
                    assertThat(v.quality()).isEqualTo(Quality.BAD_SHUTDOWN);
                }
            }
            List<TrendPoint> trend = historian.m4("LT-1", base, base.plusSeconds(30), 30);
            assertThat(trend).filteredOn(TrendPoint::gapBefore).extracting(TrendPoint::value).containsExactly(20.0);
            assertThat(historian.query("LT-1", base, base.plusSeconds(30))).hasSize(20);
        }
    }
}
