package dev.stator.runtime;

import dev.stator.driver.api.TagValue;
import dev.stator.runtime.project.TagSpec;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;

/**
 * The latest value of every tag of the project. Acquisition threads {@link #update} it; the UI throttle collects what
 * changed with {@link #drainChanged} (each changed tag once, however often it changed), so screens get one batched
 * update per pulse rather than one per reading.
 */
public final class TagTable {

    private final Map<String, TagState> byName = new LinkedHashMap<>();
    private final List<TagState> ordered;
    private final ConcurrentLinkedQueue<TagState> changed = new ConcurrentLinkedQueue<>();

    public TagTable(List<TagSpec> tags) {
        for (TagSpec t : tags) {
            byName.put(t.name(), new TagState(t));
        }
        ordered = Collections.unmodifiableList(new ArrayList<>(byName.values()));
    }

    /** The tag named {@code name}, or {@code null}. */
    public TagState get(String name) {
        return byName.get(name);
    }

    /** Every tag, in project order. */
    public List<TagState> all() {
        return ordered;
    }

    public int size() {
        return ordered.size();
    }

    /** Stores a reading; called on acquisition threads, never blocks. Unknown names are ignored. */
    public void update(String name, TagValue value) {
        TagState state = byName.get(name);
        if (state != null) {
            update(state, value);
        }
    }

    /** Stores a reading of a tag of this table, found beforehand (no lookup: the acquisition hot path). */
    public void update(TagState state, TagValue value) {
        state.set(value);
        // A plain read first: most updates find the tag already queued, and a failed CAS costs more.
        if (!state.queued.get() && state.queued.compareAndSet(false, true)) {
            changed.add(state);
        }
    }

    /**
     * Hands each tag that changed since the last call to {@code consumer}, once. For a single consumer: the UI
     * throttle's thread.
     *
     * @return how many tags changed
     */
    public int drainChanged(Consumer<TagState> consumer) {
        int n = 0;
        TagState s;
        while ((s = changed.poll()) != null) {
            // Clear first: a reading arriving while the consumer runs queues the tag again rather than being lost.
            s.queued.set(false);
            consumer.accept(s);
            n++;
        }
        return n;
    }
}
