/**
 * A simulated water pumping station served over Modbus TCP and, optionally, OPC UA, for the demo and for tests.
 *
 * <p>{@link dev.stator.simulator.PlantModel} holds the dynamics (tank, inlet valve and level controller, two pumps,
 * their motors and condition) with no I/O and no threads; {@link dev.stator.simulator.PlantSimulator} runs it in real
 * time (scaled) behind a j2mod Modbus TCP slave and an embedded Eclipse Milo OPC UA server, both serving the same
 * measured values; {@link dev.stator.simulator.RegisterMap} is the register map both Modbus sides share, and
 * {@code PlantVariable} the OPC UA node table. j2mod and Milo types stay inside this package.
 */
package dev.stator.simulator;
