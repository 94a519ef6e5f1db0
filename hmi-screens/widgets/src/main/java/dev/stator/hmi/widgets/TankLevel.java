package dev.stator.hmi.widgets;

import javafx.scene.control.Skin;

/**
 * A vessel with its liquid level: the outline of a vertical tank, filled from the bottom in a muted blue-grey to the
 * value's place in the range, level limits as ticks beside it, and the value as text below. A level outside the
 * range fills the vessel completely (or not at all) and shows an overflow arrow.
 *
 * <p>Style class {@code tank-level}; parts {@code .vessel}, {@code .liquid}, {@code .limit-tick},
 * {@code .overflow-marker}, {@code .widget-label}, {@code .value-text}.
 *
 * <p>Threading: create anywhere; once showing, read and change only on the JavaFX Application Thread.
 */
public class TankLevel extends RangeWidget {

    /** An empty tank over 0 to 100, no value yet. Any thread, before showing. */
    public TankLevel() {
        super("tank-level");
    }

    /** A tank labelled {@code label} over {@code min} to {@code max} in {@code units}. Any thread, before showing. */
    public TankLevel(String label, double min, double max, String units) {
        this();
        setLabel(label);
        setMin(min);
        setMax(max);
        setUnits(units);
    }

    @Override
    protected Skin<?> createDefaultSkin() {
        return new TankLevelSkin(this);
    }
}
