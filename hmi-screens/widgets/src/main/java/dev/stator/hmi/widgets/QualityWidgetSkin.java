package dev.stator.hmi.widgets;

import javafx.geometry.VPos;
import javafx.scene.Node;
import javafx.scene.control.SkinBase;
import javafx.scene.shape.Rectangle;
import javafx.scene.text.Text;

import java.util.ArrayList;
import java.util.List;

/**
 * The common part of every widget skin: the quality outline, the quality marker and the label, and the lifecycle
 * the skins follow (initGraphics, registerListeners, resize, redraw, dispose).
 *
 * <p>Every part is unmanaged and placed by the skin itself: a value change then redraws this widget only, instead of
 * asking every parent up to the screen's root for a new layout. That keeps hundreds of widgets on a screen cheap.
 *
 * <p>Threading: JavaFX Application Thread only, like every skin.
 *
 * @param <C> the widget
 */
public abstract class QualityWidgetSkin<C extends QualityWidget> extends SkinBase<C> {

    /** Space between the widget's edge and its content; the quality outline runs inside it. */
    protected static final double PAD = 4;

    final Rectangle frame = part(new Rectangle(), "quality-frame");
    final QualityMarker marker = new QualityMarker();
    final Text label = text("widget-label");
    private final List<Node> parts = new ArrayList<>();

    /** Creates the common parts; a subclass constructor then calls initGraphics and registerListeners. FX thread. */
    protected QualityWidgetSkin(C control) {
        super(control);
        frame.setArcWidth(6);
        frame.setArcHeight(6);
        frame.setMouseTransparent(true);
    }

    /** Creates the widget's own parts and adds them with {@link #setParts}. */
    protected abstract void initGraphics();

    /** Redraws on every property change that the skin shows; subclasses add theirs and call this. */
    protected void registerListeners() {
        registerInvalidationListener(getSkinnable().qualityProperty(), o -> redraw());
        registerInvalidationListener(getSkinnable().labelProperty(), o -> redraw());
    }

    /** Places everything that depends on the widget's size; called on every layout pass that changed it. */
    protected abstract void resize(double width, double height);

    /** Brings texts, visibility and value-dependent positions up to date; cheap, called on every change. */
    protected void redraw() {
        QualityLook look = getSkinnable().qualityLook();
        frame.setVisible(look != QualityLook.GOOD);
        marker.show(look);
        label.setText(getSkinnable().getLabel());
    }

    /**
     * Cuts the label off at {@code right} when it would run into the value; the value matters more. A clip is set
     * only while needed.
     */
    protected final void fitLabel(double right) {
        double room = right - label.getX();
        if (width(label) <= room) {
            label.setClip(null);
            return;
        }
        Rectangle clip = label.getClip() instanceof Rectangle r ? r : new Rectangle();
        clip.setX(label.getX());
        clip.setY(label.getY() - 2 * ascent(label));
        clip.setWidth(Math.max(0, room));
        clip.setHeight(4 * ascent(label));
        label.setClip(clip);
    }

    /** The frame below every part, the marker above. */
    protected final void setParts(Node... parts) {
        this.parts.clear();
        this.parts.add(frame);
        this.parts.addAll(List.of(parts));
        this.parts.add(marker);
        getChildren().setAll(this.parts);
    }

    @Override
    protected void layoutChildren(double x, double y, double w, double h) {
        double width = getSkinnable().getWidth();
        double height = getSkinnable().getHeight();
        frame.setX(0.75);
        frame.setY(0.75);
        frame.setWidth(Math.max(0, width - 1.5));
        frame.setHeight(Math.max(0, height - 1.5));
        resize(width, height);
        redraw();
    }

    // Parts are placed by hand, so a widget's minimum is small and its maximum open: layouts may stretch it.

    @Override
    protected double computeMinWidth(double height, double top, double right, double bottom, double left) {
        return 24;
    }

    @Override
    protected double computeMinHeight(double width, double top, double right, double bottom, double left) {
        return 16;
    }

    @Override
    protected double computeMaxWidth(double height, double top, double right, double bottom, double left) {
        return Double.MAX_VALUE;
    }

    @Override
    protected double computeMaxHeight(double width, double top, double right, double bottom, double left) {
        return Double.MAX_VALUE;
    }

    /**
     * Listeners registered through the skin go with it, and so do its own parts; only its own, since a replacing
     * skin may already have added its parts when this one is disposed.
     */
    @Override
    public void dispose() {
        if (getSkinnable() == null) {
            return;
        }
        getChildren().removeAll(parts);
        super.dispose();
    }

    /** Width of a text as it is drawn now. */
    static double width(Text t) {
        return t.getText() == null || t.getText().isEmpty() ? 0 : t.getLayoutBounds().getWidth();
    }

    /** Height of one line of a text, whatever it says. */
    static double lineHeight(Text t) {
        return Math.ceil(t.getFont().getSize() * 1.25);
    }

    /** Distance from the top of a line of the text to its baseline. */
    static double ascent(Text t) {
        return Math.ceil(t.getFont().getSize());
    }

    static Text text(String styleClass) {
        Text t = new Text();
        t.setTextOrigin(VPos.BASELINE);
        return part(t, styleClass);
    }

    static <T extends Node> T part(T node, String styleClass) {
        node.getStyleClass().add(styleClass);
        node.setManaged(false);
        return node;
    }
}
