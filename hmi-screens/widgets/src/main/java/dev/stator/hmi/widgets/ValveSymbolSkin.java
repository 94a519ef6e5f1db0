package dev.stator.hmi.widgets;

import javafx.scene.shape.ArcTo;
import javafx.scene.shape.ClosePath;
import javafx.scene.shape.LineTo;
import javafx.scene.shape.MoveTo;
import javafx.scene.shape.Path;
import javafx.scene.shape.PathElement;
import javafx.scene.shape.Rectangle;
import javafx.scene.text.Text;

import java.util.List;

/**
 * The default look of {@link ValveSymbol}: a diaphragm actuator (a dome on a stem) over a bow-tie body, the body
 * filled from the bottom to the position, then the position text and the label.
 *
 * <p>Threading: JavaFX Application Thread only.
 */
public final class ValveSymbolSkin extends QualityWidgetSkin<ValveSymbol> {

    private static final double GAP = 2;
    /** Body height and actuator parts, in body widths. */
    private static final double BODY_HEIGHT = 0.6;
    private static final double STEM = 0.3;
    private static final double DOME = 0.3;

    private final Path actuator = part(new Path(), "actuator");
    private final Path fill = part(new Path(), "valve-fill");
    private final Rectangle fillClip = new Rectangle();
    private final Path body = part(new Path(), "valve-body");
    private final Text valueText = text("value-text");

    private double cx;
    private double bodyTop;
    private double bodyBottom;
    private double bodyWidth;

    /** A skin for {@code control}. FX thread. */
    public ValveSymbolSkin(ValveSymbol control) {
        super(control);
        initGraphics();
        registerListeners();
        redraw();
    }

    @Override
    protected void initGraphics() {
        fill.setClip(fillClip);
        setParts(actuator, fill, body, valueText, label);
    }

    @Override
    protected void registerListeners() {
        super.registerListeners();
        registerInvalidationListener(getSkinnable().positionProperty(), o -> redraw());
    }

    @Override
    protected void resize(double w, double h) {
        double texts = lineHeight(valueText) + lineHeight(label);
        double areaBottom = h - PAD - texts - GAP;
        double areaHeight = Math.max(0, areaBottom - PAD - 2);
        double areaWidth = w - 2 * PAD - 2 * QualityMarker.SIZE;
        bodyWidth = Math.floor(Math.max(8, Math.min(areaWidth, areaHeight / (BODY_HEIGHT + STEM + DOME))));
        cx = Math.round(w / 2) + 0.5;
        bodyBottom = Math.round(areaBottom) + 0.5;
        bodyTop = bodyBottom - Math.round(bodyWidth * BODY_HEIGHT);
        double bodyMid = (bodyTop + bodyBottom) / 2;
        double domeR = bodyWidth * DOME;
        double domeBase = Math.round(bodyTop - bodyWidth * STEM) + 0.5;
        actuator.getElements().setAll(new MoveTo(cx, bodyMid), new LineTo(cx, domeBase),
                new MoveTo(cx - domeR, domeBase), new ArcTo(domeR, domeR, 0, cx + domeR, domeBase, false, true),
                new ClosePath());
        body.getElements().setAll(bowTie());
        fill.getElements().setAll(bowTie());
        marker.place(w - PAD - QualityMarker.SIZE, PAD);
        valueText.setY(bodyBottom + GAP + ascent(valueText));
        label.setY(bodyBottom + GAP + lineHeight(valueText) + ascent(label));
    }

    /** Two triangles meeting at their tips in the middle. */
    private List<PathElement> bowTie() {
        double left = cx - bodyWidth / 2;
        double right = cx + bodyWidth / 2;
        double mid = (bodyTop + bodyBottom) / 2;
        return List.of(new MoveTo(left, bodyTop), new LineTo(cx, mid), new LineTo(right, bodyTop),
                new LineTo(right, bodyBottom), new LineTo(cx, mid), new LineTo(left, bodyBottom), new ClosePath());
    }

    @Override
    protected void redraw() {
        super.redraw();
        ValveSymbol c = getSkinnable();
        boolean shows = c.showsValue();
        fill.setVisible(shows && c.fillFraction() > 0);
        double level = c.fillFraction() * (bodyBottom - bodyTop);
        fillClip.setX(cx - bodyWidth / 2 - 2);
        fillClip.setWidth(bodyWidth + 4);
        // 100 % also covers the stroke; anything less leaves the outline readable.
        fillClip.setY(c.fillFraction() >= 1 ? bodyTop - 2 : bodyBottom - level);
        fillClip.setHeight(c.fillFraction() >= 1 ? bodyBottom - bodyTop + 4 : level + 2);
        valueText.setText(ValueText.shown(c, c.formattedPosition()));
        valueText.setX(Math.round(cx - width(valueText) / 2));
        label.setX(Math.round(cx - width(label) / 2));
    }

    @Override
    protected double computePrefWidth(double height, double top, double right, double bottom, double left) {
        return Math.max(76, 2 * PAD + Math.max(width(label), width(valueText)) + 4);
    }

    @Override
    protected double computePrefHeight(double width, double top, double right, double bottom, double left) {
        return 96;
    }
}
