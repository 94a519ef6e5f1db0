package dev.stator.hmi.widgets;

import dev.stator.driver.api.Quality;
import javafx.scene.Scene;
import javafx.scene.layout.StackPane;
import javafx.scene.paint.Color;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

import static org.assertj.core.api.Assertions.assertThat;

/** A boolean lamp: grey while normal, the alarm colour only in the abnormal state. */
@ExtendWith(ApplicationExtension.class)
class StateIndicatorTest {

    private static final Color ALARM = Color.web("#c8141e");

    private StateIndicator leak;

    @Start
    void start(Stage stage) {
        leak = new StateIndicator("Seal leak", "LEAK", "DRY", Boolean.TRUE);
        leak.setState(false);
        leak.setQuality(Quality.GOOD);
        leak.setMaxWidth(220);
        stage.setScene(new Scene(new StackPane(leak), 260, 80));
        stage.show();
    }

    private Color lamp() {
        Object fill = Fx.fill(leak, ".lamp");
        return (Color) fill;
    }

    @Test
    void theNormalStateIsGreyAndTheAbnormalOneIsTheAlarmColour() {
        Fx.get(() -> {
            assertThat(Fx.text(leak, ".value-text")).isEqualTo("DRY");
            assertThat(Fx.text(leak, ".widget-label")).isEqualTo("Seal leak");
            assertThat(lamp().getSaturation()).as("grey").isLessThan(0.05);
            assertThat(Fx.pseudo(leak, "alarm")).isFalse();
            return null;
        });
        Fx.change(leak, () -> leak.setState(true));
        Fx.get(() -> {
            assertThat(Fx.text(leak, ".value-text")).isEqualTo("LEAK");
            assertThat(lamp()).isEqualTo(ALARM);
            assertThat(Fx.fill(leak, ".value-text")).isEqualTo(ALARM);
            assertThat(leak.isAlarm()).isTrue();
            return null;
        });
        Fx.change(leak, () -> leak.setAlarmWhen(null));
        Fx.get(() -> {
            assertThat(Fx.pseudo(leak, "alarm")).as("neither state is abnormal").isFalse();
            // On and normal: filled dark grey.
            assertThat(lamp().getSaturation()).isLessThan(0.05);
            assertThat(lamp().getBrightness()).isLessThan(0.5);
            return null;
        });
    }

    @Test
    void aStaleAlarmIsGreyedNotRed() {
        Fx.change(leak, () -> {
            leak.setState(true);
            leak.setQuality(Quality.BAD_NOT_CONNECTED);
        });
        Fx.get(() -> {
            assertThat(Fx.text(leak, ".value-text")).isEqualTo("LEAK (stale)");
            assertThat(Fx.pseudo(leak, "alarm")).isFalse();
            assertThat(lamp().getSaturation()).isLessThan(0.05);
            assertThat(Fx.marker(leak)).isEqualTo("x");
            return null;
        });
        // Uncertain is still shown as it is, alarm included, with its marker.
        Fx.change(leak, () -> leak.setQuality(Quality.UNCERTAIN));
        Fx.get(() -> {
            assertThat(lamp()).isEqualTo(ALARM);
            assertThat(Fx.marker(leak)).isEqualTo("?");
            return null;
        });
    }

    @Test
    void anUnknownStateShowsADash() {
        Fx.change(leak, () -> leak.setState(null));
        Fx.get(() -> {
            assertThat(Fx.text(leak, ".value-text")).isEqualTo("—");
            assertThat(Fx.pseudo(leak, "on") || Fx.pseudo(leak, "off") || Fx.pseudo(leak, "alarm")).isFalse();
            return null;
        });
        Fx.change(leak, () -> {
            leak.setOnText("WET");
            leak.setState(true);
        });
        assertThat(Fx.get(() -> Fx.text(leak, ".value-text"))).isEqualTo("WET");
    }
}
