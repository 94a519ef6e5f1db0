package dev.stator.runtime.project;

import java.util.HashMap;
import java.util.Map;

/**
 * Where each endpoint, device, tag and scan group and each of their keys were written in the project file, so that
 * problems found after loading (a driver refusing an option) still point at a line.
 */
public final class SourceMap {

    private final String file;
    private final Map<String, Integer> ownerLines = new HashMap<>();
    private final Map<String, Integer> keyLines = new HashMap<>();

    SourceMap(String file) {
        this.file = file;
    }

    void put(String owner, int line) {
        ownerLines.put(owner, line);
    }

    void put(String owner, String key, int line) {
        keyLines.put(owner + "\u0000" + key, line);
    }

    /** The file as named in messages. */
    public String file() {
        return file;
    }

    /** The 1-based line of {@code owner}'s {@code key}, else of {@code owner}, else 0. */
    public int line(String owner, String key) {
        Integer line = key == null ? null : keyLines.get(owner + "\u0000" + key);
        if (line == null) {
            line = ownerLines.get(owner);
        }
        return line == null ? 0 : line;
    }

    /** {@code project.yaml line 12: owner: message}. */
    public String describe(String owner, String key, String message) {
        int line = line(owner, key);
        return file + (line > 0 ? " line " + line : "") + ": " + owner + ": " + message;
    }
}
