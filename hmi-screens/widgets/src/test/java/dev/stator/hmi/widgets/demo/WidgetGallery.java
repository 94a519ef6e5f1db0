package dev.stator.hmi.widgets.demo;

import dev.stator.driver.api.Quality;
import dev.stator.hmi.widgets.AnalogIndicator;
import dev.stator.hmi.widgets.EquipmentState;
import dev.stator.hmi.widgets.PumpSymbol;
import dev.stator.hmi.widgets.StateIndicator;
import dev.stator.hmi.widgets.TankLevel;
import dev.stator.hmi.widgets.ValueDisplay;
import dev.stator.hmi.widgets.ValveSymbol;
import javafx.application.Platform;
import javafx.geometry.Insets;
import javafx.geometry.Orientation;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;

/**
 * Every widget in the states an operator meets: Good, Uncertain, Bad with a last value, no value yet, out of range,
 * and each equipment state. For screenshots and for looking at the library by eye.
 *
 * <p>Threading: {@link #content()} builds nodes; call it on the JavaFX Application Thread or before showing.
 */
public final class WidgetGallery {

    static final String SURFACE = "-fx-background-color: #d4d4d4;";

    private WidgetGallery() {
    }

    /** Opens the gallery in a window. Not an Application subclass, so it runs from a plain class path. */
    public static void main(String[] args) {
        Platform.startup(() -> {
            Stage stage = new Stage();
            stage.setTitle("Stator HMI widgets");
            stage.setScene(new Scene(content(), 1580, 980));
            stage.show();
        });
    }

    /** The whole gallery. */
    public static Parent content() {
        VBox page = new VBox(10,
                heading("Stator HMI widgets"),
                section("AnalogIndicator",
                        cell(analog(62.4, Quality.GOOD), "Good, in the normal band"),
                        cell(analog(81.7, Quality.GOOD), "Good, above the high limit"),
                        cell(analog(62.4, Quality.UNCERTAIN_SENSOR_NOT_ACCURATE), "Uncertain"),
                        cell(analog(58.0, Quality.BAD_COMMUNICATION_ERROR), "Bad: last value, stale"),
                        cell(analog(Double.NaN, null), "No value yet"),
                        cell(analog(112.5, Quality.UNCERTAIN_ENGINEERING_UNITS_EXCEEDED), "Over range")),
                new HBox(24,
                        section("AnalogIndicator, vertical",
                                cell(vertical(3.1, Quality.GOOD), "Good"),
                                cell(vertical(3.4, Quality.UNCERTAIN), "Uncertain"),
                                cell(vertical(2.2, Quality.BAD_TIMEOUT), "Bad, stale"),
                                cell(vertical(Double.NaN, null), "No value"),
                                cell(vertical(-0.4, Quality.GOOD), "Under range")),
                        section("TankLevel",
                                cell(tank(2.84, Quality.GOOD), "Good"),
                                cell(tank(2.84, Quality.UNCERTAIN_LAST_USABLE_VALUE), "Uncertain"),
                                cell(tank(1.96, Quality.BAD_NOT_CONNECTED), "Bad, stale"),
                                cell(tank(Double.NaN, Quality.BAD_NOT_CONNECTED), "Bad, no value"),
                                cell(tank(4.3, Quality.GOOD), "Over range"))),
                section("PumpSymbol",
                        cell(pump("P-101", EquipmentState.RUNNING, Quality.GOOD), "Running"),
                        cell(pump("P-102", EquipmentState.STOPPED, Quality.GOOD), "Stopped"),
                        cell(pump("P-103", EquipmentState.STARTING, Quality.GOOD), "Starting"),
                        cell(pump("P-104", EquipmentState.STOPPING, Quality.GOOD), "Stopping"),
                        cell(pump("P-105", EquipmentState.TRIPPED, Quality.GOOD), "Tripped"),
                        cell(pump("P-106", EquipmentState.RUNNING, Quality.UNCERTAIN), "Running, uncertain"),
                        cell(pump("P-107", EquipmentState.RUNNING, Quality.BAD_TIMEOUT), "Bad quality"),
                        cell(pump("P-108", EquipmentState.UNKNOWN, null), "No value yet")),
                new HBox(24,
                        section("ValveSymbol",
                                cell(valve("FCV-101", 0, Quality.GOOD), "Closed"),
                                cell(valve("FCV-102", 45, Quality.GOOD), "45 % open"),
                                cell(valve("FCV-103", 100, Quality.GOOD), "Open"),
                                cell(valve("FCV-104", 60, Quality.UNCERTAIN), "Uncertain"),
                                cell(valve("FCV-105", 30, Quality.BAD_DEVICE_FAILURE), "Bad, stale"),
                                cell(valve("FCV-106", Double.NaN, null), "No value yet")),
                        section("ValueDisplay",
                                table(
                                        display("Flow FT-101", 84.27, "m³/h", 1, Quality.GOOD),
                                        display("Pressure PT-101", 4.125, "bar", 2, Quality.GOOD),
                                        display("Temp TT-101", 41.8, "°C", 1, Quality.UNCERTAIN),
                                        display("Vibration VT-101", 2.3, "mm/s", 1, Quality.BAD_TIMEOUT),
                                        display("Current IT-101", Double.NaN, "A", 1, null))),
                        section("StateIndicator",
                                table(
                                        state("P-101 run", true, Quality.GOOD),
                                        state("P-102 run", false, Quality.GOOD),
                                        alarm("Seal leak", true, Quality.GOOD),
                                        alarm("High level", false, Quality.UNCERTAIN),
                                        alarm("Low level", true, Quality.BAD_NOT_CONNECTED),
                                        state("Door open", null, null)))),
                legend());
        page.setPadding(new Insets(16, 20, 16, 20));
        page.setStyle(SURFACE);
        return page;
    }

    private static Node legend() {
        Label l = new Label("Quality: Good is unmarked.  Uncertain: dashed dark amber outline and \"?\".  "
                + "Bad: magenta outline and a cross, the last value greyed with \"(stale)\", or \"\u2014\" when "
                + "there is none (also before the first value).  Colour otherwise only for alarms: a trip, an "
                + "abnormal state.");
        l.setWrapText(true);
        l.setMaxWidth(1100);
        l.setStyle("-fx-font-size: 12px; -fx-text-fill: #3a3a3a;");
        return l;
    }

    private static Node heading(String text) {
        Label l = new Label(text);
        l.setStyle("-fx-font-size: 16px; -fx-font-weight: bold; -fx-text-fill: #1c1c1c;");
        return l;
    }

    private static Node section(String title, Node... cells) {
        Label l = new Label(title);
        l.setStyle("-fx-font-size: 13px; -fx-font-weight: bold; -fx-text-fill: #3a3a3a;");
        HBox row = new HBox(14, cells);
        row.setAlignment(Pos.TOP_LEFT);
        VBox box = new VBox(6, l, row);
        box.setPadding(new Insets(8, 10, 10, 10));
        box.setStyle("-fx-background-color: #cdcdcd; -fx-background-radius: 3;");
        return box;
    }

    private static Node table(Node... rows) {
        VBox v = new VBox(2, rows);
        v.setFillWidth(true);
        v.setPrefWidth(290);
        return v;
    }

    private static Node cell(Node widget, String caption) {
        Label c = new Label(caption);
        c.setStyle("-fx-font-size: 11px; -fx-text-fill: #5a5a5a;");
        VBox v = new VBox(3, widget, c);
        v.setAlignment(Pos.TOP_CENTER);
        return v;
    }

    private static AnalogIndicator analog(double value, Quality quality) {
        AnalogIndicator a = new AnalogIndicator("FT-101 flow", 0, 100, "m³/h");
        a.setNormalLow(40);
        a.setNormalHigh(70);
        a.setLowLowLimit(10);
        a.setLowLimit(25);
        a.setHighLimit(80);
        a.setHighHighLimit(92);
        a.setValue(value);
        a.setQuality(quality);
        return a;
    }

    private static AnalogIndicator vertical(double value, Quality quality) {
        AnalogIndicator a = new AnalogIndicator("PT-201", 0, 6, "bar");
        a.setOrientation(Orientation.VERTICAL);
        a.setDecimals(2);
        a.setNormalLow(2.5);
        a.setNormalHigh(4);
        a.setLowLimit(1.5);
        a.setHighLimit(4.8);
        a.setHighHighLimit(5.5);
        a.setValue(value);
        a.setQuality(quality);
        return a;
    }

    private static TankLevel tank(double value, Quality quality) {
        TankLevel t = new TankLevel("LT-101", 0, 4, "m");
        t.setDecimals(2);
        t.setLowLowLimit(0.4);
        t.setLowLimit(0.8);
        t.setHighLimit(3.2);
        t.setHighHighLimit(3.6);
        t.setValue(value);
        t.setQuality(quality);
        return t;
    }

    private static PumpSymbol pump(String name, EquipmentState state, Quality quality) {
        PumpSymbol p = new PumpSymbol(name);
        p.setState(state);
        p.setQuality(quality);
        return p;
    }

    private static ValveSymbol valve(String name, double position, Quality quality) {
        ValveSymbol v = new ValveSymbol(name);
        v.setPosition(position);
        v.setQuality(quality);
        return v;
    }

    private static ValueDisplay display(String label, double value, String units, int decimals, Quality quality) {
        ValueDisplay d = new ValueDisplay(label, units, decimals);
        d.setValue(value);
        d.setQuality(quality);
        return d;
    }

    private static StateIndicator state(String label, Boolean state, Quality quality) {
        StateIndicator s = new StateIndicator(label, "RUNNING", "STOPPED", null);
        s.setState(state);
        s.setQuality(quality);
        return s;
    }

    private static StateIndicator alarm(String label, Boolean state, Quality quality) {
        StateIndicator s = new StateIndicator(label, "ALARM", "NORMAL", Boolean.TRUE);
        s.setState(state);
        s.setQuality(quality);
        return s;
    }
}
