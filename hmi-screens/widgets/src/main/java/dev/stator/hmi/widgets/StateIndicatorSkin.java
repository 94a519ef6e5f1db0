package dev.stator.hmi.widgets;

import javafx.scene.shape.Rectangle;
import javafx.scene.text.Text;

/**
 * The default look of {@link StateIndicator}: one line, the label on the left, then a small square lamp and the state
 * text, the quality marker at the end. Without a label the lamp starts the line.
 *
 * <p>Threading: JavaFX Application Thread only.
 */
public final class StateIndicatorSkin extends QualityWidgetSkin<StateIndicator> {

    private static final double LAMP = 11;
    private static final double GAP = 8;

    private final Rectangle lamp = part(new Rectangle(LAMP, LAMP), "lamp");
    private final Text valueText = text("value-text");

    /** A skin for {@code control}. FX thread. */
    public StateIndicatorSkin(StateIndicator control) {
        super(control);
        initGraphics();
        registerListeners();
        redraw();
    }

    @Override
    protected void initGraphics() {
        setParts(label, lamp, valueText);
    }

    @Override
    protected void registerListeners() {
        super.registerListeners();
        StateIndicator c = getSkinnable();
        registerInvalidationListener(c.stateProperty(), o -> redraw());
        registerInvalidationListener(c.onTextProperty(), o -> redraw());
        registerInvalidationListener(c.offTextProperty(), o -> redraw());
        registerInvalidationListener(c.alarmWhenProperty(), o -> redraw());
    }

    @Override
    protected void resize(double w, double h) {
        double baseline = Math.round(h / 2 + ascent(valueText) * 0.35);
        label.setX(PAD + 2);
        label.setY(baseline);
        valueText.setY(baseline);
        lamp.setY(Math.round((h - LAMP) / 2) + 0.5);
        marker.place(w - PAD - QualityMarker.SIZE, (h - QualityMarker.SIZE) / 2);
    }

    @Override
    protected void redraw() {
        super.redraw();
        StateIndicator c = getSkinnable();
        valueText.setText(ValueText.shown(c, c.formattedState()));
        double w = c.getWidth();
        double lampX;
        if (c.getLabel() == null || c.getLabel().isEmpty()) {
            lampX = PAD + 2;
        } else {
            // Right-aligned like a ValueDisplay, so mixed columns of readouts and states line up.
            lampX = w - PAD - QualityMarker.SIZE - 4 - width(valueText) - 6 - LAMP;
        }
        lamp.setX(Math.round(lampX) + 0.5);
        valueText.setX(Math.round(lampX + LAMP + 6));
        fitLabel(lampX - GAP);
        if (w > 0 && prefWidth() > w + 0.5) {
            c.requestLayout();
        }
    }

    private double prefWidth() {
        double label = width(this.label);
        return 2 * PAD + 2 + (label > 0 ? label + GAP : 0) + LAMP + 6 + width(valueText) + 4 + QualityMarker.SIZE;
    }

    @Override
    protected double computePrefWidth(double height, double top, double right, double bottom, double left) {
        double label = width(this.label);
        return Math.max(label > 0 ? 170 : 90, prefWidth());
    }

    @Override
    protected double computePrefHeight(double width, double top, double right, double bottom, double left) {
        return Math.ceil(2 * PAD + Math.max(lineHeight(valueText), QualityMarker.SIZE) + 2);
    }
}
