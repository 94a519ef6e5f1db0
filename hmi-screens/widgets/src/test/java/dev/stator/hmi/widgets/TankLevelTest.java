package dev.stator.hmi.widgets;

import dev.stator.driver.api.Quality;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.layout.StackPane;
import javafx.scene.paint.Color;
import javafx.scene.shape.Line;
import javafx.scene.shape.Rectangle;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The tank: liquid in proportion, limits beside it, the value under it. */
@ExtendWith(ApplicationExtension.class)
class TankLevelTest {

    private TankLevel tank;

    @Start
    void start(Stage stage) {
        tank = new TankLevel("LT-101", 0, 4, "m");
        tank.setDecimals(2);
        tank.setValue(1);
        tank.setQuality(Quality.GOOD);
        tank.setMaxSize(120, 200);
        stage.setScene(new Scene(new StackPane(tank), 300, 300));
        stage.show();
    }

    private Rectangle vessel() {
        return Fx.part(tank, ".vessel", Rectangle.class);
    }

    private Rectangle liquid() {
        return Fx.part(tank, ".liquid", Rectangle.class);
    }

    @Test
    void showsTheLevelWithUnitsAndDecimals() {
        Fx.change(tank, () -> tank.setValue(2.846));
        assertThat(Fx.get(() -> Fx.text(tank, ".value-text"))).isEqualTo("2.85 m");
        assertThat(Fx.get(() -> Fx.text(tank, ".widget-label"))).isEqualTo("LT-101");
    }

    @Test
    void theLiquidRisesInProportionFromTheBottom() {
        for (double v : new double[] {0, 1, 2.5, 4}) {
            Fx.change(tank, () -> tank.setValue(v));
            Fx.get(() -> {
                Rectangle vessel = vessel();
                Rectangle liquid = liquid();
                assertThat(vessel.getHeight()).isGreaterThan(100);
                assertThat(liquid.getHeight()).as("level %s", v).isCloseTo(v / 4 * vessel.getHeight(), within(0.01));
                assertThat(liquid.getY() + liquid.getHeight())
                        .isCloseTo(vessel.getY() + vessel.getHeight(), within(0.01));
                assertThat(liquid.getFill()).isEqualTo(Color.web("#8797aa"));
                return null;
            });
        }
    }

    @Test
    void aLevelOutsideTheRangeFillsToTheEndAndShowsTheOverflowMarker() {
        Fx.change(tank, () -> tank.setValue(4.7));
        Fx.get(() -> {
            assertThat(liquid().getHeight()).isCloseTo(vessel().getHeight(), within(0.01));
            assertThat(Fx.shown(tank, ".overflow-marker")).isTrue();
            assertThat(Fx.text(tank, ".value-text")).isEqualTo("4.70 m");
            return null;
        });
        Fx.change(tank, () -> tank.setValue(-0.2));
        Fx.get(() -> {
            assertThat(liquid().getHeight()).isZero();
            assertThat(Fx.shown(tank, ".overflow-marker")).isTrue();
            assertThat(Fx.pseudo(tank, "under-range")).isTrue();
            return null;
        });
        Fx.change(tank, () -> tank.setValue(3));
        assertThat(Fx.get(() -> Fx.shown(tank, ".overflow-marker"))).isFalse();
    }

    @Test
    void limitTicksSitAtTheirLevels() {
        Fx.change(tank, () -> {
            tank.setHighLimit(3);
            tank.setLowLowLimit(0.5);
        });
        Fx.get(() -> {
            Rectangle vessel = vessel();
            double bottom = vessel.getY() + vessel.getHeight();
            assertThat(tank.lookupAll(".limit-tick").stream().filter(Node::isVisible).map(Line.class::cast)
                    .map(Line::getStartY))
                    .containsExactlyInAnyOrder(Math.round(bottom - 0.75 * vessel.getHeight()) + 0.5,
                            Math.round(bottom - 0.125 * vessel.getHeight()) + 0.5);
            return null;
        });
    }

    @Test
    void aStaleLevelIsGreyedAndNoLevelIsEmpty() {
        Fx.change(tank, () -> tank.setQuality(Quality.BAD_NOT_CONNECTED));
        Fx.get(() -> {
            assertThat(liquid().isVisible()).isTrue();
            assertThat(((Color) liquid().getFill()).getSaturation()).as("grey, not blue-grey").isLessThan(0.05);
            assertThat(Fx.text(tank, ".value-text")).isEqualTo("1.00 m (stale)");
            return null;
        });
        Fx.change(tank, () -> tank.setValue(Double.NaN));
        Fx.get(() -> {
            assertThat(liquid().isVisible()).isFalse();
            assertThat(Fx.text(tank, ".value-text")).isEqualTo("—");
            return null;
        });
    }
}
