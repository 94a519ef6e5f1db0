package dev.stator.runtime.project;

/**
 * The built-in plant simulator, started with the project when its {@code simulator:} section is present.
 *
 * @param timeScale simulated seconds per real second
 * @param seed      seed of the measurement noise
 */
public record SimulatorSpec(double timeScale, long seed) {
}
