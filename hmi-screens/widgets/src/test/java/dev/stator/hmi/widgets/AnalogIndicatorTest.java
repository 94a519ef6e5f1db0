package dev.stator.hmi.widgets;

import dev.stator.driver.api.Quality;
import javafx.geometry.Orientation;
import javafx.geometry.Point2D;
import javafx.scene.Scene;
import javafx.scene.layout.StackPane;
import javafx.scene.shape.Line;
import javafx.scene.shape.Polygon;
import javafx.scene.shape.Rectangle;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The moving analog indicator as an operator reads it: text, pointer against the bar, band, ticks, overflow. */
@ExtendWith(ApplicationExtension.class)
class AnalogIndicatorTest {

    private AnalogIndicator indicator;
    private StackPane root;

    @Start
    void start(Stage stage) {
        indicator = new AnalogIndicator("FT-101", 0, 200, "m³/h");
        indicator.setValue(50);
        indicator.setQuality(Quality.GOOD);
        indicator.setMaxSize(300, 60);
        root = new StackPane(indicator);
        stage.setScene(new Scene(root, 400, 260));
        stage.show();
    }

    private Rectangle bar() {
        return Fx.part(indicator, ".bar", Rectangle.class);
    }

    private Polygon pointer() {
        return Fx.part(indicator, ".pointer", Polygon.class);
    }

    /** Where the pointer's tip is, in the widget's coordinates, as the bar's. */
    private Point2D tip() {
        return pointer().localToParent(0, 0);
    }

    @Test
    void showsTheValueWithUnitsAndDecimals() {
        Fx.change(indicator, () -> indicator.setValue(62.437));
        assertThat(Fx.get(() -> Fx.text(indicator, ".value-text"))).isEqualTo("62.4 m³/h");
        Fx.change(indicator, () -> indicator.setDecimals(2));
        assertThat(Fx.get(() -> Fx.text(indicator, ".value-text"))).isEqualTo("62.44 m³/h");
        Fx.change(indicator, () -> {
            indicator.setDecimals(0);
            indicator.setUnits("t/h");
        });
        assertThat(Fx.get(() -> Fx.text(indicator, ".value-text"))).isEqualTo("62 t/h");
        // A small negative reading that rounds to zero is zero, not "-0".
        Fx.change(indicator, () -> indicator.setValue(-0.2));
        assertThat(Fx.get(() -> Fx.text(indicator, ".value-text"))).isEqualTo("0 t/h");
        assertThat(Fx.get(() -> Fx.text(indicator, ".widget-label"))).isEqualTo("FT-101");
    }

    @Test
    void thePointerSitsInProportionAlongTheBar() {
        for (double v : List.of(0.0, 50.0, 123.0, 200.0)) {
            Fx.change(indicator, () -> indicator.setValue(v));
            Fx.get(() -> {
                Rectangle bar = bar();
                assertThat(bar.getWidth()).isGreaterThan(200);
                assertThat(pointer().isVisible()).isTrue();
                assertThat(tip().getX()).as("pointer at %s", v)
                        .isCloseTo(bar.getX() + v / 200 * bar.getWidth(), within(0.01));
                // Just under the bar, pointing up at it.
                assertThat(tip().getY()).isCloseTo(bar.getY() + bar.getHeight(), within(0.01));
                assertThat(Fx.shown(indicator, ".overflow-marker")).isFalse();
                return null;
            });
        }
    }

    @Test
    void thePointerFollowsTheRangeAndTheSize() {
        Fx.change(indicator, () -> {
            indicator.setMin(40);
            indicator.setMax(60);
        });
        Fx.get(() -> {
            assertThat(tip().getX()).isCloseTo(bar().getX() + 0.5 * bar().getWidth(), within(0.01));
            return null;
        });
        double before = Fx.get(() -> bar().getWidth());
        Fx.change(indicator, () -> indicator.setMaxSize(380, 60));
        Fx.get(() -> {
            assertThat(bar().getWidth()).isGreaterThan(before + 50);
            assertThat(tip().getX()).isCloseTo(bar().getX() + 0.5 * bar().getWidth(), within(0.01));
            return null;
        });
    }

    @Test
    void aValueOutsideTheRangePinsThePointerAndShowsTheOverflowMarker() {
        Fx.change(indicator, () -> indicator.setValue(260));
        Fx.get(() -> {
            Rectangle bar = bar();
            assertThat(tip().getX()).isCloseTo(bar.getX() + bar.getWidth(), within(0.01));
            assertThat(Fx.shown(indicator, ".overflow-marker")).isTrue();
            assertThat(Fx.pseudo(indicator, "over-range")).isTrue();
            Polygon overflow = Fx.part(indicator, ".overflow-marker", Polygon.class);
            assertThat(overflow.getBoundsInParent().getMinX()).as("beyond the end of the bar")
                    .isGreaterThanOrEqualTo(bar.getX() + bar.getWidth());
            assertThat(Fx.text(indicator, ".value-text")).isEqualTo("260.0 m³/h");
            return null;
        });

        Fx.change(indicator, () -> indicator.setValue(-12));
        Fx.get(() -> {
            Rectangle bar = bar();
            assertThat(tip().getX()).isCloseTo(bar.getX(), within(0.01));
            assertThat(Fx.pseudo(indicator, "under-range")).isTrue();
            assertThat(Fx.pseudo(indicator, "over-range")).isFalse();
            Polygon overflow = Fx.part(indicator, ".overflow-marker", Polygon.class);
            assertThat(overflow.isVisible()).isTrue();
            assertThat(overflow.getBoundsInParent().getMaxX()).as("before the start of the bar")
                    .isLessThanOrEqualTo(bar.getX());
            return null;
        });

        Fx.change(indicator, () -> indicator.setValue(199.9));
        Fx.get(() -> {
            assertThat(Fx.shown(indicator, ".overflow-marker")).isFalse();
            assertThat(Fx.pseudo(indicator, "under-range")).isFalse();
            return null;
        });
    }

    @Test
    void verticalRunsFromMinAtTheBottomToMaxAtTheTop() {
        Fx.change(indicator, () -> {
            indicator.setOrientation(Orientation.VERTICAL);
            indicator.setMaxSize(100, 220);
            indicator.setValue(50);
        });
        Fx.get(() -> {
            Rectangle bar = bar();
            assertThat(bar.getHeight()).isGreaterThan(100);
            assertThat(bar.getWidth()).isLessThan(20);
            assertThat(tip().getY()).isCloseTo(bar.getY() + 0.75 * bar.getHeight(), within(0.01));
            assertThat(tip().getX()).isCloseTo(bar.getX() + bar.getWidth(), within(0.01));
            return null;
        });
        Fx.change(indicator, () -> indicator.setValue(500));
        Fx.get(() -> {
            assertThat(tip().getY()).isCloseTo(bar().getY(), within(0.01));
            assertThat(Fx.part(indicator, ".overflow-marker", Polygon.class).getBoundsInParent().getMaxY())
                    .isLessThanOrEqualTo(bar().getY());
            return null;
        });
    }

    @Test
    void theNormalBandAndTheLimitTicksSitAtTheirValues() {
        Fx.change(indicator, () -> {
            indicator.setNormalLow(80);
            indicator.setNormalHigh(140);
            indicator.setLowLimit(40);
            indicator.setHighHighLimit(180);
        });
        Fx.get(() -> {
            Rectangle bar = bar();
            Rectangle band = Fx.part(indicator, ".normal-band", Rectangle.class);
            assertThat(band.isVisible()).isTrue();
            assertThat(band.getX()).isCloseTo(bar.getX() + 0.4 * bar.getWidth(), within(0.01));
            assertThat(band.getWidth()).isCloseTo(0.3 * bar.getWidth(), within(0.01));
            List<Line> ticks = indicator.lookupAll(".limit-tick").stream().map(Line.class::cast)
                    .filter(Line::isVisible).toList();
            assertThat(ticks).hasSize(2);
            assertThat(ticks).extracting(t -> Math.floor(t.getStartX())).containsExactlyInAnyOrder(
                    Math.floor(Math.round(bar.getX() + 0.2 * bar.getWidth()) + 0.5),
                    Math.floor(Math.round(bar.getX() + 0.9 * bar.getWidth()) + 0.5));
            // The high-high tick is the longer one.
            Line hh = ticks.stream().max((a, b) -> Double.compare(a.getStartX(), b.getStartX())).orElseThrow();
            assertThat(hh.getStyleClass()).contains("long");
            return null;
        });

        Fx.change(indicator, () -> {
            indicator.setNormalLow(Double.NaN);
            indicator.setNormalHigh(Double.NaN);
            indicator.setHighHighLimit(Double.NaN);
        });
        Fx.get(() -> {
            assertThat(Fx.shown(indicator, ".normal-band")).isFalse();
            assertThat(indicator.lookupAll(".limit-tick").stream().filter(javafx.scene.Node::isVisible)).hasSize(1);
            return null;
        });
    }

    @Test
    void aStaleValueKeepsAHollowPointerAndNoValueHidesIt() {
        Fx.change(indicator, () -> indicator.setQuality(Quality.BAD_TIMEOUT));
        Fx.get(() -> {
            assertThat(pointer().isVisible()).isTrue();
            assertThat(pointer().getFill()).isEqualTo(javafx.scene.paint.Color.TRANSPARENT);
            return null;
        });
        Fx.change(indicator, () -> indicator.setValue(Double.NaN));
        Fx.get(() -> {
            assertThat(pointer().isVisible()).isFalse();
            assertThat(Fx.text(indicator, ".value-text")).isEqualTo("—");
            return null;
        });
    }
}
