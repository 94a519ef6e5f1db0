package dev.stator.runtime.project;

import dev.stator.driver.api.AddressException;
import dev.stator.driver.api.DataType;
import dev.stator.driver.api.DriverRegistry;
import dev.stator.driver.api.EngineeringRange;
import dev.stator.driver.api.TagAddress;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Tag lists as CSV, for the spreadsheets engineers keep them in. Columns (header row required, any order, names
 * case-insensitive; only name, device (or a default device) and address are required):
 *
 * <pre>
 *   name, description, device, address, type, length, units, low, high, decimals, scan-group, writable
 * </pre>
 *
 * On import, addresses may be in another tool's conventional notation, converted by the device's driver (for Modbus,
 * {@code 40001} with type {@code float32} becomes {@code hr:0:float32}); every row is checked, all problems are
 * reported with the CSV line, and only a fully valid list is added to project.yaml, as YAML appended to its
 * {@code tags:} list (the rest of the file, comments included, is left as it is). Export writes the project's tags
 * with canonical addresses, which import reads back unchanged.
 */
public final class TagListCsv {

    static final List<String> COLUMNS = List.of("name", "description", "device", "address", "type", "length", "units",
            "low", "high", "decimals", "scan-group", "writable");
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:/\\[\\]-]*");
    private static final Pattern TAGS_KEY = Pattern.compile("^tags:\\s*(\\[\\s*])?\\s*(#.*)?$");

    private TagListCsv() {
    }

    /** Writes every tag of {@code project} as CSV with a header row. */
    public static void export(Project project, Appendable out) throws IOException {
        CSVPrinter printer = new CSVPrinter(out, CSVFormat.DEFAULT.builder().setRecordSeparator('\n').get());
        printer.printRecord(COLUMNS);
        for (TagSpec t : project.tags()) {
            EngineeringRange r = t.definition().range();
            printer.printRecord(t.name(), t.definition().description(), t.device(), t.address().format(), "", "",
                    t.definition().units(), r == null ? "" : number(r.low()), r == null ? "" : number(r.high()),
                    t.decimals() < 0 ? "" : t.decimals(), t.scanGroup(), t.definition().writable());
        }
        printer.flush();
    }

    private static String number(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? String.valueOf((long) d) : String.valueOf(d);
    }

    /**
     * Adds the tags of {@code csv} to the project in {@code folder}.
     *
     * @param defaultDevice the device of rows that name none, or {@code null}
     * @return how many tags were added
     * @throws ProjectException every problem, each naming the CSV file and line (nothing is written then)
     */
    public static int importInto(Path folder, Path csv, DriverRegistry drivers, String defaultDevice)
            throws ProjectException, IOException {
        ProjectLoader loader = new ProjectLoader(drivers);
        Project project = loader.load(folder);
        List<String> problems = new ArrayList<>();
        List<String> yaml = new ArrayList<>();
        Set<String> names = new HashSet<>();
        project.tags().forEach(t -> names.add(t.name()));
        if (defaultDevice != null && project.device(defaultDevice) == null) {
            throw new ProjectException("--device: unknown device '" + defaultDevice + "'");
        }
        try (Reader reader = Files.newBufferedReader(csv, StandardCharsets.UTF_8);
             CSVParser parser = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true)
                     .setIgnoreHeaderCase(true).setTrim(true).setIgnoreEmptyLines(true).get().parse(reader)) {
            for (String column : parser.getHeaderNames()) {
                if (!COLUMNS.contains(column.toLowerCase(Locale.ROOT))) {
                    problems.add(csv + " line 1: unknown column '" + column + "' (known: "
                            + String.join(", ", COLUMNS) + ")");
                }
            }
            for (CSVRecord row : parser) {
                String where = csv + " line " + parser.getCurrentLineNumber();
                List<String> item = row(project, drivers, row, where, defaultDevice, names, problems);
                if (item != null) {
                    yaml.addAll(item);
                }
            }
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new ProjectException(csv + ": not a CSV tag list with a header row: " + e.getMessage());
        }
        if (!problems.isEmpty()) {
            throw new ProjectException(problems);
        }
        if (yaml.isEmpty()) {
            return 0;
        }
        Path file = folder.resolve(Project.FILE_NAME);
        String updated = insert(Files.readString(file, StandardCharsets.UTF_8), yaml);
        // Check the whole result as the workstation will read it before replacing the engineer's file.
        Path check = Files.createTempDirectory("stator-import");
        try {
            Files.writeString(check.resolve(Project.FILE_NAME), updated, StandardCharsets.UTF_8);
            loader.load(check);
        } finally {
            Files.deleteIfExists(check.resolve(Project.FILE_NAME));
            Files.deleteIfExists(check);
        }
        Path temp = folder.resolve(Project.FILE_NAME + ".importing");
        Files.writeString(temp, updated, StandardCharsets.UTF_8);
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return (int) yaml.stream().filter(l -> l.trim().startsWith("- name:")).count();
    }

    private static List<String> row(Project project, DriverRegistry drivers, CSVRecord row, String where,
                                    String defaultDevice, Set<String> names, List<String> problems) {
        Map<String, String> v = new LinkedHashMap<>();
        for (String c : COLUMNS) {
            v.put(c, row.isMapped(c) && row.isSet(c) ? row.get(c) : "");
        }
        String name = v.get("name");
        if (name.isEmpty()) {
            problems.add(where + ": 'name' is empty");
            return null;
        }
        String owner = where + ": tag '" + name + "': ";
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9_.:/-]*")) {
            problems.add(owner + "a name may only hold letters, digits and _ . : / -");
            return null;
        }
        if (!names.add(name)) {
            problems.add(owner + "already defined (in the project or earlier in this file)");
            return null;
        }
        String device = v.get("device").isEmpty() ? defaultDevice : v.get("device");
        if (device == null) {
            problems.add(owner + "no device (fill the device column or pass a default device)");
            return null;
        }
        DeviceSpec d = project.device(device);
        if (d == null) {
            problems.add(owner + "unknown device '" + device + "'");
            return null;
        }
        String driver = project.endpoints().stream().filter(e -> e.name().equals(d.endpoint())).findFirst()
                .orElseThrow().driver();
        DataType type = null;
        int length = 0;
        try {
            type = v.get("type").isEmpty() ? null : DataType.parse(v.get("type"));
            length = v.get("length").isEmpty() ? 0 : Integer.parseInt(v.get("length"));
        } catch (IllegalArgumentException e) {
            problems.add(owner + (e instanceof NumberFormatException ? "'length' must be a whole number"
                    : e.getMessage()));
            return null;
        }
        TagAddress address;
        try {
            address = drivers.provider(driver).importAddress(driver, v.get("address"), type, length);
        } catch (AddressException e) {
            problems.add(owner + e.getMessage());
            return null;
        }
        String group = v.get("scan-group");
        if (!group.isEmpty() && project.scanGroup(group) == null) {
            problems.add(owner + "unknown scan group '" + group + "'");
            return null;
        }
        for (String number : List.of("low", "high", "decimals")) {
            if (!v.get(number).isEmpty()) {
                try {
                    Double.parseDouble(v.get(number));
                } catch (NumberFormatException e) {
                    problems.add(owner + "'" + number + "' must be a number, not '" + v.get(number) + "'");
                    return null;
                }
            }
        }
        if (v.get("low").isEmpty() != v.get("high").isEmpty()) {
            problems.add(owner + "give both 'low' and 'high', or neither");
            return null;
        }
        String writable = v.get("writable").toLowerCase(Locale.ROOT);
        if (!writable.isEmpty() && !writable.matches("true|false|yes|no|1|0")) {
            problems.add(owner + "'writable' is true or false, not '" + v.get("writable") + "'");
            return null;
        }
        List<String> yaml = new ArrayList<>();
        yaml.add("- name: " + scalar(name));
        if (!v.get("description").isEmpty()) {
            yaml.add("  description: " + scalar(v.get("description")));
        }
        yaml.add("  device: " + scalar(device));
        yaml.add("  address: " + scalar(address.format()));
        if (!v.get("units").isEmpty()) {
            yaml.add("  units: " + scalar(v.get("units")));
        }
        if (!v.get("low").isEmpty()) {
            yaml.add("  range: [" + v.get("low") + ", " + v.get("high") + "]");
        }
        if (!v.get("decimals").isEmpty()) {
            yaml.add("  decimals: " + v.get("decimals"));
        }
        if (!group.isEmpty()) {
            yaml.add("  scan-group: " + scalar(group));
        }
        if (writable.matches("true|yes|1")) {
            yaml.add("  writable: true");
        }
        return yaml;
    }

    /** A YAML scalar: plain when it is safely plain, else double-quoted. */
    static String scalar(String s) {
        if (PLAIN.matcher(s).matches() && !s.matches("(?i)true|false|null|yes|no|on|off|~|[-+.\\d].*")) {
            return s;
        }
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** The project text with {@code items} appended to its tags list (created at the end when missing). */
    static String insert(String text, List<String> items) {
        List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
        if (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
            lines.remove(lines.size() - 1);
        }
        int key = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (TAGS_KEY.matcher(lines.get(i)).matches()) {
                key = i;
                break;
            }
        }
        String indent = "  ";
        int at;
        if (key < 0) {
            lines.add("");
            lines.add("tags:");
            at = lines.size();
        } else {
            lines.set(key, "tags:");
            int last = key;
            for (int i = key + 1; i < lines.size(); i++) {
                String l = lines.get(i);
                if (l.isBlank() || l.startsWith(" ") || l.startsWith("-") || l.startsWith("#")) {
                    if (!l.isBlank() && !l.startsWith("#")) {
                        last = i;
                        if (l.trim().startsWith("- ") && indent.equals("  ") && i == firstItem(lines, key)) {
                            indent = l.substring(0, l.indexOf('-'));
                        }
                    }
                } else {
                    break;
                }
            }
            at = last + 1;
        }
        List<String> indented = new ArrayList<>();
        for (String item : items) {
            indented.add(indent + item);
        }
        lines.addAll(at, indented);
        return String.join("\n", lines) + "\n";
    }

    private static int firstItem(List<String> lines, int key) {
        for (int i = key + 1; i < lines.size(); i++) {
            if (lines.get(i).trim().startsWith("- ")) {
                return i;
            }
        }
        return -1;
    }
}
