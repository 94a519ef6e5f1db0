package dev.stator.runtime;

import dev.stator.driver.api.Secrets;
import dev.stator.runtime.project.ProjectException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Endpoint credentials from {@code secrets.yaml} in the data folder, kept out of project.yaml (which engineers share
 * and commit):
 *
 * <pre>
 * endpoints:
 *   plant-opc:
 *     username: operator
 *     password: "..."
 * </pre>
 *
 * A missing file means no secrets. A file other users can read is used, with a warning saying how to fix it.
 */
public final class SecretsFile implements Secrets {

    private static final Logger LOG = LoggerFactory.getLogger(SecretsFile.class);

    private final Map<String, Map<String, String>> byEndpoint;

    private SecretsFile(Map<String, Map<String, String>> byEndpoint) {
        this.byEndpoint = byEndpoint;
    }

    /** Reads {@code file}; a syntax or shape error names the file and line. */
    public static SecretsFile load(Path file) throws ProjectException {
        if (!Files.exists(file)) {
            return new SecretsFile(Map.of());
        }
        warnIfReadableByOthers(file);
        Object root;
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            root = new Load(LoadSettings.builder().setLabel(file.toString()).build()).loadFromReader(reader);
        } catch (MarkedYamlEngineException e) {
            int line = e.getProblemMark().map(m -> m.getLine() + 1).orElse(0);
            throw new ProjectException(file + " line " + line + ": YAML syntax error: " + e.getProblem());
        } catch (YamlEngineException | IOException e) {
            throw new ProjectException(file + ": cannot be read: " + e.getMessage());
        }
        Map<String, Map<String, String>> result = new HashMap<>();
        if (root == null) {
            return new SecretsFile(result);
        }
        if (!(root instanceof Map<?, ?> map) || !(map.get("endpoints") instanceof Map<?, ?> endpoints)
                || map.size() != 1) {
            throw new ProjectException(file + ": expected 'endpoints:' with one mapping of keys per endpoint name");
        }
        for (Map.Entry<?, ?> e : endpoints.entrySet()) {
            if (!(e.getValue() instanceof Map<?, ?> values)) {
                throw new ProjectException(file + ": endpoint '" + e.getKey() + "': expected keys such as "
                        + "username and password");
            }
            Map<String, String> secrets = new HashMap<>();
            values.forEach((k, v) -> secrets.put(String.valueOf(k), String.valueOf(v)));
            result.put(String.valueOf(e.getKey()), secrets);
        }
        return new SecretsFile(result);
    }

    private static void warnIfReadableByOthers(Path file) {
        try {
            Set<PosixFilePermission> p = Files.getPosixFilePermissions(file);
            if (p.contains(PosixFilePermission.GROUP_READ) || p.contains(PosixFilePermission.OTHERS_READ)) {
                LOG.warn("{} can be read by other users; restrict it with: chmod 600 {}", file, file);
            }
        } catch (UnsupportedOperationException | IOException e) {
            // Not a POSIX file system: nothing to check.
        }
    }

    @Override
    public Optional<String> get(String endpoint, String key) {
        return Optional.ofNullable(byEndpoint.getOrDefault(endpoint, Map.of()).get(key));
    }
}
