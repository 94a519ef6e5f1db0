package dev.stator.hmi.widgets;

import javafx.beans.property.DoubleProperty;
import javafx.beans.property.ObjectProperty;
import javafx.geometry.Orientation;
import javafx.scene.control.Skin;

import java.util.Objects;

/**
 * The ISA-101 moving analog indicator: a slim bar spanning the engineering range, a pointer at the value, the
 * desirable operating band ({@link #normalLowProperty() normalLow} to {@link #normalHighProperty() normalHigh}) as a
 * slightly darker stretch of the bar, alarm limits as small ticks, and the value as text with units. A value outside
 * the range pins the pointer to the end of the bar and shows an overflow arrow there.
 *
 * <p>Style class {@code analog-indicator}; parts {@code .bar}, {@code .normal-band}, {@code .pointer},
 * {@code .limit-tick}, {@code .overflow-marker}, {@code .widget-label}, {@code .value-text}.
 *
 * <p>Threading: create anywhere; once showing, read and change only on the JavaFX Application Thread.
 */
public class AnalogIndicator extends RangeWidget {

    private final DoubleProperty normalLow = newDouble("normalLow", Double.NaN);
    private final DoubleProperty normalHigh = newDouble("normalHigh", Double.NaN);
    private final ObjectProperty<Orientation> orientation =
            newObject("orientation", Orientation.HORIZONTAL, null);

    /** An empty horizontal indicator over 0 to 100, no value yet. Any thread, before showing. */
    public AnalogIndicator() {
        super("analog-indicator");
    }

    /**
     * An indicator labelled {@code label} over {@code min} to {@code max} in {@code units}. Any thread, before
     * showing.
     */
    public AnalogIndicator(String label, double min, double max, String units) {
        this();
        setLabel(label);
        setMin(min);
        setMax(max);
        setUnits(units);
    }

    @Override
    protected Skin<?> createDefaultSkin() {
        return new AnalogIndicatorSkin(this);
    }

    /** The bottom of the desirable operating band; {@code NaN} (default) for no band. FX thread. */
    public final DoubleProperty normalLowProperty() {
        return normalLow;
    }

    public final double getNormalLow() {
        return normalLow.get();
    }

    public final void setNormalLow(double v) {
        normalLow.set(v);
    }

    /** The top of the desirable operating band; {@code NaN} (default) for no band. FX thread. */
    public final DoubleProperty normalHighProperty() {
        return normalHigh;
    }

    public final double getNormalHigh() {
        return normalHigh.get();
    }

    public final void setNormalHigh(double v) {
        normalHigh.set(v);
    }

    /** Horizontal (default: min on the left) or vertical (min at the bottom); never null. FX thread. */
    public final ObjectProperty<Orientation> orientationProperty() {
        return orientation;
    }

    public final Orientation getOrientation() {
        return orientation.get();
    }

    public final void setOrientation(Orientation v) {
        orientation.set(Objects.requireNonNull(v, "orientation"));
    }
}
