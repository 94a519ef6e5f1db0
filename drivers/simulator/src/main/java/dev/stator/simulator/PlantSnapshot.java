package dev.stator.simulator;

/**
 * The whole plant at one instant: every process value and every command. From {@link PlantModel#snapshot()} it is
 * the truth, without noise; from {@link PlantModel#measuredSnapshot()} the analog values carry measurement noise, as
 * on the wire. Immutable.
 *
 * @param simulatedSeconds    simulated time since the model was created, s
 * @param level               LT-101 level, m
 * @param inflow              FT-101 inflow, m3/h
 * @param dischargeFlow       FT-102 total pump flow into the main, m3/h
 * @param dischargeHead       head of the pumps at the operating point, m (0 when no pump turns)
 * @param dischargePressure   PT-102 discharge pressure, bar
 * @param valvePosition       ZT-101 FV-101 position, %
 * @param controllerAuto      LIC-101 in auto
 * @param setpoint            LIC-101 setpoint, m
 * @param controllerOutput    LIC-101 output, %: the PI output in auto, the written output in manual
 * @param levelHighHigh       LSHH-101: level at or above the high-high switch point
 * @param levelLowLow         LSLL-101: level at or below the low-low switch point
 * @param ambientTemperature  TT-100 ambient temperature, degC
 * @param p101                P-101
 * @param p102                P-102
 */
public record PlantSnapshot(double simulatedSeconds, double level, double inflow, double dischargeFlow,
        double dischargeHead, double dischargePressure, double valvePosition, boolean controllerAuto, double setpoint,
        double controllerOutput, boolean levelHighHigh, boolean levelLowLow, double ambientTemperature,
        PumpSnapshot p101, PumpSnapshot p102) {

    /** The snapshot of {@code pump}. */
    public PumpSnapshot pump(Pump pump) {
        return pump == Pump.P101 ? p101 : p102;
    }
}
