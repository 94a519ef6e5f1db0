package dev.stator.runtime;

import java.nio.file.Path;
import java.util.Locale;

/**
 * Where the workstation keeps its own files: the history databases, the secrets file and the logs. Chosen by
 * {@code --data}, else the {@code STATOR_DATA} environment variable, else the platform's place for application data:
 * {@code $XDG_DATA_HOME/stator} or {@code ~/.local/share/stator} on Linux, {@code %LOCALAPPDATA%\Stator} on Windows,
 * {@code ~/Library/Application Support/Stator} on macOS.
 */
public final class DataDirectory {

    private DataDirectory() {
    }

    public static Path defaultLocation() {
        String env = System.getenv("STATOR_DATA");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        Path home = Path.of(System.getProperty("user.home"));
        if (os.contains("win")) {
            String local = System.getenv("LOCALAPPDATA");
            return local != null ? Path.of(local, "Stator") : home.resolve("AppData/Local/Stator");
        }
        if (os.contains("mac")) {
            return home.resolve("Library/Application Support/Stator");
        }
        String xdg = System.getenv("XDG_DATA_HOME");
        return xdg != null && !xdg.isBlank() ? Path.of(xdg, "stator") : home.resolve(".local/share/stator");
    }

    /** The history database of project {@code projectId}, without H2's file extension. */
    public static Path historyDatabase(Path dataDirectory, String projectId) {
        return dataDirectory.resolve("history").resolve(projectId);
    }

    /** The secrets file. */
    public static Path secretsFile(Path dataDirectory) {
        return dataDirectory.resolve("secrets.yaml");
    }
}
