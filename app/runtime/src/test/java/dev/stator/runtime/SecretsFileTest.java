package dev.stator.runtime;

import dev.stator.runtime.project.ProjectException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SecretsFileTest {

    @TempDir
    Path data;

    @Test
    void credentialsAreReadPerEndpointAndAMissingFileMeansNone() throws Exception {
        Path file = DataDirectory.secretsFile(data);
        assertThat(SecretsFile.load(file).get("plant-opc", "password")).isEmpty();
        Files.writeString(file, """
                endpoints:
                  plant-opc:
                    username: operator
                    password: "s3cret: with colon"
                """);
        SecretsFile secrets = SecretsFile.load(file);
        assertThat(secrets.get("plant-opc", "username")).contains("operator");
        assertThat(secrets.get("plant-opc", "password")).contains("s3cret: with colon");
        assertThat(secrets.get("other", "password")).isEmpty();
    }

    @Test
    void aBrokenFileNamesItselfAndTheLine() throws Exception {
        Path file = DataDirectory.secretsFile(data);
        Files.writeString(file, "endpoints:\n  plant-opc:\n    password: [oops\n");
        assertThatThrownBy(() -> SecretsFile.load(file)).isInstanceOf(ProjectException.class)
                .hasMessageStartingWith(file + " line ");
        Files.writeString(file, "plant-opc:\n  password: x\n");
        assertThatThrownBy(() -> SecretsFile.load(file)).hasMessageContaining("expected 'endpoints:'");
    }
}
