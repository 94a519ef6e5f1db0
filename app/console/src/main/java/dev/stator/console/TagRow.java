package dev.stator.console;

import dev.stator.driver.api.Quality;
import dev.stator.driver.api.TagValue;
import dev.stator.runtime.TagState;
import dev.stator.runtime.ValueFormat;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

import java.time.Instant;

/** One line of the tag browser: the tag's texts as an operator reads them. FX thread only. */
public final class TagRow {

    private final TagState tag;
    private final ValueFormat format;
    private final ReadOnlyStringWrapper value = new ReadOnlyStringWrapper(this, "value");
    private final ReadOnlyObjectWrapper<Quality> quality = new ReadOnlyObjectWrapper<>(this, "quality");
    private final ReadOnlyStringWrapper qualityText = new ReadOnlyStringWrapper(this, "qualityText");
    private final ReadOnlyStringWrapper time = new ReadOnlyStringWrapper(this, "time");
    private final ReadOnlyStringWrapper lastGood = new ReadOnlyStringWrapper(this, "lastGood");

    TagRow(TagState tag, ValueFormat format) {
        this.tag = tag;
        this.format = format;
        refresh(Instant.now());
    }

    /** Reads the tag's latest state into the row's properties. */
    void refresh(Instant now) {
        TagValue v = tag.value();
        value.set(format.value(tag.spec(), v));
        quality.set(v.quality());
        qualityText.set(v.isNoValueYet() ? "No value yet" : v.detail() == null ? v.quality().name()
                : v.quality().name() + ": " + v.detail());
        time.set(format.time(v.sourceTime()));
        TagValue good = tag.lastGood();
        if (v.quality().isGood() || good == null) {
            lastGood.set("");
        } else {
            lastGood.set(format.valueWithUnits(tag.spec(), good) + ", " + ValueFormat.age(good.sourceTime(), now)
                    + " ago");
        }
    }

    public TagState tag() {
        return tag;
    }

    public String getName() {
        return tag.name();
    }

    public String getDescription() {
        return tag.spec().definition().description();
    }

    public String getUnits() {
        return tag.spec().definition().units();
    }

    public ReadOnlyStringProperty valueProperty() {
        return value.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<Quality> qualityProperty() {
        return quality.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty qualityTextProperty() {
        return qualityText.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty timeProperty() {
        return time.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty lastGoodProperty() {
        return lastGood.getReadOnlyProperty();
    }
}
