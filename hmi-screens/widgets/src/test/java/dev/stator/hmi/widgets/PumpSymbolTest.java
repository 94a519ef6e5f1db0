package dev.stator.hmi.widgets;

import dev.stator.driver.api.Quality;
import javafx.geometry.Bounds;
import javafx.geometry.Point2D;
import javafx.scene.Scene;
import javafx.scene.image.Image;
import javafx.scene.layout.StackPane;
import javafx.scene.paint.Color;
import javafx.scene.shape.Path;
import javafx.scene.shape.Rectangle;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pump's state as drawn: the rendered pixels inside the circle (dark is filled, light is hollow), the trip box and
 * the unknown marker.
 */
@ExtendWith(ApplicationExtension.class)
class PumpSymbolTest {

    private static final Color ALARM = Color.web("#c8141e");

    private PumpSymbol pump;
    private Scene scene;

    @Start
    void start(Stage stage) {
        pump = new PumpSymbol("P-101");
        pump.setState(EquipmentState.STOPPED);
        pump.setQuality(Quality.GOOD);
        pump.setMaxSize(100, 96);
        StackPane root = new StackPane(pump);
        root.setStyle("-fx-background-color: #d4d4d4;");
        scene = new Scene(root, 200, 160);
        stage.setScene(scene);
        stage.show();
    }

    /** Brightness of the rendered scene in the upper and lower half of the pump's circle, at its centre line. */
    private double[] upperAndLower() {
        return Fx.get(() -> {
            Path body = Fx.part(pump, ".pump-body", Path.class);
            Bounds b = body.getBoundsInLocal();
            double r = (b.getHeight() - 2) / 2;
            double cx = b.getMinX() + 1 + r;
            double cy = b.getMinY() + 1 + r;
            Image shot = scene.snapshot(null);
            Point2D up = pump.localToScene(cx, cy - r / 2);
            Point2D down = pump.localToScene(cx, cy + r / 2);
            return new double[] {
                shot.getPixelReader().getColor((int) up.getX(), (int) up.getY()).getBrightness(),
                shot.getPixelReader().getColor((int) down.getX(), (int) down.getY()).getBrightness()};
        });
    }

    private static boolean dark(double brightness) {
        return brightness < 0.45;
    }

    @Test
    void runningIsFilledAndStoppedIsHollow() {
        Fx.change(pump, () -> pump.setState(EquipmentState.RUNNING));
        double[] running = upperAndLower();
        assertThat(dark(running[0]) && dark(running[1])).as("running: filled dark grey").isTrue();
        assertThat(Fx.get(() -> Fx.pseudo(pump, "running"))).isTrue();

        Fx.change(pump, () -> pump.setState(EquipmentState.STOPPED));
        double[] stopped = upperAndLower();
        assertThat(dark(stopped[0]) || dark(stopped[1])).as("stopped: hollow").isFalse();
        assertThat(Fx.get(() -> Fx.shown(pump, ".pump-fill"))).isFalse();
    }

    @Test
    void startingFillsTheLowerHalfAndStoppingTheUpper() {
        Fx.change(pump, () -> pump.setState(EquipmentState.STARTING));
        double[] starting = upperAndLower();
        assertThat(dark(starting[0])).as("starting: upper half hollow").isFalse();
        assertThat(dark(starting[1])).as("starting: lower half filled").isTrue();

        Fx.change(pump, () -> pump.setState(EquipmentState.STOPPING));
        double[] stopping = upperAndLower();
        assertThat(dark(stopping[0])).as("stopping: upper half filled").isTrue();
        assertThat(dark(stopping[1])).as("stopping: lower half hollow").isFalse();
    }

    @Test
    void trippedIsHollowWithTheAlarmBox() {
        Fx.change(pump, () -> pump.setState(EquipmentState.TRIPPED));
        Fx.get(() -> {
            assertThat(Fx.shown(pump, ".trip-marker")).isTrue();
            assertThat(Fx.fill(pump, ".trip-marker")).isEqualTo(ALARM);
            assertThat(Fx.text(pump, ".trip-text")).isEqualTo("T");
            assertThat(Fx.shown(pump, ".pump-fill")).isFalse();
            assertThat(Fx.shown(pump, ".unknown-marker")).isFalse();
            // Modest: the box is smaller than the pump.
            Rectangle box = Fx.part(pump, ".trip-marker", Rectangle.class);
            assertThat(box.getWidth()).isLessThan(Fx.part(pump, ".pump-body", Path.class).getBoundsInLocal()
                    .getHeight() / 2);
            return null;
        });
        Fx.change(pump, () -> pump.setState(EquipmentState.RUNNING));
        assertThat(Fx.get(() -> Fx.shown(pump, ".trip-marker"))).isFalse();
    }

    @Test
    void unknownIsAMagentaOutlineWithAQuestionMark() {
        Fx.change(pump, () -> pump.setState(EquipmentState.UNKNOWN));
        Fx.get(() -> {
            assertThat(Fx.part(pump, ".pump-body", Path.class).getStroke()).isEqualTo(Fx.BAD);
            assertThat(Fx.shown(pump, ".unknown-marker")).isTrue();
            assertThat(Fx.text(pump, ".unknown-marker")).isEqualTo("?");
            // The quality is Good: the state itself is unknown, so no quality marker.
            assertThat(Fx.marker(pump)).isEmpty();
            return null;
        });
        Fx.change(pump, () -> pump.setState(EquipmentState.STOPPED));
        Fx.get(() -> {
            assertThat(Fx.part(pump, ".pump-body", Path.class).getStroke()).isNotEqualTo(Fx.BAD);
            assertThat(Fx.shown(pump, ".unknown-marker")).isFalse();
            return null;
        });
    }

    @Test
    void badQualityShowsUnknownWhateverTheLastState() {
        Fx.change(pump, () -> {
            pump.setState(EquipmentState.RUNNING);
            pump.setQuality(Quality.BAD_TIMEOUT);
        });
        assertThat(Fx.get(pump::getShownState)).isEqualTo(EquipmentState.UNKNOWN);
        double[] bad = upperAndLower();
        assertThat(dark(bad[0]) || dark(bad[1])).as("not drawn as running").isFalse();
        assertThat(Fx.get(() -> Fx.shown(pump, ".unknown-marker"))).isTrue();

        Fx.change(pump, () -> pump.setQuality(Quality.GOOD));
        double[] good = upperAndLower();
        assertThat(dark(good[0]) && dark(good[1])).isTrue();
    }

    @Test
    void theLabelIsUnderTheSymbol() {
        Fx.get(() -> {
            assertThat(Fx.text(pump, ".widget-label")).isEqualTo("P-101");
            double labelTop = Fx.part(pump, ".widget-label", javafx.scene.text.Text.class).getBoundsInParent()
                    .getMinY();
            assertThat(labelTop).isGreaterThanOrEqualTo(
                    Fx.part(pump, ".pump-body", Path.class).getBoundsInParent().getMaxY());
            return null;
        });
        Fx.change(pump, () -> pump.setLabel("P-202"));
        assertThat(Fx.get(() -> Fx.text(pump, ".widget-label"))).isEqualTo("P-202");
    }
}
