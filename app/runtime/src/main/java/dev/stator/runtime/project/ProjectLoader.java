package dev.stator.runtime.project;

import dev.stator.driver.api.AddressException;
import dev.stator.driver.api.DataType;
import dev.stator.driver.api.Deadband;
import dev.stator.driver.api.DriverProvider;
import dev.stator.driver.api.DriverRegistry;
import dev.stator.driver.api.EngineeringRange;
import dev.stator.driver.api.Options;
import dev.stator.driver.api.Scaling;
import dev.stator.driver.api.TagAddress;
import dev.stator.driver.api.TagDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.Node;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import dev.stator.historian.HistorianSettings;
import dev.stator.historian.TagHistorySettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads and checks a project folder's {@code project.yaml}. Every problem found is reported at once, each with the
 * file, the line and the thing at fault; nothing is started by loading. The format is described in the README.
 */
public final class ProjectLoader {

    private static final Logger LOG = LoggerFactory.getLogger(ProjectLoader.class);
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:/-]*");
    private static final Set<String> ROOT_KEYS = Set.of("format", "id", "name", "description", "simulator",
            "history", "scan-groups", "endpoints", "devices", "tags");
    private static final Set<String> ENDPOINT_RESERVED = Set.of("name", "driver", "description");
    private static final Set<String> DEVICE_RESERVED = Set.of("name", "endpoint", "description");
    private static final Set<String> TAG_KEYS = Set.of("name", "description", "device", "address", "units",
            "range", "scan-group", "writable", "decimals", "scaling", "deadband", "history");

    private final DriverRegistry drivers;

    public ProjectLoader(DriverRegistry drivers) {
        this.drivers = drivers;
    }

    /**
     * Loads the project in {@code folder}.
     *
     * @throws ProjectException listing every problem, each naming file and line
     */
    public Project load(Path folder) throws ProjectException {
        if (!Files.isDirectory(folder)) {
            throw new ProjectException("project folder '" + folder + "' does not exist (pass --project with a "
                    + "folder that holds a " + Project.FILE_NAME + ")");
        }
        Path file = folder.resolve(Project.FILE_NAME);
        if (!Files.isRegularFile(file)) {
            throw new ProjectException(file + ": not found; a project folder holds a " + Project.FILE_NAME);
        }
        String label = file.toString();
        Node root;
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            LoadSettings settings = LoadSettings.builder().setLabel(label).setAllowDuplicateKeys(true).build();
            Optional<Node> node = new Compose(settings).composeReader(reader);
            if (node.isEmpty()) {
                throw new ProjectException(label + ": the file is empty");
            }
            root = node.get();
        } catch (MarkedYamlEngineException e) {
            int line = e.getProblemMark().or(e::getContextMark).map(m -> m.getLine() + 1).orElse(0);
            String context = e.getContext() == null ? "" : " (" + e.getContext() + ")";
            throw new ProjectException(label + " line " + line + ": YAML syntax error: " + e.getProblem() + context);
        } catch (YamlEngineException e) {
            throw new ProjectException(label + ": YAML syntax error: " + e.getMessage());
        } catch (IOException e) {
            throw new ProjectException(label + ": cannot be read: " + e.getMessage());
        }
        return new Reading(label, folder).read(root);
    }

    /** The state of one load: the problems found so far and the source map. */
    private final class Reading {
        private final String file;
        private final Path folder;
        private final List<String> problems = new ArrayList<>();
        private final List<String> warnings = new ArrayList<>();
        private final SourceMap sources;
        private final HistoryConfig history;

        Reading(String file, Path folder) {
            this.file = file;
            this.folder = folder;
            this.sources = new SourceMap(file);
            this.history = new HistoryConfig(file, problems);
        }

        Project read(Node rootNode) throws ProjectException {
            YamlMap root = YamlMap.of(file, "", rootNode, problems);
            if (root == null) {
                throw new ProjectException(problems);
            }
            root.allowOnly(ROOT_KEYS);
            String format = root.string("format");
            if (format == null) {
                root.problem(1, "'format: " + Project.FORMAT + "' is missing at the top of the file");
            } else if (!format.trim().equals(String.valueOf(Project.FORMAT))) {
                root.problem(root.line("format"), "project format " + format + " is not known to this version "
                        + "of Stator (it reads format " + Project.FORMAT + ")");
            }
            String name = Optional.ofNullable(root.string("name")).orElse(folder.toAbsolutePath().normalize()
                    .getFileName().toString());
            String id = root.string("id");
            if (id == null) {
                id = slug(name);
            } else if (!id.matches("[a-z0-9][a-z0-9_-]*")) {
                root.problem(root.line("id"), "'id' must be lower-case letters, digits, '-' and '_', not '"
                        + id + "'");
            }
            String description = Optional.ofNullable(root.string("description")).orElse("");
            SimulatorSpec simulator = simulator(root);
            HistorianSettings historySettings = history.project(root);
            List<ScanGroupSpec> groups = scanGroups(root);
            Map<String, EndpointSpec> endpoints = endpoints(root, simulator != null);
            Map<String, DeviceSpec> devices = devices(root, endpoints);
            List<TagSpec> tags = tags(root, groups, endpoints, devices);
            if (!problems.isEmpty()) {
                throw new ProjectException(problems);
            }
            warnings.forEach(w -> LOG.warn("{}", w));
            return new Project(folder, id, name, description, simulator, historySettings, groups,
                    List.copyOf(endpoints.values()), List.copyOf(devices.values()), tags, sources, warnings);
        }

        private SimulatorSpec simulator(YamlMap root) {
            if (!root.has("simulator")) {
                return null;
            }
            YamlMap m = YamlMap.of(file, "simulator", root.node("simulator"), problems);
            if (m == null) {
                return null;
            }
            m.allowOnly(Set.of("time-scale", "seed"));
            Double scale = m.number("time-scale");
            if (scale != null && !(scale > 0 && scale <= 3600)) {
                m.problem(m.line("time-scale"), "'time-scale' must be above 0 and at most 3600");
                scale = null;
            }
            Double seed = m.number("seed");
            return new SimulatorSpec(scale == null ? 1.0 : scale, seed == null ? 1L : seed.longValue());
        }

        private List<ScanGroupSpec> scanGroups(YamlMap root) {
            List<ScanGroupSpec> groups = new ArrayList<>();
            Map<String, Integer> seen = new HashMap<>();
            for (Node n : root.list("scan-groups")) {
                YamlMap m = YamlMap.of(file, "", n, problems);
                if (m == null) {
                    continue;
                }
                String name = name(m, seen, "scan group");
                m.allowOnly(Set.of("name", "rate"));
                String rate = m.requireString("rate");
                if (name == null || rate == null) {
                    continue;
                }
                try {
                    Duration d = Options.parseDuration(rate);
                    if (d.toMillis() < 10) {
                        m.problem(m.line("rate"), "scan group '" + name + "': rate " + rate
                                + " is too fast (at least 10ms)");
                        continue;
                    }
                    groups.add(new ScanGroupSpec(name, d));
                    sources.put("scan group '" + name + "'", m.line());
                } catch (IllegalArgumentException e) {
                    m.problem(m.line("rate"), "scan group '" + name + "': " + e.getMessage());
                }
            }
            return groups;
        }

        private Map<String, EndpointSpec> endpoints(YamlMap root, boolean hasSimulator) {
            Map<String, EndpointSpec> endpoints = new LinkedHashMap<>();
            Map<String, Integer> seen = new HashMap<>();
            for (Node n : root.list("endpoints")) {
                YamlMap m = YamlMap.of(file, "", n, problems);
                if (m == null) {
                    continue;
                }
                String name = name(m, seen, "endpoint");
                if (name == null) {
                    continue;
                }
                YamlMap owned = m.as("endpoint '" + name + "'");
                String driver = owned.string("driver");
                if (driver == null) {
                    problem(owned, "driver", "'driver' is required (known: " + known() + ")");
                    continue;
                }
                if (drivers.provider(driver.trim()) == null) {
                    problem(owned, "driver", "unknown driver '" + driver + "' (known: " + known() + ")");
                    continue;
                }
                Map<String, String> options = owned.optionsExcept(ENDPOINT_RESERVED);
                EndpointSpec spec = new EndpointSpec(name, driver.trim(), options);
                if (spec.usesSimulator() && !hasSimulator) {
                    String key = spec.usesSimulatorOpcUa() ? "url" : "host";
                    problem(owned, key, key + " 'simulator' means the built-in simulator, but the project has no "
                            + "'simulator:' section");
                }
                owned.recordLines(sources);
                endpoints.put(name, spec);
            }
            return endpoints;
        }

        private Map<String, DeviceSpec> devices(YamlMap root, Map<String, EndpointSpec> endpoints) {
            Map<String, DeviceSpec> devices = new LinkedHashMap<>();
            Map<String, Integer> seen = new HashMap<>();
            for (Node n : root.list("devices")) {
                YamlMap m = YamlMap.of(file, "", n, problems);
                if (m == null) {
                    continue;
                }
                String name = name(m, seen, "device");
                if (name == null) {
                    continue;
                }
                YamlMap owned = m.as("device '" + name + "'");
                String endpoint = owned.string("endpoint");
                if (endpoint == null) {
                    problem(owned, "endpoint", "'endpoint' is required");
                    continue;
                }
                if (!endpoints.containsKey(endpoint.trim())) {
                    problem(owned, "endpoint", "unknown endpoint '" + endpoint + "'"
                            + (endpoints.isEmpty() ? " (the project has no endpoints)"
                            : " (known: " + String.join(", ", endpoints.keySet()) + ")"));
                    continue;
                }
                String description = Optional.ofNullable(owned.string("description")).orElse("");
                Map<String, String> options = owned.optionsExcept(DEVICE_RESERVED);
                owned.recordLines(sources);
                devices.put(name, new DeviceSpec(name, description, endpoint.trim(), options));
            }
            return devices;
        }

        private List<TagSpec> tags(YamlMap root, List<ScanGroupSpec> groups, Map<String, EndpointSpec> endpoints,
                                   Map<String, DeviceSpec> devices) {
            List<TagSpec> tags = new ArrayList<>();
            Map<String, Integer> seen = new HashMap<>();
            List<Node> nodes = root.list("tags");
            if (!nodes.isEmpty() && groups.isEmpty() && !root.has("scan-groups")) {
                root.problem(root.line("tags"), "tags need at least one scan group: add 'scan-groups:' with e.g. "
                        + "'- {name: normal, rate: 1s}'");
            }
            for (Node n : nodes) {
                YamlMap m = YamlMap.of(file, "", n, problems);
                if (m == null) {
                    continue;
                }
                String name = name(m, seen, "tag");
                if (name == null) {
                    continue;
                }
                YamlMap t = m.as("tag '" + name + "'");
                t.allowOnly(TAG_KEYS);
                t.recordLines(sources);
                TagSpec spec = tag(t, name, groups, endpoints, devices);
                if (spec != null) {
                    tags.add(spec);
                }
            }
            return tags;
        }

        private TagSpec tag(YamlMap t, String name, List<ScanGroupSpec> groups, Map<String, EndpointSpec> endpoints,
                            Map<String, DeviceSpec> devices) {
            String deviceName = t.requireString("device");
            String addressText = t.requireString("address");
            String description = t.string("description");
            String units = t.string("units");
            Boolean writable = t.bool("writable");
            EngineeringRange range = range(t);
            Double decimals = t.number("decimals");
            if (decimals != null && (decimals < 0 || decimals > 9 || decimals != Math.rint(decimals))) {
                t.problem(t.line("decimals"), "'decimals' must be a whole number from 0 to 9");
                decimals = null;
            }
            String groupName = t.string("scan-group");
            ScanGroupSpec group = null;
            if (groupName == null) {
                group = groups.isEmpty() ? null : groups.get(0);
            } else {
                group = groups.stream().filter(g -> g.name().equals(groupName.trim())).findFirst().orElse(null);
                if (group == null) {
                    t.problem(t.line("scan-group"), "unknown scan group '" + groupName + "'"
                            + (groups.isEmpty() ? "" : " (known: " + String.join(", ",
                            groups.stream().map(ScanGroupSpec::name).toList()) + ")"));
                }
            }
            if (deviceName == null || addressText == null) {
                return null;
            }
            DeviceSpec device = devices.get(deviceName);
            if (device == null) {
                t.problem(t.line("device"), "unknown device '" + deviceName + "'" + (devices.isEmpty()
                        ? " (the project has no devices)" : " (known: " + String.join(", ", devices.keySet()) + ")"));
                return null;
            }
            EndpointSpec endpoint = endpoints.get(device.endpoint());
            DriverProvider provider = drivers.provider(endpoint.driver());
            TagAddress address;
            try {
                address = provider.parseAddress(endpoint.driver(), addressText);
            } catch (AddressException e) {
                t.problem(t.line("address"), e.getMessage());
                return null;
            }
            if (!address.format().equals(addressText)) {
                // Hand-edited files are not rewritten; the canonical form is shown so the engineer can adopt it.
                warnings.add(file + " line " + t.line("address") + ": tag '" + name + "': address '" + addressText
                        + "' is written canonically as '" + address.format() + "'");
            }
            boolean isWritable = writable != null && writable;
            if (isWritable && !address.isWritableLocation()) {
                t.problem(t.line("writable"), "writable is true, but " + address.format()
                        + " cannot be written (Modbus writes coils and holding registers only)");
            }
            if (range != null && address.dataType() == DataType.BOOL) {
                t.problem(t.line("range"), "a bool tag has no engineering range");
            }
            Scaling scaling = scaling(t, address.dataType(), range);
            Deadband deadband = null;
            String deadbandText = t.string("deadband");
            if (deadbandText != null) {
                try {
                    deadband = Deadband.parse(deadbandText);
                    if (!address.dataType().isNumeric()) {
                        t.problem(t.line("deadband"), "a " + address.dataType() + " tag has no deadband");
                        deadband = null;
                    } else if (deadband.percent() && range == null) {
                        t.problem(t.line("deadband"), "a percent deadband is a percentage of the tag's range: "
                                + "give 'range', or an absolute deadband");
                        deadband = null;
                    }
                } catch (IllegalArgumentException e) {
                    t.problem(t.line("deadband"), e.getMessage());
                }
            }
            TagHistorySettings tagHistory = history.tag(t, address.dataType(), range);
            if (group == null || tagHistory == null) {
                return null;
            }
            TagDefinition definition = new TagDefinition(name, description, units, range, address.dataType(),
                    isWritable);
            return new TagSpec(definition, deviceName, address, group.name(),
                    decimals == null ? -1 : decimals.intValue(), scaling, deadband, tagHistory);
        }

        /**
         * {@code scaling: {factor: 0.1, offset: -40}} or {@code scaling: {raw: [0, 27648], eng: [0, 100]}}, each
         * with an optional {@code clamp: true} (to the eng range, or to the tag's range with a factor).
         */
        private Scaling scaling(YamlMap t, DataType type, EngineeringRange range) {
            if (!t.has("scaling")) {
                return null;
            }
            YamlMap m = YamlMap.of(file, t.owner(), t.node("scaling"), problems);
            if (m == null) {
                return null;
            }
            m.allowOnly(Set.of("factor", "offset", "raw", "eng", "clamp"));
            if (!type.isNumeric()) {
                m.problem(m.line(), "a " + type + " tag cannot be scaled");
                return null;
            }
            Boolean clampGiven = m.bool("clamp");
            boolean clamp = clampGiven != null && clampGiven;
            try {
                if (m.has("raw") || m.has("eng")) {
                    List<String> raw = m.scalars("raw");
                    List<String> eng = m.scalars("eng");
                    if (raw.size() != 2 || eng.size() != 2 || m.has("factor") || m.has("offset")) {
                        m.problem(m.line(), "scaling is either raw: [low, high] with eng: [low, high], or factor: "
                                + "and offset:");
                        return null;
                    }
                    return Scaling.ofRanges(Double.parseDouble(raw.get(0)), Double.parseDouble(raw.get(1)),
                            Double.parseDouble(eng.get(0)), Double.parseDouble(eng.get(1)), clamp);
                }
                Double factor = m.number("factor");
                Double offset = m.number("offset");
                if (factor == null) {
                    m.problem(m.line(), "scaling needs factor: (with an optional offset:) or raw: and eng: ranges");
                    return null;
                }
                if (clamp && range == null) {
                    m.problem(m.line("clamp"), "clamp with a factor clamps to the tag's range: give 'range'");
                    return null;
                }
                return new Scaling(factor, offset == null ? 0 : offset, clamp ? range.low() : Double.NaN,
                        clamp ? range.high() : Double.NaN);
            } catch (IllegalArgumentException e) {
                m.problem(m.line(), "scaling: " + e.getMessage());
                return null;
            }
        }

        private EngineeringRange range(YamlMap t) {
            if (!t.has("range")) {
                return null;
            }
            List<String> values = t.scalars("range");
            if (values.size() != 2) {
                t.problem(t.line("range"), "'range' is written [low, high], e.g. [0, 4]");
                return null;
            }
            try {
                return new EngineeringRange(Double.parseDouble(values.get(0)), Double.parseDouble(values.get(1)));
            } catch (IllegalArgumentException e) {
                t.problem(t.line("range"), "'range' needs two numbers, low below high, not " + values);
                return null;
            }
        }

        private String name(YamlMap m, Map<String, Integer> seen, String kind) {
            String name = m.string("name");
            if (name == null || name.isBlank()) {
                m.problem(m.line(), "this " + kind + " needs a 'name'");
                return null;
            }
            name = name.trim();
            if (!NAME.matcher(name).matches()) {
                m.problem(m.line("name"), kind + " name '" + name + "' may only hold letters, digits and _ . : / -"
                        + " and starts with a letter or digit");
                return null;
            }
            Integer first = seen.putIfAbsent(name, m.line("name"));
            if (first != null) {
                m.problem(m.line("name"), kind + " '" + name + "' is already defined at line " + first);
                return null;
            }
            return name;
        }

        private void problem(YamlMap m, String key, String message) {
            problems.add(file + " line " + m.line(key) + ": " + m.owner() + ": " + message);
        }

        private String known() {
            return String.join(", ", drivers.protocols());
        }
    }

    /** A lower-case identifier from a display name: "Demo pumping station" gives "demo-pumping-station". */
    static String slug(String name) {
        String s = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
        return s.isEmpty() ? "project" : s;
    }
}
