package dev.stator.runtime.project;

import dev.stator.historian.HistorianSettings;
import java.nio.file.Path;
import java.util.List;

/**
 * A loaded, checked project: what {@code project.yaml} in a project folder describes.
 *
 * @param folder      the project folder
 * @param id          a short stable identifier, used to name the project's history database
 * @param name        the name operators see in the title bar
 * @param description free text
 * @param simulator   the built-in simulator's settings, or {@code null} when the project does not use it
 * @param history     how the history is kept: retention, store-and-forward cap, free disk floor
 * @param scanGroups  scan groups in file order
 * @param endpoints   endpoints in file order
 * @param devices     devices in file order
 * @param tags        tags in file order
 * @param sources     where everything was written, for messages about it
 * @param warnings    what loaded but deserves the engineer's attention, each naming file and line (an address not
 *                    written in its canonical form, for one)
 */
public record Project(Path folder, String id, String name, String description, SimulatorSpec simulator,
                      HistorianSettings history, List<ScanGroupSpec> scanGroups, List<EndpointSpec> endpoints, List<DeviceSpec> devices,
                      List<TagSpec> tags, SourceMap sources, List<String> warnings) {

    /** The project file's name inside the folder. */
    public static final String FILE_NAME = "project.yaml";

    /** The newest project format this version reads. */
    public static final int FORMAT = 1;

    public Project {
        scanGroups = List.copyOf(scanGroups);
        endpoints = List.copyOf(endpoints);
        devices = List.copyOf(devices);
        tags = List.copyOf(tags);
        warnings = List.copyOf(warnings);
    }

    public TagSpec tag(String name) {
        return tags.stream().filter(t -> t.name().equals(name)).findFirst().orElse(null);
    }

    public DeviceSpec device(String name) {
        return devices.stream().filter(d -> d.name().equals(name)).findFirst().orElse(null);
    }

    public ScanGroupSpec scanGroup(String name) {
        return scanGroups.stream().filter(g -> g.name().equals(name)).findFirst().orElse(null);
    }
}
