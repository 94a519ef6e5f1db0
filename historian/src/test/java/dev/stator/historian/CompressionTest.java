package dev.stator.historian;

import static dev.stator.historian.TestSupport.T0;
import static dev.stator.historian.TestSupport.WAIT;
import static dev.stator.historian.TestSupport.at;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stator.driver.api.Deadband;
import dev.stator.driver.api.EngineeringRange;
import dev.stator.driver.api.Quality;
import dev.stator.driver.api.TagValue;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompressionTest {

    @TempDir
    Path dir;

    private Historian historian;

    @BeforeEach
    void open() throws HistoryException {
        historian = Historian.open(dir.resolve("history"));
    }

    @AfterEach
    void close() {
        historian.close();
    }

    @Test
    void swingingDoorStoresFewerPointsAndNoReadingLiesFartherThanTheDeviationFromTheLine() throws Exception {
        double deviation = 0.25;
        historian.configure("TT-1", TagHistorySettings.swingingDoor(new Deadband(0.5, true),
                new EngineeringRange(0, 50), Duration.ofMinutes(10)));
        Thread.sleep(100);
        Random random = new Random(1);
        List<TagValue> input = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            // A smooth process value (a slow sine and a drift) with a little noise, as float32 readings.
            double v = 50 + 20 * Math.sin(2 * Math.PI * i / 3_600.0) + i * 0.0005 + random.nextGaussian() * 0.02;
            Quality q = i % 5_000 == 2_500 ? Quality.UNCERTAIN_LAST_USABLE_VALUE : Quality.GOOD;
            input.add(TagValue.of((double) (float) v, q, at(i)));
        }
        input.forEach(v -> historian.record("TT-1", v));
        assertThat(historian.flush(WAIT)).isTrue();

        List<TagValue> stored = historian.query("TT-1", Instant.MIN, Instant.MAX);
        assertThat(stored.size()).isLessThan(input.size() / 10).isGreaterThan(10);
        assertThat(stored.get(0)).isEqualTo(input.get(0));
        assertThat(stored.get(stored.size() - 1)).isEqualTo(input.get(input.size() - 1));
        // A change of quality is always stored.
        assertThat(stored).filteredOn(v -> v.quality().isUncertain()).hasSize(4);
        // At least one point every max interval.
        for (int i = 1; i < stored.size(); i++) {
            assertThat(Duration.between(stored.get(i - 1).sourceTime(), stored.get(i).sourceTime()))
                    .isLessThanOrEqualTo(Duration.ofMinutes(10).plusSeconds(1));
        }
        // Every reading within the deviation of the straight line between the stored points around it.
        int k = 0;
        double worst = 0;
        for (TagValue v : input) {
            while (k + 1 < stored.size() && !stored.get(k + 1).sourceTime().isAfter(v.sourceTime())) {
                k++;
            }
            TagValue a = stored.get(k);
            double line;
            if (a.sourceTime().equals(v.sourceTime()) || k + 1 == stored.size()) {
                line = a.asDouble();
            } else {
                TagValue b = stored.get(k + 1);
                double f = (double) Duration.between(a.sourceTime(), v.sourceTime()).toNanos()
                        / Duration.between(a.sourceTime(), b.sourceTime()).toNanos();
                line = a.asDouble() + (b.asDouble() - a.asDouble()) * f;
            }
            worst = Math.max(worst, Math.abs(line - v.asDouble()));
        }
        assertThat(worst).isLessThanOrEqualTo(deviation);

        // The interpolation the tag's settings give reads the same line.
        List<InterpolatedValue> read = historian.interpolate("TT-1", at(0), at(20_000), Duration.ofSeconds(1));
        for (int i = 0; i < read.size(); i++) {
            assertThat(Math.abs(read.get(i).value() - input.get(i).asDouble())).isLessThanOrEqualTo(deviation);
        }
    }

    @Test
    void theReadingASwingingDoorHoldsIsVisibleAtOnceAndStoredOnClose() throws Exception {
        historian.configure("LT-2", TagHistorySettings.swingingDoor(new Deadband(1, false), null, null));
        Thread.sleep(100);
        for (int i = 0; i <= 100; i++) {
            historian.record("LT-2", TagValue.good(10.0 + i * 0.01, at(i)));
        }
        assertThat(historian.flush(WAIT)).isTrue();
        // A straight ramp: the first point is stored, the last one is held; both are shown.
        assertThat(historian.query("LT-2", T0, at(200))).extracting(TagValue::sourceTime)
                .containsExactly(at(0), at(100));
        try (HistoryReader reader = Historian.openForReading(historian.file())) {
            assertThat(reader.query("LT-2", T0, at(200))).extracting(TagValue::sourceTime)
                    .containsExactly(at(0), at(100));
        }
        historian.close();
        try (HistoryReader reader = Historian.openForReading(dir.resolve("history"))) {
            assertThat(reader.query("LT-2", T0, at(200))).extracting(TagValue::value)
                    .containsExactly(10.0, 10.0 + 100 * 0.01);
        }
    }

    @Test
    void deadbandAndOnChangeKeepChangesQualityChangesAndAHeartbeat() throws Exception {
        historian.configure("PT-3", TagHistorySettings.deadband(new Deadband(10, true),
                new EngineeringRange(0, 10), Duration.ofSeconds(30)));
        historian.configure("XV-4", TagHistorySettings.onChange(null));
        Thread.sleep(100);
        double[] values = {5.0, 5.5, 5.9, 6.2, 6.0, 7.5, 7.5};
        for (int i = 0; i < values.length; i++) {
            historian.record("PT-3", TagValue.good(values[i], at(i)));
        }
        historian.record("PT-3", TagValue.of(7.5, Quality.UNCERTAIN, at(7)));
        historian.record("PT-3", TagValue.of(7.5, Quality.UNCERTAIN, at(60)));
        for (int i = 0; i < 10; i++) {
            historian.record("XV-4", TagValue.good(i >= 4 && i < 7, at(i)));
        }
        assertThat(historian.flush(WAIT)).isTrue();

        // 1.0 deadband: 6.2 (1.2 from 5.0), 7.5 (1.3 from 6.2); the quality change; the 30 s heartbeat.
        assertThat(historian.query("PT-3", T0, at(100))).extracting(TagValue::sourceTime)
                .containsExactly(at(0), at(3), at(5), at(7), at(60));
        assertThat(historian.query("XV-4", T0, at(100))).extracting(TagValue::sourceTime)
                .containsExactly(at(0), at(4), at(7));
        // Step interpolation holds a value until the next stored one.
        assertThat(historian.interpolate("XV-4", at(0), at(9), Duration.ofSeconds(1)))
                .extracting(InterpolatedValue::value)
                .containsExactly(0.0, 0.0, 0.0, 0.0, 1.0, 1.0, 1.0, 0.0, 0.0);
    }
}
