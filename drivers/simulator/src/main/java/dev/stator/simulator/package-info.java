/**
 * A simulated water pumping station served over Modbus TCP, for the demo and for tests.
 *
 * <p>{@link dev.stator.simulator.PlantModel} holds the dynamics (tank, inlet valve and level controller, two pumps,
 * their motors and condition) with no I/O and no threads; {@link dev.stator.simulator.PlantSimulator} runs it in real
 * time (scaled) behind a j2mod Modbus TCP slave; {@link dev.stator.simulator.RegisterMap} is the register map both
 * sides share. j2mod types stay inside this package.
 */
package dev.stator.simulator;
