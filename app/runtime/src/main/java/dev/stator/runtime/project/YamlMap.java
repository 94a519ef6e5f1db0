package dev.stator.runtime.project;

import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A YAML mapping read with its line numbers, for the project loader. Reading a key that has the wrong shape adds a
 * problem naming the file, line and owner instead of throwing, so that one load reports every mistake.
 */
final class YamlMap {

    private final String file;
    private final String owner;
    private final int line;
    private final Map<String, NodeTuple> entries = new LinkedHashMap<>();
    private final List<String> problems;

    private YamlMap(String file, String owner, MappingNode node, List<String> problems) {
        this.file = file;
        this.owner = owner;
        this.line = lineOf(node);
        this.problems = problems;
        for (NodeTuple t : node.getValue()) {
            if (!(t.getKeyNode() instanceof ScalarNode key)) {
                problem(lineOf(t.getKeyNode()), "a key must be a plain name");
                continue;
            }
            if (entries.putIfAbsent(key.getValue(), t) != null) {
                problem(lineOf(key), "'" + key.getValue() + "' is given twice");
            }
        }
    }

    private YamlMap(YamlMap other, String owner) {
        this.file = other.file;
        this.owner = owner;
        this.line = other.line;
        this.problems = other.problems;
        this.entries.putAll(other.entries);
    }

    /** The same mapping, named differently in messages (once its name is known). */
    YamlMap as(String newOwner) {
        return new YamlMap(this, newOwner);
    }

    /** Wraps {@code node} if it is a mapping; otherwise records a problem and returns null. */
    static YamlMap of(String file, String owner, Node node, List<String> problems) {
        if (node instanceof MappingNode m) {
            return new YamlMap(file, owner, m, problems);
        }
        problems.add(file + " line " + lineOf(node) + ": " + (owner.isEmpty() ? "" : owner + ": ")
                + "expected a mapping of keys to values");
        return null;
    }

    static int lineOf(Node node) {
        return node.getStartMark().map(m -> m.getLine() + 1).orElse(0);
    }

    String owner() {
        return owner;
    }

    int line() {
        return line;
    }

    /** The line of {@code key}'s value, or of the mapping when the key is absent. */
    int line(String key) {
        NodeTuple t = entries.get(key);
        return t == null ? line : lineOf(t.getValueNode());
    }

    Set<String> keys() {
        return entries.keySet();
    }

    boolean has(String key) {
        return entries.containsKey(key);
    }

    Node node(String key) {
        NodeTuple t = entries.get(key);
        return t == null ? null : t.getValueNode();
    }

    void problem(int atLine, String message) {
        problems.add(file + " line " + atLine + ": " + (owner.isEmpty() ? "" : owner + ": ") + message);
    }

    /** Records every key not in {@code known} as a problem, listing the known ones. */
    void allowOnly(Set<String> known) {
        for (Map.Entry<String, NodeTuple> e : entries.entrySet()) {
            if (!known.contains(e.getKey())) {
                problem(lineOf(e.getValue().getKeyNode()), "unknown key '" + e.getKey() + "' (known: "
                        + String.join(", ", new TreeSet<>(known)) + ")");
            }
        }
    }

    /** The text of a scalar key, or {@code null} when absent. */
    String string(String key) {
        Node n = node(key);
        if (n == null) {
            return null;
        }
        if (n instanceof ScalarNode s) {
            return s.getValue();
        }
        problem(lineOf(n), "'" + key + "' must be a single value, not a list or mapping");
        return null;
    }

    String requireString(String key) {
        String s = string(key);
        if (s == null || s.isBlank()) {
            if (!has(key) || s != null) {
                problem(line(key), "'" + key + "' is required");
            }
            return null;
        }
        return s.trim();
    }

    Boolean bool(String key) {
        String s = string(key);
        if (s == null) {
            return null;
        }
        return switch (s.trim()) {
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            default -> {
                problem(line(key), "'" + key + "' must be true or false, not '" + s + "'");
                yield null;
            }
        };
    }

    Double number(String key) {
        String s = string(key);
        if (s == null) {
            return null;
        }
        try {
            return Double.parseDouble(s.trim());
        } catch (NumberFormatException e) {
            problem(line(key), "'" + key + "' must be a number, not '" + s + "'");
            return null;
        }
    }

    /** The items of a list-valued key: empty when absent; a problem when it is not a list. */
    List<Node> list(String key) {
        Node n = node(key);
        if (n == null) {
            return List.of();
        }
        if (n instanceof SequenceNode s) {
            return s.getValue();
        }
        problem(lineOf(n), "'" + key + "' must be a list (items start with '- ')");
        return List.of();
    }

    /** Scalar entries other than {@code reserved}, as text, in file order: a driver's options. */
    Map<String, String> optionsExcept(Set<String> reserved) {
        Map<String, String> options = new LinkedHashMap<>();
        for (Map.Entry<String, NodeTuple> e : entries.entrySet()) {
            if (reserved.contains(e.getKey())) {
                continue;
            }
            if (e.getValue().getValueNode() instanceof ScalarNode s) {
                options.put(e.getKey(), s.getValue());
            } else {
                problem(lineOf(e.getValue().getValueNode()), "option '" + e.getKey() + "' must be a single value");
            }
        }
        return options;
    }

    /** Records the lines of this mapping and of its keys under {@code owner}. */
    void recordLines(SourceMap sources) {
        sources.put(owner, line);
        for (Map.Entry<String, NodeTuple> e : entries.entrySet()) {
            sources.put(owner, e.getKey(), lineOf(e.getValue().getKeyNode()));
        }
    }

    /** The scalar items of a list value, e.g. {@code range: [0, 4]}. */
    List<String> scalars(String key) {
        List<String> out = new ArrayList<>();
        for (Node n : list(key)) {
            if (n instanceof ScalarNode s) {
                out.add(s.getValue());
            } else {
                problem(lineOf(n), "'" + key + "' must list plain values");
            }
        }
        return out;
    }
}
