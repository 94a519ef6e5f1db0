package dev.stator.console;

import dev.stator.driver.api.DataType;
import dev.stator.driver.api.EngineeringRange;
import dev.stator.driver.api.TagValue;
import dev.stator.hmi.widgets.AnalogIndicator;
import dev.stator.hmi.widgets.NumericWidget;
import dev.stator.hmi.widgets.QualityWidget;
import dev.stator.hmi.widgets.StateIndicator;
import dev.stator.hmi.widgets.ValueDisplay;
import dev.stator.runtime.TagState;
import dev.stator.runtime.ValueFormat;
import dev.stator.runtime.project.TagSpec;

/**
 * One widget showing one tag: builds the widget that suits the tag (an analog indicator over its engineering range, a
 * numeric readout, a state lamp) and copies each new reading into it. A reading without a value shows the last good
 * value, marked stale, so the operator still sees what was last known. FX thread only.
 */
final class WidgetBinding {

    private final TagState tag;
    private final QualityWidget widget;

    private WidgetBinding(TagState tag, QualityWidget widget) {
        this.tag = tag;
        this.widget = widget;
        refresh();
    }

    /** A binding for {@code tag}, or {@code null} for tags no widget shows yet (text, arrays). */
    static WidgetBinding of(TagState tag) {
        TagSpec spec = tag.spec();
        DataType type = spec.definition().dataType();
        String label = spec.name();
        if (type == DataType.BOOL) {
            StateIndicator s = new StateIndicator(label, "ON", "OFF", null);
            return new WidgetBinding(tag, s);
        }
        if (!type.isNumeric() || spec.address().format().contains("[")) {
            return null;
        }
        EngineeringRange range = spec.definition().range();
        NumericWidget w;
        if (range != null) {
            w = new AnalogIndicator(label, range.low(), range.high(), spec.definition().units());
        } else {
            w = new ValueDisplay(label, spec.definition().units(), 0);
        }
        w.setDecimals(type.isFloatingPoint() || range != null ? ValueFormat.decimals(spec) : 0);
        return new WidgetBinding(tag, w);
    }

    QualityWidget widget() {
        return widget;
    }

    TagState tag() {
        return tag;
    }

    /** Copies the tag's latest reading into the widget. */
    void refresh() {
        TagValue v = tag.value();
        TagValue shown = v.hasValue() ? v : tag.lastGood();
        widget.setQuality(v.isNoValueYet() ? null : v.quality());
        if (widget instanceof NumericWidget n) {
            n.setValue(shown == null ? Double.NaN : shown.asDouble());
        } else if (widget instanceof StateIndicator s) {
            s.setState(shown == null || !(shown.value() instanceof Boolean b) ? null : b);
        }
    }
}
