package dev.stator.driver.api;

import java.util.Optional;

/**
 * Credentials for endpoints (an OPC UA user's password, later others), kept in a secrets file in the data folder and
 * never in project.yaml, which engineers share and commit.
 */
public interface Secrets {

    /** The secret {@code key} (e.g. {@code password}) of the endpoint named {@code endpoint}. */
    Optional<String> get(String endpoint, String key);

    /** No secrets at all. */
    Secrets NONE = (endpoint, key) -> Optional.empty();
}
