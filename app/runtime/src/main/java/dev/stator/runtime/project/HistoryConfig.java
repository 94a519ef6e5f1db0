package dev.stator.runtime.project;

import dev.stator.driver.api.DataType;
import dev.stator.driver.api.Deadband;
import dev.stator.driver.api.EngineeringRange;
import dev.stator.driver.api.Options;
import dev.stator.historian.HistorianSettings;
import dev.stator.historian.Interpolation;
import dev.stator.historian.TagHistorySettings;
import dev.stator.historian.TagHistorySettings.Mode;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

/**
 * Reads the history settings of a project: the top-level {@code history:} section (retention, store-and-forward
 * cap, free disk floor) and a tag's {@code history:} key (how its readings are stored). Problems are added to the
 * load's list, each naming file and line.
 */
final class HistoryConfig {

    static final Set<String> PROJECT_KEYS = Set.of("retention", "journal-retention", "retention-check",
            "store-and-forward-cap", "disk-space-floor");
    static final Set<String> TAG_KEYS = Set.of("mode", "deadband", "deviation", "max-interval", "interpolation",
            "retention");
    private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(b|kb|kib|mb|mib|gb|gib|tb|tib)");

    private final String file;
    private final List<String> problems;

    HistoryConfig(String file, List<String> problems) {
        this.file = file;
        this.problems = problems;
    }

    /** The historian's settings from the project's {@code history:} section; the defaults where it says nothing. */
    HistorianSettings project(YamlMap root) {
        HistorianSettings settings = HistorianSettings.defaults();
        if (!root.has("history")) {
            return settings;
        }
        YamlMap m = YamlMap.of(file, "history", root.node("history"), problems);
        if (m == null) {
            return settings;
        }
        m.allowOnly(PROJECT_KEYS);
        Duration retention = duration(m, "retention");
        Duration check = duration(m, "retention-check");
        if (retention != null || check != null) {
            settings = settings.withRetention(retention, check == null ? settings.retentionInterval() : check);
        }
        if (m.has("journal-retention")) {
            String text = m.string("journal-retention");
            if (text != null && text.trim().equals("forever")) {
                settings = settings.withJournalRetention(null);
            } else {
                Duration journal = duration(m, "journal-retention");
                if (journal != null) {
                    settings = settings.withJournalRetention(journal);
                }
            }
        }
        Long cap = size(m, "store-and-forward-cap");
        if (cap != null) {
            if (cap < 1 << 20) {
                m.problem(m.line("store-and-forward-cap"), "'store-and-forward-cap' must be at least 1MiB");
            } else {
                settings = settings.withStoreAndForwardCap(cap);
            }
        }
        Long floor = size(m, "disk-space-floor");
        if (floor != null) {
            settings = settings.withDiskSpaceFloor(floor);
        }
        return settings;
    }

    /**
     * A tag's history settings: {@code history: on-change} (a mode alone) or a mapping such as
     * {@code history: {mode: deadband, deadband: 0.5%, max-interval: 10m, retention: 90d}}. Without the key: every
     * reading stored, interpolated linearly for numbers and as steps for booleans and text.
     */
    TagHistorySettings tag(YamlMap t, DataType type, EngineeringRange range) {
        Interpolation natural = type.isNumeric() ? Interpolation.LINEAR : Interpolation.STEP;
        if (!t.has("history")) {
            return TagHistorySettings.LOSSLESS.withInterpolation(natural);
        }
        Node node = t.node("history");
        YamlMap m = null;
        String modeText;
        if (node instanceof ScalarNode s) {
            modeText = s.getValue();
        } else {
            m = YamlMap.of(file, t.owner() + ": history", node, problems);
            if (m == null) {
                return null;
            }
            m.allowOnly(TAG_KEYS);
            modeText = m.string("mode");
            if (modeText == null) {
                modeText = m.has("deadband") ? "deadband" : m.has("deviation") ? "swinging-door" : "lossless";
            }
        }
        int line = m == null ? t.line("history") : m.has("mode") ? m.line("mode") : m.line();
        Mode mode = mode(modeText);
        if (mode == null) {
            t.problem(line, "history mode '" + modeText + "' is not known (write lossless, on-change, deadband "
                    + "or swinging-door)");
            return null;
        }
        if (mode != Mode.LOSSLESS && mode != Mode.ON_CHANGE && !type.isNumeric()) {
            t.problem(line, "a " + type + " tag cannot use the " + modeText + " history mode (use lossless or "
                    + "on-change)");
            return null;
        }
        Deadband deadband = m == null ? null : band(m, "deadband", range);
        Deadband deviation = m == null ? null : band(m, "deviation", range);
        if (mode == Mode.DEADBAND && deadband == null) {
            if (m == null || !m.has("deadband")) {
                t.problem(line, "the deadband history mode needs 'deadband:', e.g. 0.5 or 0.5%");
            }
            return null;
        }
        if (mode == Mode.SWINGING_DOOR && deviation == null) {
            if (m == null || !m.has("deviation")) {
                t.problem(line, "the swinging-door history mode needs 'deviation:', e.g. 0.1 or 0.25%");
            }
            return null;
        }
        Duration maxInterval = m == null ? null : duration(m, "max-interval");
        Duration retention = m == null ? null : duration(m, "retention");
        Interpolation interpolation = mode == Mode.LOSSLESS || mode == Mode.SWINGING_DOOR ? natural
                : Interpolation.STEP;
        String interpolationText = m == null ? null : m.string("interpolation");
        if (interpolationText != null) {
            switch (interpolationText.trim().toLowerCase(Locale.ROOT)) {
                case "step" -> interpolation = Interpolation.STEP;
                case "linear" -> {
                    if (!type.isNumeric()) {
                        m.problem(m.line("interpolation"), "a " + type + " tag is interpolated as steps only");
                    }
                    interpolation = Interpolation.LINEAR;
                }
                default -> m.problem(m.line("interpolation"), "'interpolation' is step or linear, not '"
                        + interpolationText + "'");
            }
        }
        return new TagHistorySettings(mode, mode == Mode.DEADBAND ? deadband : null,
                mode == Mode.SWINGING_DOOR ? deviation : null, maxInterval, interpolation, retention, range);
    }

    private static Mode mode(String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "lossless" -> Mode.LOSSLESS;
            case "on-change" -> Mode.ON_CHANGE;
            case "deadband" -> Mode.DEADBAND;
            case "swinging-door" -> Mode.SWINGING_DOOR;
            default -> null;
        };
    }

    private static Deadband band(YamlMap m, String key, EngineeringRange range) {
        String text = m.string(key);
        if (text == null) {
            return null;
        }
        try {
            Deadband d = Deadband.parse(text);
            if (d.percent() && range == null) {
                m.problem(m.line(key), "a percent " + key + " is a percentage of the tag's range: give the tag a "
                        + "'range', or an absolute " + key);
                return null;
            }
            return d;
        } catch (IllegalArgumentException e) {
            m.problem(m.line(key), "'" + key + "': " + e.getMessage());
            return null;
        }
    }

    private static Duration duration(YamlMap m, String key) {
        String text = m.string(key);
        if (text == null) {
            return null;
        }
        try {
            Duration d = Options.parseDuration(text);
            if (d.isZero()) {
                m.problem(m.line(key), "'" + key + "' must be longer than 0");
                return null;
            }
            return d;
        } catch (IllegalArgumentException e) {
            m.problem(m.line(key), "'" + key + "': " + e.getMessage());
            return null;
        }
    }

    /** A size such as {@code 512MiB}, {@code 2GB} or {@code 1048576} (bytes). */
    private static Long size(YamlMap m, String key) {
        String text = m.string(key);
        if (text == null) {
            return null;
        }
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.matches("\\d+")) {
            return Long.parseLong(t);
        }
        Matcher x = SIZE.matcher(t);
        if (!x.matches()) {
            m.problem(m.line(key), "'" + key + "' is a size such as 512MiB or 2GB, not '" + text + "'");
            return null;
        }
        double unit = switch (x.group(2)) {
            case "b" -> 1;
            case "kb" -> 1e3;
            case "kib" -> 1024;
            case "mb" -> 1e6;
            case "mib" -> 1024 * 1024;
            case "gb" -> 1e9;
            case "gib" -> 1024.0 * 1024 * 1024;
            case "tb" -> 1e12;
            default -> 1024.0 * 1024 * 1024 * 1024;
        };
        return Math.round(Double.parseDouble(x.group(1)) * unit);
    }
}
