package dev.stator.runtime;

import dev.stator.driver.api.Quality;
import dev.stator.driver.api.TagValue;
import dev.stator.runtime.project.ProjectException;
import dev.stator.runtime.project.ProjectLoader;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TagTableTest {

    @Test
    void beforeTheFirstReadATagHasNoValueNotZero() throws ProjectException {
        TagTable table = new TagTable(new ProjectLoader(ProjectLoaderTest.DRIVERS).load(ProjectLoaderTest.DEMO)
                .tags());
        TagState level = table.get("LT-101");
        assertThat(level.value()).isSameAs(TagValue.NO_VALUE_YET);
        assertThat(level.value().hasValue()).isFalse();
        assertThat(level.value().quality()).isEqualTo(Quality.BAD_WAITING_FOR_INITIAL_DATA);
        assertThat(level.lastGood()).isNull();
    }

    @Test
    void changesAreCollectedOncePerTagAndTheLastGoodValueSurvivesABadOne() throws ProjectException {
        TagTable table = new TagTable(new ProjectLoader(ProjectLoaderTest.DRIVERS).load(ProjectLoaderTest.DEMO)
                .tags());
        Instant t = Instant.parse("2026-11-25T12:00:00Z");
        table.update("LT-101", TagValue.good(2.0, t));
        table.update("LT-101", TagValue.good(2.1, t.plusSeconds(1)));
        table.update("FT-101", TagValue.good(60.0, t));
        table.update("LT-101", TagValue.bad(Quality.BAD_TIMEOUT, t.plusSeconds(2), "no answer"));
        table.update("NOT-A-TAG", TagValue.good(1.0, t));
        List<String> changed = new ArrayList<>();
        assertThat(table.drainChanged(s -> changed.add(s.name()))).isEqualTo(2);
        assertThat(changed).containsExactly("LT-101", "FT-101");
        assertThat(table.get("LT-101").value().quality()).isEqualTo(Quality.BAD_TIMEOUT);
        assertThat(table.get("LT-101").lastGood().value()).isEqualTo(2.1);
        assertThat(table.drainChanged(s -> changed.add(s.name()))).isZero();
    }
}
