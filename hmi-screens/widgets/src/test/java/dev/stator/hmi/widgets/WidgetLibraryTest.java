package dev.stator.hmi.widgets;

import dev.stator.driver.api.Quality;
import dev.stator.hmi.widgets.demo.WidgetGallery;
import javafx.css.CssParser;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.StackPane;
import javafx.scene.text.Text;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What holds for the whole library: the thread rule, skin lifecycle, cost per widget, the stylesheet, the gallery. */
@ExtendWith(ApplicationExtension.class)
class WidgetLibraryTest {

    private StackPane root;

    @Start
    void start(Stage stage) {
        root = new StackPane();
        stage.setScene(new Scene(root, 1400, 1000));
        stage.show();
    }

    @Test
    void aShowingWidgetChangedOffTheFxThreadFailsFast() {
        AnalogIndicator indicator = new AnalogIndicator("FT-101", 0, 100, "m³/h");
        Fx.change(root, () -> root.getChildren().setAll(indicator));

        assertThatThrownBy(() -> indicator.setValue(5)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("FT-101").hasMessageContaining("JavaFX Application Thread");
        assertThatThrownBy(() -> indicator.setQuality(Quality.GOOD)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aWidgetIsBuiltOnAnyThreadBeforeItShows() {
        // The test thread is not the FX thread; nothing shows yet, so this is allowed, as for any node.
        TankLevel tank = new TankLevel("LT-101", 0, 4, "m");
        tank.setValue(2);
        tank.setQuality(Quality.GOOD);
        Fx.change(root, () -> root.getChildren().setAll(tank));
        assertThat(Fx.get(() -> Fx.text(tank, ".value-text"))).isEqualTo("2.0 m");
    }

    @Test
    void aReplacedSkinTakesItsPartsAndListenersWithIt() {
        ValueDisplay display = new ValueDisplay("Flow", "m³/h", 1);
        Fx.change(root, () -> {
            root.getChildren().setAll(display);
            display.setValue(1);
            display.setQuality(Quality.GOOD);
        });
        Text old = Fx.get(() -> Fx.part(display, ".value-text", Text.class));

        Fx.change(display, () -> display.setSkin(new ValueDisplaySkin(display)));
        Fx.change(display, () -> display.setValue(2));
        Fx.get(() -> {
            assertThat(display.getChildrenUnmodifiable()).doesNotContain(old);
            assertThat(old.getText()).as("the old skin no longer listens").isEqualTo("1.0 m³/h");
            assertThat(display.lookupAll(".value-text")).hasSize(1);
            assertThat(Fx.text(display, ".value-text")).isEqualTo("2.0 m³/h");
            return null;
        });
    }

    @Test
    void hundredsOfWidgetsStayCheapAndAValueChangeLaysOutNothing() {
        List<QualityWidget> widgets = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            widgets.add(new AnalogIndicator("FT-" + i, 0, 100, "m³/h"));
            widgets.add(new TankLevel("LT-" + i, 0, 4, "m"));
            widgets.add(new PumpSymbol("P-" + i));
            widgets.add(new ValveSymbol("FCV-" + i));
            widgets.add(new ValueDisplay("PT-" + i, "bar", 2));
            widgets.add(new StateIndicator("XS-" + i, "ON", "OFF", Boolean.TRUE));
        }
        FlowPane screen = new FlowPane(4, 4);
        screen.getChildren().addAll(widgets);
        Fx.change(root, () -> {
            root.getChildren().setAll(screen);
            update(widgets, 1);
        });

        Map<String, Integer> nodes = Fx.get(() -> widgets.stream().collect(Collectors.toMap(
                w -> w.getClass().getSimpleName(), WidgetLibraryTest::nodeCount, Math::max)));
        assertThat(nodes).hasSize(6).allSatisfy((type, count) -> assertThat(count).as(type).isLessThanOrEqualTo(16));

        // One pulse worth of new values: every widget redraws, no parent needs a new layout.
        boolean layoutRequested = Fx.get(() -> {
            update(widgets, 2);
            return root.isNeedsLayout() || screen.isNeedsLayout();
        });
        assertThat(layoutRequested).isFalse();
        assertThat(Fx.get(() -> Fx.text(widgets.get(0), ".value-text"))).isEqualTo("42.0 m³/h");
    }

    private static void update(List<QualityWidget> widgets, int round) {
        for (QualityWidget w : widgets) {
            w.setQuality(round % 2 == 0 ? Quality.GOOD : Quality.UNCERTAIN);
            if (w instanceof AnalogIndicator a) {
                a.setValue(21 * round);
            } else if (w instanceof TankLevel t) {
                t.setValue(round);
            } else if (w instanceof PumpSymbol p) {
                p.setState(round % 2 == 0 ? EquipmentState.RUNNING : EquipmentState.STOPPED);
            } else if (w instanceof ValveSymbol v) {
                v.setPosition(10 * round);
            } else if (w instanceof ValueDisplay d) {
                d.setValue(round);
            } else if (w instanceof StateIndicator s) {
                s.setState(round % 2 == 0);
            }
        }
    }

    private static int nodeCount(Node n) {
        int count = 1;
        if (n instanceof Parent p) {
            for (Node c : p.getChildrenUnmodifiable()) {
                count += nodeCount(c);
            }
        }
        return count;
    }

    @Test
    void theGalleryShowsEveryWidgetAndTheStylesheetResolvesEveryColour() {
        CssParser.errorsProperty().clear();
        Parent gallery = Fx.get(WidgetGallery::content);
        Fx.change(root, () -> root.getChildren().setAll(gallery));

        Map<String, Long> shown = Fx.get(() -> gallery.lookupAll(".stator-widget").stream()
                .collect(Collectors.groupingBy(n -> n.getClass().getSimpleName(), Collectors.counting())));
        assertThat(shown).containsOnlyKeys("AnalogIndicator", "TankLevel", "PumpSymbol", "ValveSymbol",
                "ValueDisplay", "StateIndicator");
        assertThat(shown.values()).allSatisfy(n -> assertThat(n).isGreaterThanOrEqualTo(5));
        assertThat(CssParser.errorsProperty()).as("CSS errors").isEmpty();
        assertThat(Fx.get(() -> gallery.lookupAll(".stator-widget").stream()
                .map(n -> ((QualityWidget) n).getUserAgentStylesheet()).distinct().toList()))
                .singleElement().asString().endsWith("dev/stator/hmi/widgets/widgets.css");
    }

}
