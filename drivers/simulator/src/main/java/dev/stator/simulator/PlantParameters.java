package dev.stator.simulator;

/**
 * Every constant of the simulated pumping station, in plant units: metres, m3/h, seconds, percent, bar, amperes,
 * degrees Celsius and mm/s. {@link #DEFAULTS} holds the documented values; each component below names its default.
 *
 * <p>Immutable and thread-safe.
 *
 * @param tankArea               T-101 cross-section area, m2 (12.0)
 * @param tankHeight             T-101 height, m; the level is clamped to [0, height] and overflow is lost (4.0)
 * @param valveMaxFlow           FV-101 flow at 100 % open, m3/h; the valve is linear (120.0)
 * @param valveSlewRate          FV-101 actuator speed, %/s: the position follows the controller output at most
 *                               this fast (5.0)
 * @param controllerGain         LIC-101 proportional gain, % per m of error, reverse acting on the inlet (40.0)
 * @param controllerIntegralTime LIC-101 integral time, s (120.0)
 * @param setpointMin            lowest setpoint the "PLC" accepts, m; lower writes are clamped (0.3)
 * @param setpointMax            highest setpoint the "PLC" accepts, m; higher writes are clamped (3.8)
 * @param levelLowLow            LSLL-101 switch point, m: at or below it the pumps trip (0.3)
 * @param levelHighHigh          LSHH-101 switch point, m (3.8)
 * @param pumpShutoffHead        pump head at zero flow and full speed, m: H = 45 - 0.0025 Q2 (45.0)
 * @param pumpCurveCoefficient   pump curve coefficient, m per (m3/h)2, flow per pump (0.0025)
 * @param systemStaticHead       distribution main static head, m: H = 20 + 0.0008 Qtotal2 (20.0)
 * @param systemCurveCoefficient system curve coefficient, m per (m3/h)2, total flow (0.0008)
 * @param pumpStartDelay         run command to run feedback (motor energised), s (2.0)
 * @param pumpAccelerationTime   speed ramp 0 to 1 after the motor is energised, s (3.0)
 * @param pumpCoastDownTime      speed ramp 1 to 0 after the motor stops, s (5.0)
 * @param pumpEfficiency         hydraulic efficiency, shaft power = rho g Q H / eta (0.72)
 * @param motorRatedPower        motor rated shaft power, W; the load fraction of the bearing model is shaft power
 *                               over this (11000.0)
 * @param motorVoltage           line voltage, V (400.0)
 * @param motorPowerFactor       power factor (0.86)
 * @param motorEfficiency        motor efficiency (0.92)
 * @param magnetisingCurrent     current added while energised, A (6.0)
 * @param inrushFactor           start current as a multiple of {@link #motorRatedCurrent()} (6.0)
 * @param inrushTime             how long the start current holds before it decays, s (1.0)
 * @param inrushDecayTime        time constant of the decay to the running current, s (0.25)
 * @param bearingTimeConstant    bearing temperature first-order lag, s (900.0)
 * @param bearingLoadRise        bearing rise over ambient at full load, K (18.0)
 * @param bearingUnbalanceRise   extra bearing rise at unbalance severity 1 and full speed, K (35.0)
 * @param vibrationRunning       vibration velocity of a healthy pump at full speed, mm/s RMS (1.1)
 * @param vibrationStopped       vibration velocity of a stopped pump (background), mm/s RMS (0.05)
 * @param vibrationUnbalance     extra vibration at unbalance severity 1 and full speed, mm/s RMS (6.5)
 * @param unbalanceGrowthTime    time an injected unbalance takes to grow from severity 0 to 1, s (600.0)
 * @param ambientMean            TT-100 mean, degC (21.0)
 * @param ambientSwing           TT-100 daily-like swing amplitude, K (2.0)
 * @param ambientPeriod          TT-100 swing period, s of simulated time (86400.0)
 * @param levelNoise             LT-101 noise bound, m; 0 disables (0.002)
 * @param flowNoise              FT-101/FT-102 noise bound as a fraction of the reading; 0 disables (0.003)
 * @param pressureNoise          PT-102 noise bound, bar; 0 disables (0.005)
 * @param positionNoise          ZT-101 noise bound, %; 0 disables (0.1)
 * @param currentNoise           motor current noise bound as a fraction of the reading; 0 disables (0.005)
 * @param temperatureNoise       bearing and ambient temperature noise bound, K; 0 disables (0.05)
 * @param vibrationNoise         vibration noise bound, mm/s; 0 disables (0.05)
 * @param maxStep                longest integration sub-step, s of simulated time, whatever the time scale (0.1)
 */
public record PlantParameters(
        double tankArea,
        double tankHeight,
        double valveMaxFlow,
        double valveSlewRate,
        double controllerGain,
        double controllerIntegralTime,
        double setpointMin,
        double setpointMax,
        double levelLowLow,
        double levelHighHigh,
        double pumpShutoffHead,
        double pumpCurveCoefficient,
        double systemStaticHead,
        double systemCurveCoefficient,
        double pumpStartDelay,
        double pumpAccelerationTime,
        double pumpCoastDownTime,
        double pumpEfficiency,
        double motorRatedPower,
        double motorVoltage,
        double motorPowerFactor,
        double motorEfficiency,
        double magnetisingCurrent,
        double inrushFactor,
        double inrushTime,
        double inrushDecayTime,
        double bearingTimeConstant,
        double bearingLoadRise,
        double bearingUnbalanceRise,
        double vibrationRunning,
        double vibrationStopped,
        double vibrationUnbalance,
        double unbalanceGrowthTime,
        double ambientMean,
        double ambientSwing,
        double ambientPeriod,
        double levelNoise,
        double flowNoise,
        double pressureNoise,
        double positionNoise,
        double currentNoise,
        double temperatureNoise,
        double vibrationNoise,
        double maxStep) {

    /** Water density times g over 1e5: metres of water column to bar. */
    public static final double BAR_PER_METRE = 0.0981;

    /** Water density, kg/m3. */
    public static final double WATER_DENSITY = 1000.0;

    /** Standard gravity, m/s2. */
    public static final double GRAVITY = 9.81;

    /** The documented defaults. */
    public static final PlantParameters DEFAULTS = new PlantParameters(
            12.0, 4.0,                      // tank
            120.0, 5.0,                     // inlet valve
            40.0, 120.0, 0.3, 3.8,          // level controller
            0.3, 3.8,                       // level switches
            45.0, 0.0025, 20.0, 0.0008,     // pump and system curves
            2.0, 3.0, 5.0,                  // start delay, ramp up, coast down
            0.72,                           // pump efficiency
            11000.0, 400.0, 0.86, 0.92, 6.0, // motor
            6.0, 1.0, 0.25,                 // inrush
            900.0, 18.0, 35.0,              // bearing temperature
            1.1, 0.05, 6.5, 600.0,          // vibration and unbalance growth
            21.0, 2.0, 86400.0,             // ambient
            0.002, 0.003, 0.005, 0.1, 0.005, 0.05, 0.05, // noise
            0.1);                           // integration sub-step

    public PlantParameters {
        requirePositive("tankArea", tankArea);
        requirePositive("tankHeight", tankHeight);
        requirePositive("valveMaxFlow", valveMaxFlow);
        requirePositive("valveSlewRate", valveSlewRate);
        requirePositive("controllerGain", controllerGain);
        requirePositive("controllerIntegralTime", controllerIntegralTime);
        requirePositive("pumpShutoffHead", pumpShutoffHead);
        requirePositive("pumpCurveCoefficient", pumpCurveCoefficient);
        requireNotNegative("systemStaticHead", systemStaticHead);
        requirePositive("systemCurveCoefficient", systemCurveCoefficient);
        requireNotNegative("pumpStartDelay", pumpStartDelay);
        requirePositive("pumpAccelerationTime", pumpAccelerationTime);
        requirePositive("pumpCoastDownTime", pumpCoastDownTime);
        requirePositive("pumpEfficiency", pumpEfficiency);
        requirePositive("motorRatedPower", motorRatedPower);
        requirePositive("motorVoltage", motorVoltage);
        requirePositive("motorPowerFactor", motorPowerFactor);
        requirePositive("motorEfficiency", motorEfficiency);
        requireNotNegative("magnetisingCurrent", magnetisingCurrent);
        requireNotNegative("inrushFactor", inrushFactor);
        requireNotNegative("inrushTime", inrushTime);
        requirePositive("inrushDecayTime", inrushDecayTime);
        requirePositive("bearingTimeConstant", bearingTimeConstant);
        requirePositive("unbalanceGrowthTime", unbalanceGrowthTime);
        requirePositive("ambientPeriod", ambientPeriod);
        requireNotNegative("levelNoise", levelNoise);
        requireNotNegative("flowNoise", flowNoise);
        requireNotNegative("pressureNoise", pressureNoise);
        requireNotNegative("positionNoise", positionNoise);
        requireNotNegative("currentNoise", currentNoise);
        requireNotNegative("temperatureNoise", temperatureNoise);
        requireNotNegative("vibrationNoise", vibrationNoise);
        requirePositive("maxStep", maxStep);
        if (!(setpointMin <= setpointMax)) {
            throw new IllegalArgumentException("setpointMin " + setpointMin + " is above setpointMax " + setpointMax);
        }
        if (!(levelLowLow < levelHighHigh && levelHighHigh <= tankHeight)) {
            throw new IllegalArgumentException("need levelLowLow < levelHighHigh <= tankHeight, got " + levelLowLow
                    + ", " + levelHighHigh + ", " + tankHeight);
        }
    }

    /** These parameters with every noise bound set to 0: the measured values equal the true ones. */
    public PlantParameters withoutNoise() {
        return new PlantParameters(tankArea, tankHeight, valveMaxFlow, valveSlewRate, controllerGain,
                controllerIntegralTime, setpointMin, setpointMax, levelLowLow, levelHighHigh, pumpShutoffHead,
                pumpCurveCoefficient, systemStaticHead, systemCurveCoefficient, pumpStartDelay, pumpAccelerationTime,
                pumpCoastDownTime, pumpEfficiency, motorRatedPower, motorVoltage, motorPowerFactor, motorEfficiency,
                magnetisingCurrent, inrushFactor, inrushTime, inrushDecayTime, bearingTimeConstant, bearingLoadRise,
                bearingUnbalanceRise, vibrationRunning, vibrationStopped, vibrationUnbalance, unbalanceGrowthTime,
                ambientMean, ambientSwing, ambientPeriod, 0, 0, 0, 0, 0, 0, 0, maxStep);
    }

    /**
     * The motor nameplate current, A: the current the motor model draws at {@link #motorRatedPower()}, magnetising
     * current included (about 26 A with the defaults). The start inrush is a multiple of it.
     */
    public double motorRatedCurrent() {
        return motorRatedPower / motorEfficiency / (Math.sqrt(3.0) * motorVoltage * motorPowerFactor)
                + magnetisingCurrent;
    }

    private static void requirePositive(String name, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(name + " must be a positive number, got " + value);
        }
    }

    private static void requireNotNegative(String name, double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(name + " must be zero or positive, got " + value);
        }
    }
}
