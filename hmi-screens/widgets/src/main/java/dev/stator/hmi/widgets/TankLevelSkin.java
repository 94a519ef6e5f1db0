package dev.stator.hmi.widgets;

import javafx.geometry.Side;
import javafx.scene.shape.Line;
import javafx.scene.shape.Polygon;
import javafx.scene.shape.Rectangle;
import javafx.scene.text.Text;

/**
 * The default look of {@link TankLevel}: label on top, the vessel with dished heads, its liquid clipped to the
 * vessel's shape, limit ticks and the overflow arrow to the right, the value under the vessel.
 *
 * <p>Threading: JavaFX Application Thread only.
 */
public final class TankLevelSkin extends QualityWidgetSkin<TankLevel> {

    private static final double TICK = 4;
    private static final double TICK_LONG = 7;
    private static final double SIDE_COLUMN = TICK_LONG + 4;
    private static final double OVERFLOW_LENGTH = 7;
    private static final double OVERFLOW_WIDTH = 8;
    private static final double GAP = 3;
    /** Half the vessel's stroke: the liquid stays inside the outline. */
    private static final double INSET = 1;

    private final Rectangle vessel = part(new Rectangle(), "vessel");
    private final Rectangle liquid = part(new Rectangle(), "liquid");
    private final Rectangle liquidClip = new Rectangle();
    private final Line lowLow = part(new Line(), "limit-tick");
    private final Line low = part(new Line(), "limit-tick");
    private final Line high = part(new Line(), "limit-tick");
    private final Line highHigh = part(new Line(), "limit-tick");
    private final Polygon overflow = part(new Polygon(), "overflow-marker");
    private final Text valueText = text("value-text");

    // Vessel geometry from the last resize.
    private double vesselX;
    private double vesselTop;
    private double vesselWidth;
    private double vesselHeight;

    /** A skin for {@code control}. FX thread. */
    public TankLevelSkin(TankLevel control) {
        super(control);
        initGraphics();
        registerListeners();
        redraw();
    }

    @Override
    protected void initGraphics() {
        lowLow.getStyleClass().add("long");
        highHigh.getStyleClass().add("long");
        liquid.setClip(liquidClip);
        setParts(vessel, liquid, lowLow, low, high, highHigh, overflow, label, valueText);
    }

    @Override
    protected void registerListeners() {
        super.registerListeners();
        TankLevel c = getSkinnable();
        registerInvalidationListener(c.valueProperty(), o -> redraw());
        registerInvalidationListener(c.unitsProperty(), o -> redraw());
        registerInvalidationListener(c.decimalsProperty(), o -> redraw());
        registerInvalidationListener(c.minProperty(), o -> redraw());
        registerInvalidationListener(c.maxProperty(), o -> redraw());
        registerInvalidationListener(c.lowLowLimitProperty(), o -> redraw());
        registerInvalidationListener(c.lowLimitProperty(), o -> redraw());
        registerInvalidationListener(c.highLimitProperty(), o -> redraw());
        registerInvalidationListener(c.highHighLimitProperty(), o -> redraw());
    }

    @Override
    protected void resize(double w, double h) {
        double row = lineHeight(label);
        label.setX(PAD + 2);
        label.setY(PAD + ascent(label));
        marker.place(w - PAD - QualityMarker.SIZE, PAD + (row - QualityMarker.SIZE) / 2);

        vesselTop = PAD + row + GAP + 2;
        double bottom = h - PAD - lineHeight(valueText) - GAP;
        vesselHeight = Math.max(0, bottom - vesselTop);
        vesselWidth = Math.max(0, Math.min(w - 2 * PAD - 2 * SIDE_COLUMN, vesselHeight * 0.75));
        vesselX = Math.round((w - vesselWidth) / 2) + 0.5;
        // Dished heads: rounded ends a quarter of the width deep.
        double arc = Math.min(vesselWidth, vesselHeight) * 0.5;
        vessel.setX(vesselX);
        vessel.setY(vesselTop);
        vessel.setWidth(vesselWidth);
        vessel.setHeight(vesselHeight);
        vessel.setArcWidth(vesselWidth);
        vessel.setArcHeight(arc);
        liquidClip.setX(vesselX + INSET);
        liquidClip.setY(vesselTop + INSET);
        liquidClip.setWidth(Math.max(0, vesselWidth - 2 * INSET));
        liquidClip.setHeight(Math.max(0, vesselHeight - 2 * INSET));
        liquidClip.setArcWidth(Math.max(0, vesselWidth - 2 * INSET));
        liquidClip.setArcHeight(Math.max(0, arc - 2 * INSET));
    }

    @Override
    protected void redraw() {
        super.redraw();
        TankLevel c = getSkinnable();
        valueText.setText(ValueText.shown(c, c.formattedValue()));
        valueText.setX(Math.round(vesselX + vesselWidth / 2 - width(valueText) / 2));
        valueText.setY(vesselTop + vesselHeight + GAP + ascent(valueText));
        fitLabel(c.getWidth() - PAD - QualityMarker.SIZE - GAP);

        boolean shows = c.showsValue();
        liquid.setVisible(shows);
        if (shows) {
            double level = c.fraction(c.getValue()) * vesselHeight;
            liquid.setX(vesselX);
            liquid.setWidth(vesselWidth);
            liquid.setY(vesselTop + vesselHeight - level);
            liquid.setHeight(level);
        }

        tick(lowLow, c.getLowLowLimit(), TICK_LONG);
        tick(low, c.getLowLimit(), TICK);
        tick(high, c.getHighLimit(), TICK);
        tick(highHigh, c.getHighHighLimit(), TICK_LONG);

        boolean over = shows && c.isOverRange();
        boolean under = shows && c.isUnderRange();
        overflow.setVisible(over || under);
        if (over || under) {
            double x = vesselX + vesselWidth + SIDE_COLUMN / 2 + 1;
            if (over) {
                Arrows.point(overflow, Side.TOP, x, vesselTop, OVERFLOW_LENGTH, OVERFLOW_WIDTH);
            } else {
                Arrows.point(overflow, Side.BOTTOM, x, vesselTop + vesselHeight, OVERFLOW_LENGTH, OVERFLOW_WIDTH);
            }
        }
    }

    /** A limit tick on the right of the vessel at the limit's height; hidden for NaN or off-range. */
    private void tick(Line t, double limit, double length) {
        TankLevel c = getSkinnable();
        boolean shown = !Double.isNaN(limit) && limit >= c.getMin() && limit <= c.getMax();
        t.setVisible(shown);
        if (!shown) {
            return;
        }
        double y = Math.round(vesselTop + vesselHeight - c.fraction(limit) * vesselHeight) + 0.5;
        double x = vesselX + vesselWidth;
        t.setStartX(x - 3);
        t.setEndX(x + length);
        t.setStartY(y);
        t.setEndY(y);
    }

    @Override
    protected double computePrefWidth(double height, double top, double right, double bottom, double left) {
        return Math.max(110, 2 * PAD + Math.max(width(label) + GAP + QualityMarker.SIZE + 2, width(valueText)));
    }

    @Override
    protected double computePrefHeight(double width, double top, double right, double bottom, double left) {
        return 180;
    }
}
