package dev.stator.simulator;

/**
 * One pump at one instant. Immutable.
 *
 * @param runCommand          the run command (coil)
 * @param running             run feedback: the motor is energised (true from the end of the start delay until a
 *                            stop or a trip)
 * @param tripped             the low-low level interlock stopped it; latched until the run command goes false
 * @param speed               shaft speed as a fraction of full speed, 0 to 1
 * @param flow                this pump's flow, m3/h
 * @param motorCurrent        motor current, A (0 when not energised)
 * @param bearingTemperature  bearing temperature, degC
 * @param vibration           vibration velocity, mm/s RMS
 * @param runHours            hours energised
 * @param starts              motor starts (wraps at 65536 on the wire)
 * @param unbalanceInjected   the simulated unbalance fault is injected
 * @param unbalanceSeverity   unbalance severity, 0 (healthy) to 1
 */
public record PumpSnapshot(boolean runCommand, boolean running, boolean tripped, double speed, double flow,
        double motorCurrent, double bearingTemperature, double vibration, double runHours, int starts,
        boolean unbalanceInjected, double unbalanceSeverity) {
}
