package dev.stator.cli;

import dev.stator.driver.api.DriverRegistry;
import dev.stator.runtime.DataDirectory;
import dev.stator.runtime.project.Project;
import dev.stator.runtime.project.ProjectException;
import dev.stator.runtime.project.ProjectLoader;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.util.Map;

/** {@code --project} and {@code --data}, shared by the commands that work on a project. */
final class ProjectOptions {

    @Option(names = "--project", paramLabel = "DIR",
            description = "Project folder holding project.yaml (default: the shipped demo project).")
    Path project;

    @Option(names = "--data", paramLabel = "DIR",
            description = "Data folder for history, secrets and logs (default: $STATOR_DATA, else "
                    + "~/.local/share/stator on Linux).")
    Path data;

    Path dataDirectory() {
        return data != null ? data : DataDirectory.defaultLocation();
    }

    /** Loads the project, or the shipped demo; a problem becomes a one-line error per problem. */
    Project load(DriverRegistry drivers) throws CliException {
        Path folder = project != null ? project : demoProject();
        try {
            return new ProjectLoader(drivers).load(folder);
        } catch (ProjectException e) {
            throw new CliException(CliException.BAD_INPUT, String.join(System.lineSeparator(), e.problems()));
        }
    }

    /** The demo project shipped inside the application (a folder, or a folder inside the jar). */
    static Path demoProject() throws CliException {
        URL url = ProjectOptions.class.getResource("/dev/stator/demo-project/project.yaml");
        if (url == null) {
            throw new CliException(CliException.FAILURE, "the shipped demo project is missing from this build; "
                    + "give a project with --project DIR");
        }
        try {
            URI uri = url.toURI();
            if ("jar".equals(uri.getScheme())) {
                try {
                    FileSystems.newFileSystem(uri, Map.of());
                } catch (FileSystemAlreadyExistsException e) {
                    // Opened before in this JVM: use it.
                }
            }
            return Path.of(uri).getParent();
        } catch (URISyntaxException | IOException e) {
            throw new CliException(CliException.FAILURE, "cannot open the shipped demo project: " + e.getMessage());
        }
    }
}
