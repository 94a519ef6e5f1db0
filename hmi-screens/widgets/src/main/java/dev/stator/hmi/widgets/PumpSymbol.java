package dev.stator.hmi.widgets;

import javafx.beans.property.ObjectProperty;
import javafx.css.PseudoClass;
import javafx.scene.control.Skin;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * A centrifugal pump (a circle with a tangential discharge) showing its {@link EquipmentState} the ISA-101 way, with
 * no colour while things are normal: running filled dark grey, stopped hollow, starting and stopping half filled,
 * tripped hollow with a small alarm box "T", unknown a magenta outline with "?". When the quality is Bad or there is
 * no value yet the state is not known, so the pump shows {@link EquipmentState#UNKNOWN} whatever the last state was.
 * The label goes under the symbol.
 *
 * <p>Style class {@code pump-symbol}, pseudo-classes {@code :running}, {@code :stopped}, {@code :starting},
 * {@code :stopping}, {@code :tripped}, {@code :unknown} for the state shown; parts {@code .pump-body},
 * {@code .pump-fill}, {@code .trip-marker}, {@code .unknown-marker}, {@code .widget-label}.
 *
 * <p>Threading: create anywhere; once showing, read and change only on the JavaFX Application Thread.
 */
public class PumpSymbol extends QualityWidget {

    private static final Map<EquipmentState, PseudoClass> STATE_CLASSES = new EnumMap<>(EquipmentState.class);

    static {
        for (EquipmentState s : EquipmentState.values()) {
            STATE_CLASSES.put(s, PseudoClass.getPseudoClass(s.name().toLowerCase(Locale.ROOT)));
        }
    }

    private final ObjectProperty<EquipmentState> state =
            newObject("state", EquipmentState.UNKNOWN, this::updateShownState);

    /** A pump in state unknown, no value yet. Any thread, before showing. */
    public PumpSymbol() {
        super("pump-symbol");
        updateShownState();
    }

    /** A pump labelled {@code label}, no value yet. Any thread, before showing. */
    public PumpSymbol(String label) {
        this();
        setLabel(label);
    }

    @Override
    protected Skin<?> createDefaultSkin() {
        return new PumpSymbolSkin(this);
    }

    @Override
    protected boolean hasValue() {
        return getState() != null;
    }

    /**
     * The state the symbol shows: {@link #stateProperty() state}, or UNKNOWN when the quality is Bad, there is no
     * value yet, or the state is null. FX thread.
     */
    public final EquipmentState getShownState() {
        if (!showsValue() || getQuality().isBad()) {
            return EquipmentState.UNKNOWN;
        }
        return getState();
    }

    @Override
    protected void qualityChanged() {
        updateShownState();
    }

    private void updateShownState() {
        updateQualityState();
        EquipmentState shown = getShownState();
        STATE_CLASSES.forEach((s, pc) -> pseudoClassStateChanged(pc, s == shown));
    }

    /** The pump's state as reported; default UNKNOWN. FX thread. */
    public final ObjectProperty<EquipmentState> stateProperty() {
        return state;
    }

    public final EquipmentState getState() {
        return state.get();
    }

    public final void setState(EquipmentState v) {
        state.set(v);
    }
}
