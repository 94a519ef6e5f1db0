package dev.stator.hmi.widgets;

import javafx.geometry.Side;
import javafx.scene.shape.Polygon;

/** Small filled triangles: pointers and overflow markers. */
final class Arrows {

    private Arrows() {
    }

    /**
     * Makes {@code p} a triangle of {@code length} along the direction it points to and {@code width} across, with its
     * tip at {@code (tipX, tipY)}.
     */
    static void point(Polygon p, Side towards, double tipX, double tipY, double length, double width) {
        double half = width / 2;
        switch (towards) {
            case TOP -> p.getPoints().setAll(0.0, 0.0, -half, length, half, length);
            case BOTTOM -> p.getPoints().setAll(0.0, 0.0, -half, -length, half, -length);
            case LEFT -> p.getPoints().setAll(0.0, 0.0, length, -half, length, half);
            case RIGHT -> p.getPoints().setAll(0.0, 0.0, -length, -half, -length, half);
            default -> throw new IllegalArgumentException(String.valueOf(towards));
        }
        // The tip is the node's origin, so its position is where it points. A translation, not layoutX/Y: moving an
        // unmanaged node by layoutX/Y asks the widget's parent for a new layout, on every value change.
        p.setTranslateX(tipX);
        p.setTranslateY(tipY);
    }
}
