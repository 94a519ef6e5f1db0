package dev.stator.hmi.widgets;

import dev.stator.driver.api.Quality;
import javafx.application.Platform;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.css.PseudoClass;
import javafx.scene.Scene;
import javafx.scene.control.Control;
import javafx.stage.Window;

import java.net.URL;
import java.util.Objects;

/**
 * A high-performance HMI widget (ISA-101) that shows the {@link Quality} of what it displays: Good unmarked,
 * Uncertain with a dark amber outline and a "?" marker, Bad with a magenta outline and a cross marker, the value
 * replaced by the last value greyed with "(stale)" or by "—" when there is none. A {@code null} quality means no value
 * yet and is shown like Bad with "—".
 *
 * <p>CSS: every widget has the style class {@code stator-widget} and the pseudo-classes {@code :uncertain},
 * {@code :bad} (also for no value yet), {@code :no-value} (nothing to show) and {@code :stale} (Bad, showing the last
 * value). Looked-up colours are defined in {@code widgets.css}, the user agent stylesheet of every widget.
 *
 * <p>Threading: like every JavaFX node, a widget is created anywhere but, once in a showing window, is read and
 * changed only on the JavaFX Application Thread. A change from another thread while showing fails fast with an
 * {@link IllegalStateException} rather than corrupting the scene graph.
 */
public abstract class QualityWidget extends Control {

    static final PseudoClass UNCERTAIN = PseudoClass.getPseudoClass("uncertain");
    static final PseudoClass BAD = PseudoClass.getPseudoClass("bad");
    static final PseudoClass NO_VALUE = PseudoClass.getPseudoClass("no-value");
    static final PseudoClass STALE = PseudoClass.getPseudoClass("stale");

    private static final String STYLESHEET = stylesheet();

    private final ObjectProperty<Quality> quality = newObject("quality", null, this::qualityChanged);
    private final StringProperty label = newString("label", "");

    /** Called by subclasses with their own style class; on any thread, before the widget is shown. */
    protected QualityWidget(String styleClass) {
        getStyleClass().setAll("stator-widget", styleClass);
        // Operators read these; keyboard focus belongs to the controls they act on.
        setFocusTraversable(false);
        // Subclass fields are not set yet, so start from "no value yet" without asking hasValue().
        pseudoClassStateChanged(BAD, true);
        pseudoClassStateChanged(NO_VALUE, true);
    }

    private static String stylesheet() {
        URL css = Objects.requireNonNull(QualityWidget.class.getResource("widgets.css"), "widgets.css");
        return css.toExternalForm();
    }

    /** The widgets' own stylesheet; author stylesheets (a screen's, the console's) override it. */
    @Override
    public String getUserAgentStylesheet() {
        return STYLESHEET;
    }

    /** True when the widget has a value to show, whatever its quality. */
    protected abstract boolean hasValue();

    /** How the quality is marked. FX thread. */
    QualityLook qualityLook() {
        return QualityLook.of(getQuality());
    }

    /** True when there is a value to show: one is set and the quality is known (not "no value yet"). FX thread. */
    final boolean showsValue() {
        return getQuality() != null && hasValue();
    }

    /** True when the value shown is the last one before the quality went Bad. FX thread. */
    final boolean isStale() {
        return showsValue() && getQuality().isBad();
    }

    /** Called on every quality change; subclasses that derive more state from the quality extend it. FX thread. */
    protected void qualityChanged() {
        updateQualityState();
    }

    /** Sets the quality pseudo-classes from the quality and {@link #hasValue()}; call on a value change. FX thread. */
    protected final void updateQualityState() {
        QualityLook look = qualityLook();
        pseudoClassStateChanged(UNCERTAIN, look == QualityLook.UNCERTAIN);
        pseudoClassStateChanged(BAD, look == QualityLook.BAD);
        pseudoClassStateChanged(NO_VALUE, !showsValue());
        pseudoClassStateChanged(STALE, isStale());
    }

    /**
     * Fails when called off the JavaFX Application Thread while the widget is in a showing window. Property
     * setters call it, so that a runtime binding that forgot {@code Platform.runLater} is found at once.
     */
    protected final void checkFxThread() {
        if (Platform.isFxApplicationThread()) {
            return;
        }
        Scene scene = getScene();
        Window window = scene == null ? null : scene.getWindow();
        if (window != null && window.isShowing()) {
            throw new IllegalStateException(getClass().getSimpleName() + " '" + getLabel()
                    + "' changed off the JavaFX Application Thread while showing; post the change to that thread");
        }
    }

    // Property factories for subclasses: each change is checked for the FX thread, then runs an optional action.
    // Any thread may create them (in field initialisers); the checks apply once the widget shows.

    /** A double property that checks the thread and then runs {@code onChange} (may be null). */
    protected final DoubleProperty newDouble(String name, double initial, Runnable onChange) {
        return new SimpleDoubleProperty(this, name, initial) {
            @Override
            protected void invalidated() {
                changed(onChange);
            }
        };
    }

    /** A double property that checks the thread. */
    protected final DoubleProperty newDouble(String name, double initial) {
        return newDouble(name, initial, null);
    }

    /** An int property that checks the thread. */
    protected final IntegerProperty newInteger(String name, int initial) {
        return new SimpleIntegerProperty(this, name, initial) {
            @Override
            protected void invalidated() {
                changed(null);
            }
        };
    }

    /** A string property that checks the thread. */
    protected final StringProperty newString(String name, String initial) {
        return new SimpleStringProperty(this, name, initial) {
            @Override
            protected void invalidated() {
                changed(null);
            }
        };
    }

    /** An object property that checks the thread and then runs {@code onChange} (may be null). */
    protected final <T> ObjectProperty<T> newObject(String name, T initial, Runnable onChange) {
        return new SimpleObjectProperty<>(this, name, initial) {
            @Override
            protected void invalidated() {
                changed(onChange);
            }
        };
    }

    private void changed(Runnable onChange) {
        checkFxThread();
        if (onChange != null) {
            onChange.run();
        }
    }

    /**
     * The quality of the value shown; {@code null} (the default) means no value yet. Only the family matters to the
     * look (Good, Uncertain, Bad); the name is for tooltips and details. FX thread.
     */
    public final ObjectProperty<Quality> qualityProperty() {
        return quality;
    }

    public final Quality getQuality() {
        return quality.get();
    }

    public final void setQuality(Quality value) {
        quality.set(value);
    }

    /** The widget's label: a tag or equipment name such as "LT-101"; empty shows none. FX thread. */
    public final StringProperty labelProperty() {
        return label;
    }

    public final String getLabel() {
        return label.get();
    }

    public final void setLabel(String value) {
        label.set(value);
    }
}
