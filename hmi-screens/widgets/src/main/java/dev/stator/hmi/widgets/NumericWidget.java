package dev.stator.hmi.widgets;

import javafx.beans.property.DoubleProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.StringProperty;

/**
 * A widget that shows one number with units and a fixed number of decimals. {@code NaN} (the default) is no value.
 * When the quality goes Bad, keep the last value in {@link #valueProperty()}: the widget shows it greyed with
 * "(stale)".
 *
 * <p>Threading: properties are read and changed on the JavaFX Application Thread once the widget is showing.
 */
public abstract class NumericWidget extends QualityWidget {

    private final DoubleProperty value = newDouble("value", Double.NaN, this::valueChanged);
    private final StringProperty units = newString("units", "");
    private final IntegerProperty decimals = newInteger("decimals", 1);

    /** Called by subclasses with their own style class; on any thread, before the widget is shown. */
    protected NumericWidget(String styleClass) {
        super(styleClass);
    }

    @Override
    protected boolean hasValue() {
        return !Double.isNaN(getValue());
    }

    /** Called on every value change; subclasses that derive more state from the value extend it. FX thread. */
    protected void valueChanged() {
        updateQualityState();
    }

    /** The value as shown with decimals and units, before the quality rules ("(stale)", "—"). FX thread. */
    String formattedValue() {
        return ValueText.number(getValue(), getDecimals(), getUnits());
    }

    /** The value in engineering units; {@code NaN} means none. FX thread. */
    public final DoubleProperty valueProperty() {
        return value;
    }

    public final double getValue() {
        return value.get();
    }

    public final void setValue(double v) {
        value.set(v);
    }

    /** Engineering units shown after the value, such as "m" or "m³/h"; empty for none. FX thread. */
    public final StringProperty unitsProperty() {
        return units;
    }

    public final String getUnits() {
        return units.get();
    }

    public final void setUnits(String v) {
        units.set(v);
    }

    /** Digits after the decimal point, 0 to 9; default 1. FX thread. */
    public final IntegerProperty decimalsProperty() {
        return decimals;
    }

    public final int getDecimals() {
        return decimals.get();
    }

    public final void setDecimals(int v) {
        decimals.set(v);
    }
}
