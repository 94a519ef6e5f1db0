package dev.stator.hmi.widgets;

import javafx.geometry.VPos;
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
 * The default look of {@link PumpSymbol}: a circle with a tangential discharge at the top right, its fill clipped to
 * the whole, the lower or the upper half by state, a trip box at the top left, "?" inside when unknown, the label
 * under it.
 *
 * <p>Threading: JavaFX Application Thread only.
 */
public final class PumpSymbolSkin extends QualityWidgetSkin<PumpSymbol> {

    private static final double GAP = 3;
    /** How far the discharge reaches past the circle's centre, in radii. */
    private static final double NOZZLE_REACH = 1.3;
    /** The discharge's thickness, in radii. */
    private static final double NOZZLE = 0.42;
    private static final double TRIP_BOX = 14;

    private final Path fill = part(new Path(), "pump-fill");
    private final Rectangle fillClip = new Rectangle();
    private final Path body = part(new Path(), "pump-body");
    private final Rectangle tripBox = part(new Rectangle(), "trip-marker");
    private final Text tripText = text("trip-text");
    private final Text unknownText = text("unknown-marker");

    private double cx;
    private double cy;
    private double r;

    /** A skin for {@code control}. FX thread. */
    public PumpSymbolSkin(PumpSymbol control) {
        super(control);
        initGraphics();
        registerListeners();
        redraw();
    }

    @Override
    protected void initGraphics() {
        fill.setClip(fillClip);
        tripText.setText("T");
        tripText.setTextOrigin(VPos.CENTER);
        unknownText.setText("?");
        unknownText.setTextOrigin(VPos.CENTER);
        setParts(fill, body, unknownText, tripBox, tripText, label);
    }

    @Override
    protected void registerListeners() {
        super.registerListeners();
        registerInvalidationListener(getSkinnable().stateProperty(), o -> redraw());
    }

    @Override
    protected void resize(double w, double h) {
        double bottom = h - PAD - lineHeight(label) - GAP;
        // The symbol (circle and discharge) sits left of the marker column, centred in what is left.
        double room = w - 2 * PAD - 4 - QualityMarker.SIZE - GAP;
        double symbolWidth = 1 + NOZZLE_REACH;
        r = Math.floor(Math.max(4, Math.min(room / symbolWidth, (bottom - PAD - 2) / 2)));
        cx = Math.round(PAD + 2 + (room - symbolWidth * r) / 2 + r);
        cy = Math.round(PAD + 2 + (bottom - PAD - 2) / 2);
        body.getElements().setAll(outline());
        fill.getElements().setAll(outline());
        marker.place(w - PAD - QualityMarker.SIZE, PAD);
        tripBox.setX(PAD + 0.5);
        tripBox.setY(PAD + 0.5);
        tripBox.setWidth(TRIP_BOX);
        tripBox.setHeight(TRIP_BOX);
        tripText.setY(PAD + 0.5 + TRIP_BOX / 2);
        label.setY(bottom + GAP + ascent(label));
    }

    /** Circle plus discharge as one closed outline, so that stroke and fill follow the same shape. */
    private List<PathElement> outline() {
        double top = cy - r;
        double n = NOZZLE * r;
        double nozzleEnd = cx + NOZZLE_REACH * r;
        // Where the discharge's lower edge meets the circle.
        double meet = cx + Math.sqrt(r * r - (r - n) * (r - n));
        return List.of(new MoveTo(cx, top), new LineTo(nozzleEnd, top), new LineTo(nozzleEnd, top + n),
                new LineTo(meet, top + n), new ArcTo(r, r, 0, cx, top, true, true), new ClosePath());
    }

    @Override
    protected void redraw() {
        super.redraw();
        EquipmentState shown = getSkinnable().getShownState();
        // Running is full, starting fills from below, stopping keeps the top: a half fill without any colour.
        double extra = 2;
        double left = cx - r - extra;
        double width = (NOZZLE_REACH + 1) * r + 2 * extra;
        switch (shown) {
            case RUNNING -> clip(left, cy - r - extra, width, 2 * r + 2 * extra);
            case STARTING -> clip(left, cy, width, r + extra);
            case STOPPING -> clip(left, cy - r - extra, width, r + extra);
            default -> clip(0, 0, 0, 0);
        }
        fill.setVisible(shown == EquipmentState.RUNNING || shown == EquipmentState.STARTING
                || shown == EquipmentState.STOPPING);
        boolean tripped = shown == EquipmentState.TRIPPED;
        tripBox.setVisible(tripped);
        tripText.setVisible(tripped);
        tripText.setX(Math.round(PAD + 0.5 + (TRIP_BOX - width(tripText)) / 2));
        boolean unknown = shown == EquipmentState.UNKNOWN;
        unknownText.setVisible(unknown);
        unknownText.setX(Math.round(cx - width(unknownText) / 2));
        unknownText.setY(cy);
        label.setX(Math.round(cx - width(label) / 2));
    }

    private void clip(double x, double y, double w, double h) {
        fillClip.setX(x);
        fillClip.setY(y);
        fillClip.setWidth(w);
        fillClip.setHeight(h);
    }

    @Override
    protected double computePrefWidth(double height, double top, double right, double bottom, double left) {
        return Math.max(84, 2 * PAD + width(label) + 4);
    }

    @Override
    protected double computePrefHeight(double width, double top, double right, double bottom, double left) {
        return 76;
    }
}
