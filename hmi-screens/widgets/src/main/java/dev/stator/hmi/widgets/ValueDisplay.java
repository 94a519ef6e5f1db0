package dev.stator.hmi.widgets;

import javafx.scene.control.Skin;

/**
 * A compact numeric readout for tables of values on a screen: the label on the left, the value with its units on the
 * right, the quality marker at the end.
 *
 * <p>Style class {@code value-display}; parts {@code .widget-label}, {@code .value-text}.
 *
 * <p>Threading: create anywhere; once showing, read and change only on the JavaFX Application Thread.
 */
public class ValueDisplay extends NumericWidget {

    /** An empty readout, no value yet. Any thread, before showing. */
    public ValueDisplay() {
        super("value-display");
    }

    /** A readout labelled {@code label} in {@code units} with {@code decimals}. Any thread, before showing. */
    public ValueDisplay(String label, String units, int decimals) {
        this();
        setLabel(label);
        setUnits(units);
        setDecimals(decimals);
    }

    @Override
    protected Skin<?> createDefaultSkin() {
        return new ValueDisplaySkin(this);
    }
}
