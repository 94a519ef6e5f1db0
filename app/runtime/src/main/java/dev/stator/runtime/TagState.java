package dev.stator.runtime;

import dev.stator.driver.api.TagValue;
import dev.stator.runtime.project.TagSpec;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The live state of one tag: its latest reading and the last Good one (whose age tells an operator how stale a Bad
 * tag's last known value is). Written by acquisition threads, read from anywhere.
 */
public final class TagState {

    private final TagSpec spec;
    private volatile TagValue value = TagValue.NO_VALUE_YET;
    /** Written before {@link #value}, whose volatile write publishes it: one volatile store per reading. */
    private TagValue lastGood;
    final AtomicBoolean queued = new AtomicBoolean();

    TagState(TagSpec spec) {
        this.spec = spec;
    }

    public TagSpec spec() {
        return spec;
    }

    public String name() {
        return spec.name();
    }

    /** The latest reading; {@link TagValue#NO_VALUE_YET} before the first. */
    public TagValue value() {
        return value;
    }

    /** The last Good reading with a value, or {@code null} if there never was one. */
    public TagValue lastGood() {
        TagValue v = value; // the volatile read makes the lastGood written before it visible
        return v.hasValue() && v.quality().isGood() ? v : lastGood;
    }

    void set(TagValue v) {
        if (v.hasValue() && v.quality().isGood()) {
            lastGood = v;
        }
        value = v;
    }
}
