package dev.stator.hmi.widgets;

import javafx.beans.property.DoubleProperty;
import javafx.scene.control.Skin;

/**
 * A control valve: a two-triangle body (bow-tie) under its actuator, filled from the bottom in dark grey to the
 * valve's position (0 % hollow, 100 % filled), the position as text under it and then the label. {@code NaN} (the
 * default) is no value; when the quality goes Bad keep the last position: it is shown greyed with "(stale)".
 *
 * <p>Style class {@code valve-symbol}; parts {@code .valve-body}, {@code .valve-fill}, {@code .actuator},
 * {@code .value-text}, {@code .widget-label}.
 *
 * <p>Threading: create anywhere; once showing, read and change only on the JavaFX Application Thread.
 */
public class ValveSymbol extends QualityWidget {

    private final DoubleProperty position = newDouble("position", Double.NaN, this::updateQualityState);

    /** A valve with no position yet. Any thread, before showing. */
    public ValveSymbol() {
        super("valve-symbol");
    }

    /** A valve labelled {@code label}, no position yet. Any thread, before showing. */
    public ValveSymbol(String label) {
        this();
        setLabel(label);
    }

    @Override
    protected Skin<?> createDefaultSkin() {
        return new ValveSymbolSkin(this);
    }

    @Override
    protected boolean hasValue() {
        return !Double.isNaN(getPosition());
    }

    /** The position as shown, in whole percent, before the quality rules. */
    String formattedPosition() {
        return ValueText.number(getPosition(), 0, "%");
    }

    /** How far the valve fills: 0 to 1, clamped, 0 without a position. FX thread. */
    double fillFraction() {
        double p = getPosition();
        return Double.isNaN(p) ? 0 : Math.max(0, Math.min(1, p / 100));
    }

    /** The position in percent open, 0 to 100; {@code NaN} (default) for none. FX thread. */
    public final DoubleProperty positionProperty() {
        return position;
    }

    public final double getPosition() {
        return position.get();
    }

    public final void setPosition(double v) {
        position.set(v);
    }
}
