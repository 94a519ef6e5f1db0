package dev.stator.hmi.widgets;

import javafx.beans.property.DoubleProperty;
import javafx.css.PseudoClass;

/**
 * A numeric widget drawn against an engineering range ({@link #minProperty() min} to {@link #maxProperty() max}),
 * with optional alarm limits shown as ticks ({@code NaN}, the default, is no limit). A value outside the range is
 * pinned to the end and marked: pseudo-classes {@code :over-range} and {@code :under-range}.
 *
 * <p>Threading: properties are read and changed on the JavaFX Application Thread once the widget is showing.
 */
public abstract class RangeWidget extends NumericWidget {

    static final PseudoClass OVER_RANGE = PseudoClass.getPseudoClass("over-range");
    static final PseudoClass UNDER_RANGE = PseudoClass.getPseudoClass("under-range");

    private final DoubleProperty min = newDouble("min", 0, this::updateRangeState);
    private final DoubleProperty max = newDouble("max", 100, this::updateRangeState);
    private final DoubleProperty lowLowLimit = newDouble("lowLowLimit", Double.NaN);
    private final DoubleProperty lowLimit = newDouble("lowLimit", Double.NaN);
    private final DoubleProperty highLimit = newDouble("highLimit", Double.NaN);
    private final DoubleProperty highHighLimit = newDouble("highHighLimit", Double.NaN);

    /** Called by subclasses with their own style class; on any thread, before the widget is shown. */
    protected RangeWidget(String styleClass) {
        super(styleClass);
    }

    @Override
    protected void valueChanged() {
        super.valueChanged();
        updateRangeState();
    }

    private void updateRangeState() {
        pseudoClassStateChanged(OVER_RANGE, isOverRange());
        pseudoClassStateChanged(UNDER_RANGE, isUnderRange());
    }

    /** True when the value is above max. FX thread. */
    public final boolean isOverRange() {
        return hasValue() && getValue() > getMax();
    }

    /** True when the value is below min. FX thread. */
    public final boolean isUnderRange() {
        return hasValue() && getValue() < getMin();
    }

    /**
     * Where {@code v} lies in the range, from 0 (min) to 1 (max), clamped; 0 for an empty or inverted range, so a
     * misconfigured widget draws at its start rather than nowhere.
     */
    final double fraction(double v) {
        double span = getMax() - getMin();
        if (!(span > 0) || Double.isNaN(v)) {
            return 0;
        }
        return Math.max(0, Math.min(1, (v - getMin()) / span));
    }

    /** The bottom of the engineering range; default 0. FX thread. */
    public final DoubleProperty minProperty() {
        return min;
    }

    public final double getMin() {
        return min.get();
    }

    public final void setMin(double v) {
        min.set(v);
    }

    /** The top of the engineering range; default 100. FX thread. */
    public final DoubleProperty maxProperty() {
        return max;
    }

    public final double getMax() {
        return max.get();
    }

    public final void setMax(double v) {
        max.set(v);
    }

    /** The low-low alarm limit, drawn as a long tick; {@code NaN} for none. FX thread. */
    public final DoubleProperty lowLowLimitProperty() {
        return lowLowLimit;
    }

    public final double getLowLowLimit() {
        return lowLowLimit.get();
    }

    public final void setLowLowLimit(double v) {
        lowLowLimit.set(v);
    }

    /** The low alarm limit, drawn as a short tick; {@code NaN} for none. FX thread. */
    public final DoubleProperty lowLimitProperty() {
        return lowLimit;
    }

    public final double getLowLimit() {
        return lowLimit.get();
    }

    public final void setLowLimit(double v) {
        lowLimit.set(v);
    }

    /** The high alarm limit, drawn as a short tick; {@code NaN} for none. FX thread. */
    public final DoubleProperty highLimitProperty() {
        return highLimit;
    }

    public final double getHighLimit() {
        return highLimit.get();
    }

    public final void setHighLimit(double v) {
        highLimit.set(v);
    }

    /** The high-high alarm limit, drawn as a long tick; {@code NaN} for none. FX thread. */
    public final DoubleProperty highHighLimitProperty() {
        return highHighLimit;
    }

    public final double getHighHighLimit() {
        return highHighLimit.get();
    }

    public final void setHighHighLimit(double v) {
        highHighLimit.set(v);
    }
}
