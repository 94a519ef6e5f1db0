package dev.stator.hmi.widgets;

import javafx.geometry.Orientation;
import javafx.geometry.Side;
import javafx.scene.shape.Line;
import javafx.scene.shape.Polygon;
import javafx.scene.shape.Rectangle;
import javafx.scene.text.Text;

/**
 * The default look of {@link AnalogIndicator}: label and value on top, then the bar with its band, limit ticks on one
 * side and the pointer on the other. Horizontal: min on the left; vertical: min at the bottom.
 *
 * <p>Threading: JavaFX Application Thread only.
 */
public final class AnalogIndicatorSkin extends QualityWidgetSkin<AnalogIndicator> {

    private static final double BAR = 8;
    private static final double POINTER_LENGTH = 9;
    private static final double POINTER_WIDTH = 10;
    private static final double TICK = 4;
    private static final double TICK_LONG = 7;
    private static final double OVERFLOW_LENGTH = 8;
    private static final double OVERFLOW_WIDTH = 10;
    private static final double GAP = 3;

    private final Rectangle bar = part(new Rectangle(), "bar");
    private final Rectangle band = part(new Rectangle(), "normal-band");
    private final Line lowLow = part(new Line(), "limit-tick");
    private final Line low = part(new Line(), "limit-tick");
    private final Line high = part(new Line(), "limit-tick");
    private final Line highHigh = part(new Line(), "limit-tick");
    private final Polygon pointer = part(new Polygon(), "pointer");
    private final Polygon overflow = part(new Polygon(), "overflow-marker");
    private final Text valueText = text("value-text");

    // Bar geometry from the last resize: where min and max lie along the bar, and its side across.
    private boolean horizontal = true;
    private double minAt;
    private double maxAt;
    private double barSide;

    /** A skin for {@code control}. FX thread. */
    public AnalogIndicatorSkin(AnalogIndicator control) {
        super(control);
        initGraphics();
        registerListeners();
        redraw();
    }

    @Override
    protected void initGraphics() {
        lowLow.getStyleClass().add("long");
        highHigh.getStyleClass().add("long");
        setParts(bar, band, lowLow, low, high, highHigh, pointer, overflow, label, valueText);
    }

    @Override
    protected void registerListeners() {
        super.registerListeners();
        AnalogIndicator c = getSkinnable();
        registerInvalidationListener(c.valueProperty(), o -> redraw());
        registerInvalidationListener(c.unitsProperty(), o -> redraw());
        registerInvalidationListener(c.decimalsProperty(), o -> redraw());
        registerInvalidationListener(c.minProperty(), o -> redraw());
        registerInvalidationListener(c.maxProperty(), o -> redraw());
        registerInvalidationListener(c.normalLowProperty(), o -> redraw());
        registerInvalidationListener(c.normalHighProperty(), o -> redraw());
        registerInvalidationListener(c.lowLowLimitProperty(), o -> redraw());
        registerInvalidationListener(c.lowLimitProperty(), o -> redraw());
        registerInvalidationListener(c.highLimitProperty(), o -> redraw());
        registerInvalidationListener(c.highHighLimitProperty(), o -> redraw());
        registerInvalidationListener(c.orientationProperty(), o -> getSkinnable().requestLayout());
    }

    @Override
    protected void resize(double w, double h) {
        horizontal = getSkinnable().getOrientation() == Orientation.HORIZONTAL;
        double rowHeight = Math.max(lineHeight(label), lineHeight(valueText));
        label.setX(PAD + 2);
        label.setY(PAD + ascent(valueText));
        marker.place(w - PAD - QualityMarker.SIZE, PAD + (rowHeight - QualityMarker.SIZE) / 2);
        if (horizontal) {
            double barTop = PAD + rowHeight + GAP + TICK_LONG;
            minAt = PAD + OVERFLOW_LENGTH + GAP;
            maxAt = w - PAD - OVERFLOW_LENGTH - GAP;
            barSide = barTop;
            bar.setX(minAt);
            bar.setY(barTop);
            bar.setWidth(Math.max(0, maxAt - minAt));
            bar.setHeight(BAR);
        } else {
            double top = PAD + 2 * rowHeight + GAP + OVERFLOW_LENGTH + GAP;
            minAt = h - PAD - OVERFLOW_LENGTH - GAP;
            maxAt = top;
            // Ticks to the left, pointer to the right: centre that assembly.
            barSide = Math.round((w - BAR) / 2 + (TICK_LONG - POINTER_LENGTH) / 2);
            bar.setX(barSide);
            bar.setY(maxAt);
            bar.setWidth(BAR);
            bar.setHeight(Math.max(0, minAt - maxAt));
        }
    }

    @Override
    protected void redraw() {
        super.redraw();
        AnalogIndicator c = getSkinnable();
        valueText.setText(ValueText.shown(c, c.formattedValue()));
        placeValueText();

        double bandLow = Double.isNaN(c.getNormalLow()) ? c.getMin() : c.getNormalLow();
        double bandHigh = Double.isNaN(c.getNormalHigh()) ? c.getMax() : c.getNormalHigh();
        boolean hasBand = !(Double.isNaN(c.getNormalLow()) && Double.isNaN(c.getNormalHigh())) && bandHigh > bandLow;
        band.setVisible(hasBand);
        if (hasBand) {
            double a = at(c.fraction(bandLow));
            double b = at(c.fraction(bandHigh));
            if (horizontal) {
                band.setX(a);
                band.setY(barSide);
                band.setWidth(b - a);
                band.setHeight(BAR);
            } else {
                band.setX(barSide);
                band.setY(b);
                band.setWidth(BAR);
                band.setHeight(a - b);
            }
        }

        tick(lowLow, c.getLowLowLimit(), TICK_LONG);
        tick(low, c.getLowLimit(), TICK);
        tick(high, c.getHighLimit(), TICK);
        tick(highHigh, c.getHighHighLimit(), TICK_LONG);

        boolean shows = c.showsValue();
        pointer.setVisible(shows);
        if (shows) {
            double p = at(c.fraction(c.getValue()));
            if (horizontal) {
                Arrows.point(pointer, Side.TOP, p, barSide + BAR, POINTER_LENGTH, POINTER_WIDTH);
            } else {
                Arrows.point(pointer, Side.LEFT, barSide + BAR, p, POINTER_LENGTH, POINTER_WIDTH);
            }
        }
        boolean over = shows && c.isOverRange();
        boolean under = shows && c.isUnderRange();
        overflow.setVisible(over || under);
        if (over || under) {
            double end = over ? maxAt : minAt;
            if (horizontal) {
                double tip = over ? end + GAP + OVERFLOW_LENGTH : end - GAP - OVERFLOW_LENGTH;
                Arrows.point(overflow, over ? Side.RIGHT : Side.LEFT, tip, barSide + BAR / 2, OVERFLOW_LENGTH,
                        OVERFLOW_WIDTH);
            } else {
                double tip = over ? end - GAP - OVERFLOW_LENGTH : end + GAP + OVERFLOW_LENGTH;
                Arrows.point(overflow, over ? Side.TOP : Side.BOTTOM, barSide + BAR / 2, tip, OVERFLOW_LENGTH,
                        OVERFLOW_WIDTH);
            }
        }
    }

    /** Right-aligned beside the marker when horizontal; on its own line under the label when vertical. */
    private void placeValueText() {
        double w = getSkinnable().getWidth();
        double rowHeight = Math.max(lineHeight(label), lineHeight(valueText));
        if (horizontal) {
            valueText.setX(Math.round(w - PAD - QualityMarker.SIZE - GAP - width(valueText)));
            valueText.setY(PAD + ascent(valueText));
            fitLabel(valueText.getX() - 2 * GAP);
        } else {
            valueText.setX(PAD + 2);
            valueText.setY(PAD + rowHeight + ascent(valueText));
            fitLabel(w - PAD - QualityMarker.SIZE - GAP);
        }
    }

    /** A limit tick across the bar, sticking out on the side away from the pointer; hidden for NaN or off-range. */
    private void tick(Line t, double limit, double length) {
        AnalogIndicator c = getSkinnable();
        boolean shown = !Double.isNaN(limit) && limit >= c.getMin() && limit <= c.getMax();
        t.setVisible(shown);
        if (!shown) {
            return;
        }
        double p = Math.round(at(c.fraction(limit))) + 0.5; // on a pixel centre: crisp 1 px lines
        if (horizontal) {
            t.setStartX(p);
            t.setEndX(p);
            t.setStartY(barSide - length);
            t.setEndY(barSide + BAR);
        } else {
            t.setStartY(p);
            t.setEndY(p);
            t.setStartX(barSide - length);
            t.setEndX(barSide + BAR);
        }
    }

    /** The coordinate along the bar for a fraction of the range. */
    private double at(double fraction) {
        return minAt + fraction * (maxAt - minAt);
    }

    @Override
    protected double computePrefWidth(double height, double top, double right, double bottom, double left) {
        double texts = width(label) + 4 * GAP + Math.max(width(valueText), 60) + QualityMarker.SIZE;
        if (getSkinnable().getOrientation() == Orientation.HORIZONTAL) {
            return Math.max(200, 2 * PAD + texts);
        }
        return Math.max(96, 2 * PAD + Math.max(width(label) + GAP + QualityMarker.SIZE, width(valueText)) + 4);
    }

    @Override
    protected double computePrefHeight(double width, double top, double right, double bottom, double left) {
        double rowHeight = Math.max(lineHeight(label), lineHeight(valueText));
        if (getSkinnable().getOrientation() == Orientation.HORIZONTAL) {
            return Math.ceil(2 * PAD + rowHeight + GAP + TICK_LONG + BAR + POINTER_LENGTH + 1);
        }
        return 200;
    }
}
