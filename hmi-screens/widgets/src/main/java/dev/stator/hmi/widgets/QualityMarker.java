package dev.stator.hmi.widgets;

import javafx.geometry.VPos;
import javafx.scene.layout.Region;
import javafx.scene.shape.LineTo;
import javafx.scene.shape.MoveTo;
import javafx.scene.shape.Path;
import javafx.scene.text.Text;

/**
 * The small square in a widget's corner that says its value is not Good: "?" for Uncertain, a cross for Bad and for
 * no value yet. Hidden while Good. Styled by the widget's pseudo-classes ({@code .quality-marker},
 * {@code .marker-text}, {@code .marker-cross}).
 */
final class QualityMarker extends Region {

    static final double SIZE = 13;

    private final Text question = new Text("?");
    private final Path cross = new Path();

    QualityMarker() {
        getStyleClass().add("quality-marker");
        question.getStyleClass().add("marker-text");
        question.setTextOrigin(VPos.CENTER);
        question.setManaged(false);
        cross.getStyleClass().add("marker-cross");
        cross.setManaged(false);
        getChildren().addAll(question, cross);
        setManaged(false);
        setVisible(false);
    }

    void show(QualityLook look) {
        setVisible(look != QualityLook.GOOD);
        question.setVisible(look == QualityLook.UNCERTAIN);
        cross.setVisible(look == QualityLook.BAD);
    }

    /** Sets the marker's top-left corner, at its fixed size. */
    void place(double x, double y) {
        resizeRelocate(Math.round(x), Math.round(y), SIZE, SIZE);
    }

    @Override
    protected void layoutChildren() {
        double w = getWidth();
        double h = getHeight();
        question.setX(Math.round((w - question.getLayoutBounds().getWidth()) / 2));
        question.setY(h / 2);
        double inset = Math.round(w * 0.28);
        cross.getElements().setAll(new MoveTo(inset, inset), new LineTo(w - inset, h - inset),
                new MoveTo(w - inset, inset), new LineTo(inset, h - inset));
    }
}
