package dev.stator.hmi.widgets;

import javafx.scene.text.Text;

/**
 * The default look of {@link ValueDisplay}: one line, label on the left, value and units right-aligned before the
 * quality marker, so that a column of readouts lines up on the units.
 *
 * <p>Threading: JavaFX Application Thread only.
 */
public final class ValueDisplaySkin extends QualityWidgetSkin<ValueDisplay> {

    private static final double GAP = 8;

    private final Text valueText = text("value-text");

    /** A skin for {@code control}. FX thread. */
    public ValueDisplaySkin(ValueDisplay control) {
        super(control);
        initGraphics();
        registerListeners();
        redraw();
    }

    @Override
    protected void initGraphics() {
        setParts(label, valueText);
    }

    @Override
    protected void registerListeners() {
        super.registerListeners();
        ValueDisplay c = getSkinnable();
        registerInvalidationListener(c.valueProperty(), o -> redraw());
        registerInvalidationListener(c.unitsProperty(), o -> redraw());
        registerInvalidationListener(c.decimalsProperty(), o -> redraw());
    }

    @Override
    protected void resize(double w, double h) {
        double baseline = Math.round(h / 2 + ascent(valueText) * 0.35);
        label.setX(PAD + 2);
        label.setY(baseline);
        valueText.setY(baseline);
        marker.place(w - PAD - QualityMarker.SIZE, (h - QualityMarker.SIZE) / 2);
    }

    @Override
    protected void redraw() {
        super.redraw();
        ValueDisplay c = getSkinnable();
        valueText.setText(ValueText.shown(c, c.formattedValue()));
        double w = c.getWidth();
        valueText.setX(Math.round(w - PAD - QualityMarker.SIZE - 4 - width(valueText)));
        fitLabel(valueText.getX() - GAP);
        // A longer text than the width allows (a stale value, say) asks the parent for room once.
        if (w > 0 && prefWidth() > w + 0.5) {
            c.requestLayout();
        }
    }

    private double prefWidth() {
        return 2 * PAD + 2 + width(label) + GAP + width(valueText) + 4 + QualityMarker.SIZE;
    }

    @Override
    protected double computePrefWidth(double height, double top, double right, double bottom, double left) {
        return Math.max(170, prefWidth());
    }

    @Override
    protected double computePrefHeight(double width, double top, double right, double bottom, double left) {
        return Math.ceil(2 * PAD + Math.max(lineHeight(valueText), QualityMarker.SIZE) + 2);
    }
}
