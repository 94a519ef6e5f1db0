package dev.stator.runtime;

import dev.stator.driver.api.TagValue;
import dev.stator.runtime.project.TagSpec;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The live state of one tag: its latest reading and the last Good one (whose age tells an operator how stale a Bad
 * tag's last known value is). Written by acquisition threads, read from anywhere.
 */
public final class TagState {

    private final TagSpec spec;
    /**
     * Written with release and read with acquire semantics (see {@link #VALUE}): a reader sees a complete reading
     * and the {@link #lastGood} written before it, without the full fence of a volatile store on every reading.
     */
    @SuppressWarnings("unused") // accessed through VALUE
    private TagValue value = TagValue.NO_VALUE_YET;
    /** Written before {@link #value}, whose release store publishes it. */
    private TagValue lastGood;

    private static final VarHandle VALUE;

    static {
        try {
            VALUE = MethodHandles.lookup().findVarHandle(TagState.class, "value", TagValue.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
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
        return (TagValue) VALUE.getAcquire(this);
    }

    /** The last Good reading with a value, or {@code null} if there never was one. */
    public TagValue lastGood() {
        TagValue v = value(); // the acquire read makes the lastGood written before it visible
        return v.hasValue() && v.quality().isGood() ? v : lastGood;
    }

    /** Called by one acquisition thread at a time for a tag (drivers deliver a tag's readings in order). */
    void set(TagValue v) {
        if (v.hasValue() && v.quality().isGood()) {
            lastGood = v;
        }
        VALUE.setRelease(this, v);
    }
}
