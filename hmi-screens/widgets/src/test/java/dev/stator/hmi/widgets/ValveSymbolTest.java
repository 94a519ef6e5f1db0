package dev.stator.hmi.widgets;

import dev.stator.driver.api.Quality;
import javafx.scene.Scene;
import javafx.scene.layout.StackPane;
import javafx.scene.shape.Path;
import javafx.scene.shape.Rectangle;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The control valve: position as text and as the fill of its body. */
@ExtendWith(ApplicationExtension.class)
class ValveSymbolTest {

    private ValveSymbol valve;

    @Start
    void start(Stage stage) {
        valve = new ValveSymbol("FCV-101");
        valve.setPosition(0);
        valve.setQuality(Quality.GOOD);
        valve.setMaxSize(90, 110);
        stage.setScene(new Scene(new StackPane(valve), 200, 200));
        stage.show();
    }

    /** The filled share of the body's height. */
    private double filled() {
        return Fx.get(() -> {
            if (!Fx.shown(valve, ".valve-fill")) {
                return 0.0;
            }
            Path fill = Fx.part(valve, ".valve-fill", Path.class);
            Rectangle clip = (Rectangle) fill.getClip();
            // The body's outline, unclipped, gives the full height; the clip on the fill gives how much shows.
            double top = Fx.part(valve, ".valve-body", Path.class).getBoundsInLocal().getMinY();
            double bottom = Fx.part(valve, ".valve-body", Path.class).getBoundsInLocal().getMaxY();
            double visibleTop = Math.max(top, clip.getY());
            return Math.min(1, (bottom - visibleTop) / (bottom - top));
        });
    }

    @Test
    void thePositionIsTextAndFill() {
        assertThat(Fx.get(() -> Fx.text(valve, ".value-text"))).isEqualTo("0 %");
        assertThat(filled()).as("closed: hollow").isZero();

        Fx.change(valve, () -> valve.setPosition(45.4));
        assertThat(Fx.get(() -> Fx.text(valve, ".value-text"))).isEqualTo("45 %");
        assertThat(filled()).isCloseTo(0.45, within(0.05));

        Fx.change(valve, () -> valve.setPosition(100));
        assertThat(Fx.get(() -> Fx.text(valve, ".value-text"))).isEqualTo("100 %");
        assertThat(filled()).as("open: filled").isEqualTo(1.0);

        // A position beyond the stops still says what was read, and fills no further.
        Fx.change(valve, () -> valve.setPosition(103));
        assertThat(Fx.get(() -> Fx.text(valve, ".value-text"))).isEqualTo("103 %");
        assertThat(filled()).isEqualTo(1.0);
    }

    @Test
    void staleAndMissingPositions() {
        Fx.change(valve, () -> {
            valve.setPosition(30);
            valve.setQuality(Quality.BAD_DEVICE_FAILURE);
        });
        assertThat(Fx.get(() -> Fx.text(valve, ".value-text"))).isEqualTo("30 % (stale)");
        assertThat(filled()).isCloseTo(0.3, within(0.05));

        Fx.change(valve, () -> valve.setQuality(null));
        assertThat(Fx.get(() -> Fx.text(valve, ".value-text"))).isEqualTo("—");
        assertThat(filled()).isZero();
        assertThat(Fx.get(() -> Fx.text(valve, ".widget-label"))).isEqualTo("FCV-101");
    }
}
