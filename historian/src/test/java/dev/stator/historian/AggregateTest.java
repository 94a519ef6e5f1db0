package dev.stator.historian;

import static dev.stator.historian.TestSupport.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stator.driver.api.TagValue;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AggregateTest {

    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    @TempDir
    Path dir;

    @Test
    void dayBucketsInBerlinLast23And25HoursAcrossDaylightSavingChanges() throws Exception {
        try (Historian historian = Historian.open(dir.resolve("history"))) {
            // One reading a minute, its value the minute of the day in UTC, around both changes of 2026.
            for (String[] span : new String[][] {{"2026-03-27T22:00:00Z", "2026-03-31T00:00:00Z"},
                {"2026-10-23T21:00:00Z", "2026-10-27T00:00:00Z"}}) {
                for (Instant t = Instant.parse(span[0]); t.isBefore(Instant.parse(span[1])); t = t.plusSeconds(60)) {
                    historian.record("FT-7", TagValue.good(t.getEpochSecond() / 60 % 1440, t));
                }
            }
            assertThat(historian.flush(WAIT)).isTrue();

            List<Aggregate> spring = historian.aggregate("FT-7",
                    Buckets.days(LocalDate.parse("2026-03-28"), LocalDate.parse("2026-03-31"), BERLIN));
            assertThat(spring).extracting(a -> Duration.between(a.start(), a.end()).toHours())
                    .containsExactly(24L, 23L, 24L);
            assertThat(spring).extracting(Aggregate::count).containsExactly(1440L, 1380L, 1440L);
            assertThat(spring.get(1).start()).isEqualTo(Instant.parse("2026-03-28T23:00:00Z"));
            assertThat(spring.get(1).end()).isEqualTo(Instant.parse("2026-03-29T22:00:00Z"));
            assertThat(spring.get(1).firstTime()).isEqualTo(spring.get(1).start());
            assertThat(spring.get(1).lastTime()).isEqualTo(spring.get(1).end().minusSeconds(60));

            List<Aggregate> autumn = historian.aggregate("FT-7",
                    Buckets.days(LocalDate.parse("2026-10-24"), LocalDate.parse("2026-10-27"), BERLIN));
            assertThat(autumn).extracting(a -> Duration.between(a.start(), a.end()).toHours())
                    .containsExactly(24L, 25L, 24L);
            assertThat(autumn).extracting(Aggregate::count).containsExactly(1440L, 1500L, 1440L);
            Aggregate longDay = autumn.get(1);
            assertThat(longDay.start()).isEqualTo(Instant.parse("2026-10-24T22:00:00Z"));
            assertThat(longDay.min()).isEqualTo(0);
            assertThat(longDay.max()).isEqualTo(1439);
            assertThat(longDay.first()).isEqualTo(22 * 60);
            assertThat(longDay.last()).isEqualTo(22 * 60 + 59);
        }
    }

    @Test
    void emptyBucketsHaveNoValues() throws Exception {
        try (Historian historian = Historian.open(dir.resolve("history"))) {
            historian.record("A", TagValue.good(1.5, Instant.parse("2026-01-01T00:30:00Z")));
            historian.record("A", TagValue.good(2.5, Instant.parse("2026-01-01T02:30:00Z")));
            assertThat(historian.flush(WAIT)).isTrue();

            List<Aggregate> hours = historian.aggregate("A", Buckets.every(Instant.parse("2026-01-01T00:00:00Z"),
                    Instant.parse("2026-01-01T03:00:00Z"), Duration.ofHours(1)));
            assertThat(hours).extracting(Aggregate::count).containsExactly(1L, 0L, 1L);
            assertThat(hours.get(1).average()).isNaN();
            assertThat(hours.get(1).minTime()).isNull();
            assertThat(hours.get(2).average()).isEqualTo(2.5);
            assertThat(historian.aggregate("nobody", Buckets.every(Instant.EPOCH, Instant.EPOCH.plusSeconds(1),
                    Duration.ofSeconds(1)))).extracting(Aggregate::count).containsExactly(0L);
        }
    }
}
