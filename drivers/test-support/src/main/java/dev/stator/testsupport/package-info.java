/**
 * Helpers for tests of other Stator modules, used with {@code <scope>test</scope>}.
 *
 * <p>{@link dev.stator.testsupport.FaultProxy} sits on loopback between a driver and its server (a Modbus slave, an
 * OPC UA server) and injects the link failures plants really have: a half-open link, resets, refused reconnects,
 * latency and a slow line, switchable while connections are open.
 */
package dev.stator.testsupport;
