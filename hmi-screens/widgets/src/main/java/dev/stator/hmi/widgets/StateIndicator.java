package dev.stator.hmi.widgets;

import javafx.beans.property.ObjectProperty;
import javafx.beans.property.StringProperty;
import javafx.css.PseudoClass;
import javafx.scene.control.Skin;

import java.util.Objects;

/**
 * A boolean state: a small square lamp and its text ({@link #onTextProperty() onText} or
 * {@link #offTextProperty() offText}), after an optional label. Normal states are grey (on filled, off hollow);
 * the state named by {@link #alarmWhenProperty() alarmWhen} is abnormal and lights the lamp in the alarm colour.
 * A stale (Bad quality) state is never shown as an alarm: it is greyed with "(stale)".
 *
 * <p>Style class {@code state-indicator}, pseudo-classes {@code :on}, {@code :off}, {@code :alarm}; parts
 * {@code .lamp}, {@code .value-text}, {@code .widget-label}.
 *
 * <p>Threading: create anywhere; once showing, read and change only on the JavaFX Application Thread.
 */
public class StateIndicator extends QualityWidget {

    static final PseudoClass ON = PseudoClass.getPseudoClass("on");
    static final PseudoClass OFF = PseudoClass.getPseudoClass("off");
    static final PseudoClass ALARM = PseudoClass.getPseudoClass("alarm");

    private final ObjectProperty<Boolean> state = newObject("state", null, this::updateState);
    private final StringProperty onText = newString("onText", "ON");
    private final StringProperty offText = newString("offText", "OFF");
    private final ObjectProperty<Boolean> alarmWhen = newObject("alarmWhen", null, this::updateState);

    /** An indicator with no state yet. Any thread, before showing. */
    public StateIndicator() {
        super("state-indicator");
    }

    /**
     * An indicator labelled {@code label} showing {@code onText} or {@code offText}, abnormal when the state equals
     * {@code alarmWhen} (null: neither). Any thread, before showing.
     */
    public StateIndicator(String label, String onText, String offText, Boolean alarmWhen) {
        this();
        setLabel(label);
        setOnText(onText);
        setOffText(offText);
        setAlarmWhen(alarmWhen);
    }

    @Override
    protected Skin<?> createDefaultSkin() {
        return new StateIndicatorSkin(this);
    }

    @Override
    protected boolean hasValue() {
        return getState() != null;
    }

    @Override
    protected void qualityChanged() {
        updateState();
    }

    private void updateState() {
        updateQualityState();
        boolean shows = showsValue();
        pseudoClassStateChanged(ON, shows && getState());
        pseudoClassStateChanged(OFF, shows && !getState());
        pseudoClassStateChanged(ALARM, isAlarm());
    }

    /** True when the state shown is the abnormal one and is current (not stale). FX thread. */
    public final boolean isAlarm() {
        return showsValue() && !isStale() && getAlarmWhen() != null && Objects.equals(getState(), getAlarmWhen());
    }

    /** The state text before the quality rules: onText or offText. */
    String formattedState() {
        return Boolean.TRUE.equals(getState()) ? getOnText() : getOffText();
    }

    /** The state; {@code null} (default) is unknown. FX thread. */
    public final ObjectProperty<Boolean> stateProperty() {
        return state;
    }

    public final Boolean getState() {
        return state.get();
    }

    public final void setState(Boolean v) {
        state.set(v);
    }

    /** The text shown for {@code true}; default "ON". FX thread. */
    public final StringProperty onTextProperty() {
        return onText;
    }

    public final String getOnText() {
        return onText.get();
    }

    public final void setOnText(String v) {
        onText.set(v);
    }

    /** The text shown for {@code false}; default "OFF". FX thread. */
    public final StringProperty offTextProperty() {
        return offText;
    }

    public final String getOffText() {
        return offText.get();
    }

    public final void setOffText(String v) {
        offText.set(v);
    }

    /** Which state is abnormal: {@code true}, {@code false}, or {@code null} (default) for neither. FX thread. */
    public final ObjectProperty<Boolean> alarmWhenProperty() {
        return alarmWhen;
    }

    public final Boolean getAlarmWhen() {
        return alarmWhen.get();
    }

    public final void setAlarmWhen(Boolean v) {
        alarmWhen.set(v);
    }
}
