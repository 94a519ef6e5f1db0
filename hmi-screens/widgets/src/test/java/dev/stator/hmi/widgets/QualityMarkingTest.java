package dev.stator.hmi.widgets;

import dev.stator.driver.api.Quality;
import javafx.scene.Scene;
import javafx.scene.layout.StackPane;
import javafx.scene.paint.Color;
import javafx.scene.shape.Shape;
import javafx.stage.Stage;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Every widget marks its quality the same way, and drops the marks when the quality is Good again. */
@ExtendWith(ApplicationExtension.class)
class QualityMarkingTest {

    private StackPane root;

    @Start
    void start(Stage stage) {
        root = new StackPane();
        root.setStyle("-fx-background-color: #d4d4d4;");
        stage.setScene(new Scene(root, 420, 260));
        stage.show();
    }

    /** A widget, how to give it a value, and the text that value shows (null: the widget shows no text). */
    record Case(String name, Supplier<QualityWidget> create, Consumer<QualityWidget> setValue, String shown) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> widgets() {
        return Stream.of(
                new Case("AnalogIndicator", () -> new AnalogIndicator("FT-101", 0, 100, "m³/h"),
                        w -> ((AnalogIndicator) w).setValue(42.25), "42.3 m³/h"),
                new Case("TankLevel", () -> new TankLevel("LT-101", 0, 4, "m"),
                        w -> ((TankLevel) w).setValue(2.5), "2.5 m"),
                new Case("ValueDisplay", () -> new ValueDisplay("Pressure", "bar", 2),
                        w -> ((ValueDisplay) w).setValue(4.1), "4.10 bar"),
                new Case("ValveSymbol", () -> new ValveSymbol("FCV-101"),
                        w -> ((ValveSymbol) w).setPosition(45), "45 %"),
                new Case("StateIndicator", () -> new StateIndicator("P-101", "RUNNING", "STOPPED", null),
                        w -> ((StateIndicator) w).setState(true), "RUNNING"),
                new Case("PumpSymbol", () -> new PumpSymbol("P-101"),
                        w -> ((PumpSymbol) w).setState(EquipmentState.RUNNING), null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("widgets")
    void noValueYetIsMarkedBadWithADash(Case c) {
        QualityWidget w = Fx.get(c.create()::get);
        Fx.change(root, () -> root.getChildren().setAll(w));

        Fx.get(() -> {
            assertThat(w.getQuality()).isNull();
            assertThat(Fx.marker(w)).isEqualTo("x");
            assertThat(Fx.frame(w)).isEqualTo(Fx.BAD);
            assertThat(Fx.pseudo(w, "no-value")).isTrue();
            if (c.shown() != null) {
                assertThat(Fx.text(w, ".value-text")).isEqualTo("—");
            } else {
                assertThat(Fx.shown(w, ".unknown-marker")).isTrue();
            }
            return null;
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("widgets")
    void marksAppearForUncertainBadAndNoValueAndVanishWhenGoodAgain(Case c) {
        QualityWidget w = Fx.get(c.create()::get);
        Fx.change(root, () -> {
            root.getChildren().setAll(w);
            c.setValue().accept(w);
            w.setQuality(Quality.GOOD);
        });
        assertGood(c, w);

        Fx.change(w, () -> w.setQuality(Quality.UNCERTAIN_SENSOR_NOT_ACCURATE));
        Fx.get(() -> {
            assertThat(Fx.marker(w)).isEqualTo("?");
            assertThat(Fx.frame(w)).isEqualTo(Fx.UNCERTAIN);
            // Dashed, so that uncertain differs from bad by more than its colour.
            assertThat(Fx.part(w, ".quality-frame", Shape.class).getStrokeDashArray()).isNotEmpty();
            if (c.shown() != null) {
                assertThat(Fx.text(w, ".value-text")).isEqualTo(c.shown());
            }
            return null;
        });

        Fx.change(w, () -> w.setQuality(Quality.BAD_COMMUNICATION_ERROR));
        Fx.get(() -> {
            assertThat(Fx.marker(w)).isEqualTo("x");
            assertThat(Fx.frame(w)).isEqualTo(Fx.BAD);
            assertThat(Fx.part(w, ".quality-frame", Shape.class).getStrokeDashArray()).isEmpty();
            if (c.shown() != null) {
                assertThat(Fx.text(w, ".value-text")).isEqualTo(c.shown() + " (stale)");
                assertThat(grey(Fx.fill(w, ".value-text"))).as("stale text is greyed").isTrue();
                assertThat(Fx.pseudo(w, "stale")).isTrue();
            } else {
                // A pump whose quality is Bad is not known to run.
                assertThat(Fx.shown(w, ".unknown-marker")).isTrue();
                assertThat(Fx.shown(w, ".pump-fill")).isFalse();
            }
            return null;
        });

        Fx.change(w, () -> w.setQuality(null));
        Fx.get(() -> {
            assertThat(Fx.marker(w)).isEqualTo("x");
            assertThat(Fx.frame(w)).isEqualTo(Fx.BAD);
            if (c.shown() != null) {
                assertThat(Fx.text(w, ".value-text")).isEqualTo("—");
            }
            return null;
        });

        Fx.change(w, () -> w.setQuality(Quality.GOOD_LOCAL_OVERRIDE));
        assertGood(c, w);
    }

    private static void assertGood(Case c, QualityWidget w) {
        Fx.get(() -> {
            assertThat(Fx.marker(w)).isEmpty();
            assertThat(Fx.frame(w)).isNull();
            assertThat(Fx.pseudo(w, "bad")).isFalse();
            assertThat(Fx.pseudo(w, "uncertain")).isFalse();
            assertThat(Fx.pseudo(w, "stale")).isFalse();
            if (c.shown() != null) {
                assertThat(Fx.text(w, ".value-text")).isEqualTo(c.shown());
                assertThat(grey(Fx.fill(w, ".value-text"))).isFalse();
            } else {
                assertThat(Fx.shown(w, ".unknown-marker")).isFalse();
                assertThat(Fx.shown(w, ".pump-fill")).isTrue();
            }
            return null;
        });
    }

    /** Mid grey (the stale colour), as opposed to the near-black of a current value. */
    private static boolean grey(javafx.scene.paint.Paint p) {
        Color c = (Color) p;
        return c.getBrightness() > 0.35 && c.getSaturation() < 0.1;
    }
}
