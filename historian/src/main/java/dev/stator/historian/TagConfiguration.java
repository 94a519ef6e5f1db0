package dev.stator.historian;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The settings callers gave per tag, read by the store thread when it next looks. Thread-safe.
 */
final class TagConfiguration {

    private final Map<String, TagHistorySettings> settings = new ConcurrentHashMap<>();
    private final AtomicLong version = new AtomicLong();

    void put(String tag, TagHistorySettings value) {
        settings.put(tag, value);
        version.incrementAndGet();
    }

    TagHistorySettings get(String tag) {
        return settings.getOrDefault(tag, TagHistorySettings.LOSSLESS);
    }

    boolean isConfigured(String tag) {
        return settings.containsKey(tag);
    }

    Map<String, TagHistorySettings> all() {
        return settings;
    }

    long version() {
        return version.get();
    }
}
