package dev.stator.hmi.widgets;

import dev.stator.driver.api.Quality;
import javafx.scene.Scene;
import javafx.scene.layout.VBox;
import javafx.scene.text.Text;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** A column of readouts: values right-aligned on one edge, labels never overwritten. */
@ExtendWith(ApplicationExtension.class)
class ValueDisplayTest {

    private ValueDisplay flow;
    private ValueDisplay pressure;

    @Start
    void start(Stage stage) {
        flow = new ValueDisplay("Flow FT-101", "m³/h", 1);
        flow.setValue(84.27);
        flow.setQuality(Quality.GOOD);
        pressure = new ValueDisplay("Pressure PT-101", "bar", 2);
        pressure.setValue(4.125);
        pressure.setQuality(Quality.GOOD);
        VBox table = new VBox(2, flow, pressure);
        table.setMaxWidth(240);
        stage.setScene(new Scene(table, 240, 120));
        stage.show();
    }

    @Test
    void showsLabelValueUnitsAndDecimals() {
        Fx.get(() -> {
            assertThat(Fx.text(flow, ".widget-label")).isEqualTo("Flow FT-101");
            assertThat(Fx.text(flow, ".value-text")).isEqualTo("84.3 m³/h");
            assertThat(Fx.text(pressure, ".value-text")).isEqualTo("4.13 bar");
            return null;
        });
        Fx.change(flow, () -> {
            flow.setDecimals(3);
            flow.setUnits("l/s");
            flow.setValue(23.4567);
        });
        assertThat(Fx.get(() -> Fx.text(flow, ".value-text"))).isEqualTo("23.457 l/s");
    }

    @Test
    void valuesLineUpOnTheRight() {
        Fx.get(() -> {
            Text a = Fx.part(flow, ".value-text", Text.class);
            Text b = Fx.part(pressure, ".value-text", Text.class);
            assertThat(flow.localToScene(a.getBoundsInParent()).getMaxX())
                    .isCloseTo(pressure.localToScene(b.getBoundsInParent()).getMaxX(), within(1.0));
            return null;
        });
    }

    @Test
    void aLongStaleValueNeverRunsOverTheLabel() {
        Fx.change(flow, () -> {
            flow.setValue(12345.6);
            flow.setQuality(Quality.BAD_TIMEOUT);
        });
        Fx.get(() -> {
            Text label = Fx.part(flow, ".widget-label", Text.class);
            Text value = Fx.part(flow, ".value-text", Text.class);
            assertThat(value.getText()).isEqualTo("12345.6 m³/h (stale)");
            double labelRight = label.getClip() == null ? label.getBoundsInParent().getMaxX()
                    : label.getClip().getBoundsInParent().getMaxX();
            assertThat(labelRight).isLessThanOrEqualTo(value.getBoundsInParent().getMinX());
            assertThat(value.getBoundsInParent().getMinX()).isGreaterThanOrEqualTo(0);
            return null;
        });
        Fx.change(flow, () -> {
            flow.setValue(1);
            flow.setQuality(Quality.GOOD);
        });
        assertThat(Fx.get(() -> Fx.part(flow, ".widget-label", Text.class).getClip())).isNull();
    }
}
