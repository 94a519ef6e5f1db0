package dev.stator.simulator;

import java.util.Objects;
import java.util.SplittableRandom;

/**
 * The pumping station's dynamics: tank T-101, inlet valve FV-101 with level controller LIC-101, pumps P-101 and P-102
 * on a distribution main, their motors, bearings and vibration. Pure computation: no I/O, no threads, no clock; time
 * moves only through {@link #step(double)}.
 *
 * <p>Not thread-safe: one thread at a time. {@link PlantSimulator} calls it from its plant thread and from Modbus
 * handler threads, always under one lock. Tests call it from the test thread.
 *
 * <p>Commands act like the "PLC" program of the station: setpoints and outputs are clamped, a manual output written
 * while the controller is in auto is ignored, and a pump whose run command is set starts after the start delay. They
 * take effect at the next step.
 */
public final class PlantModel {

    private static final double SECONDS_PER_HOUR = 3600.0;
    // Bisection on the head to 25 m / 2^50: far below anything a float32 register can show.
    private static final int HEAD_ITERATIONS = 50;

    private final PlantParameters p;
    private final SplittableRandom noise;
    private final PumpState[] pumps = {new PumpState(), new PumpState()};

    private double time;
    private double level;
    private double valvePosition;
    private boolean auto;
    private double setpoint;
    private double output;
    private double integral;
    private double inflow;
    private double dischargeFlow;
    private double head;

    /**
     * A plant in {@code initial} state.
     *
     * @param parameters the plant constants
     * @param initial    where the plant starts
     * @param seed       seed of the measurement noise; the same seed and the same calls give the same readings
     */
    public PlantModel(PlantParameters parameters, InitialState initial, long seed) {
        this.p = Objects.requireNonNull(parameters, "parameters");
        Objects.requireNonNull(initial, "initial");
        this.noise = new SplittableRandom(seed);
        level = clamp(initial.level(), 0, p.tankHeight());
        valvePosition = clamp(initial.valvePosition(), 0, 100);
        setpoint = clampSetpoint(initial.setpoint());
        output = clamp(initial.controllerOutput(), 0, 100);
        auto = initial.controllerAuto();
        integral = clamp(output - proportionalTerm(), 0, 100);
        boolean[] run = {initial.p101Run(), initial.p102Run()};
        for (int i = 0; i < pumps.length; i++) {
            PumpState pump = pumps[i];
            pump.command = run[i];
            if (run[i]) {
                // Already running and past the start: no delay, no inrush.
                pump.energised = true;
                pump.speed = 1.0;
                pump.energisedTime = p.inrushTime() + 100 * p.inrushDecayTime();
            }
        }
        inflow = p.valveMaxFlow() * valvePosition / 100.0;
        solveHydraulics();
        double ambient = ambientAt(time);
        for (PumpState pump : pumps) {
            updateCondition(pump, 0.0, ambient);
            pump.bearingTemperature = bearingTarget(pump, ambient);
        }
    }

    /** The constants this model runs with. */
    public PlantParameters parameters() {
        return p;
    }

    /**
     * Advances the plant by {@code seconds} of simulated time, in equal sub-steps no longer than
     * {@link PlantParameters#maxStep()} so the dynamics stay stable whatever the step.
     *
     * @throws IllegalArgumentException if {@code seconds} is negative or not finite
     */
    public void step(double seconds) {
        if (!(seconds >= 0) || Double.isInfinite(seconds)) {
            throw new IllegalArgumentException("step must be zero or positive seconds, got " + seconds);
        }
        long count = (long) Math.ceil(seconds / p.maxStep());
        double h = seconds / count;
        for (long i = 0; i < count; i++) {
            subStep(h);
        }
    }

    /** Sets the run command of {@code pump}; clearing it stops the pump and resets its trip. */
    public void setPumpCommand(Pump pump, boolean run) {
        PumpState state = state(pump);
        state.command = run;
        if (!run) {
            state.tripped = false;
            state.startTimer = 0;
        }
    }

    /**
     * Puts LIC-101 in auto or manual. Both transfers are bumpless: to manual the output holds its last PI value, to
     * auto the integral starts from the current output (less the proportional term, so the output does not jump;
     * the integral stays within 0-100 %, so a very large error can still move it).
     */
    public void setControllerAuto(boolean newAuto) {
        if (newAuto && !auto) {
            integral = clamp(output - proportionalTerm(), 0, 100);
        }
        auto = newAuto;
    }

    /** Sets the LIC-101 setpoint, clamped to the setpoint range; NaN is ignored. Returns the setpoint now in force. */
    public double setSetpoint(double metres) {
        if (!Double.isNaN(metres)) {
            setpoint = clampSetpoint(metres);
        }
        return setpoint;
    }

    /**
     * Sets the LIC-101 output in manual, clamped to 0-100 %. Ignored in auto (the PI owns the output) and for NaN.
     *
     * @return whether the value was taken
     */
    public boolean setManualOutput(double percent) {
        if (auto || Double.isNaN(percent)) {
            return false;
        }
        output = clamp(percent, 0, 100);
        return true;
    }

    /** Injects (true) or clears (false) the unbalance fault of {@code pump}; clearing repairs it at once. */
    public void setUnbalanceInjected(Pump pump, boolean injected) {
        PumpState state = state(pump);
        state.unbalanceInjected = injected;
        if (!injected) {
            state.severity = 0;
        }
    }

    /** The run command of {@code pump}. */
    public boolean pumpCommand(Pump pump) {
        return state(pump).command;
    }

    /** Whether the unbalance fault of {@code pump} is injected. */
    public boolean unbalanceInjected(Pump pump) {
        return state(pump).unbalanceInjected;
    }

    /** Whether LIC-101 is in auto. */
    public boolean controllerAuto() {
        return auto;
    }

    /** The LIC-101 setpoint, m. */
    public double setpoint() {
        return setpoint;
    }

    /** The LIC-101 output, %: the PI output in auto, the written output in manual. */
    public double controllerOutput() {
        return output;
    }

    /** The true state of the plant, without noise. */
    public PlantSnapshot snapshot() {
        return new PlantSnapshot(time, level, inflow, dischargeFlow, head, pressure(), valvePosition, auto, setpoint,
                output, level >= p.levelHighHigh(), level <= p.levelLowLow(), ambientAt(time),
                pumps[0].snapshot(), pumps[1].snapshot());
    }

    /**
     * What the transmitters show: the true state with bounded, seeded measurement noise on the analog values. Each
     * call draws new noise; commands and switches are exact.
     */
    public PlantSnapshot measuredSnapshot() {
        return new PlantSnapshot(time,
                clamp(level + noise(p.levelNoise()), 0, p.tankHeight()),
                inflow * (1 + noise(p.flowNoise())),
                dischargeFlow * (1 + noise(p.flowNoise())),
                head,
                Math.max(0, pressure() + noise(p.pressureNoise())),
                clamp(valvePosition + noise(p.positionNoise()), 0, 100),
                auto, setpoint, output, level >= p.levelHighHigh(), level <= p.levelLowLow(),
                ambientAt(time) + noise(p.temperatureNoise()),
                measured(pumps[0]), measured(pumps[1]));
    }

    private PumpSnapshot measured(PumpState s) {
        return new PumpSnapshot(s.command, s.energised, s.tripped, s.speed, s.flow,
                s.current * (1 + noise(p.currentNoise())),
                s.bearingTemperature + noise(p.temperatureNoise()),
                Math.max(0, s.vibration + noise(p.vibrationNoise())),
                s.runHours, s.starts, s.unbalanceInjected, s.severity);
    }

    // Triangular noise within +/- bound: bounded like the spec of a transmitter, most readings near the truth.
    private double noise(double bound) {
        if (bound == 0) {
            return 0;
        }
        return bound * (noise.nextDouble() + noise.nextDouble() - 1.0);
    }

    private void subStep(double h) {
        time += h;
        double ambient = ambientAt(time);
        for (PumpState pump : pumps) {
            updateDrive(pump, h);
        }
        updateController(h);
        double travel = p.valveSlewRate() * h;
        valvePosition += clamp(output - valvePosition, -travel, travel);
        inflow = p.valveMaxFlow() * valvePosition / 100.0;
        solveHydraulics();
        if (level <= 0 && dischargeFlow > inflow) {
            // An empty tank cannot give more than it gets.
            double scale = inflow / dischargeFlow;
            for (PumpState pump : pumps) {
                pump.flow *= scale;
            }
            dischargeFlow = inflow;
        }
        level += (inflow - dischargeFlow) / SECONDS_PER_HOUR / p.tankArea() * h;
        level = clamp(level, 0, p.tankHeight());
        for (PumpState pump : pumps) {
            updateCondition(pump, h, ambient);
        }
    }

    private void updateDrive(PumpState pump, double h) {
        boolean wantsToRun = pump.command && !pump.tripped;
        if (wantsToRun && level <= p.levelLowLow()) {
            // Low-low interlock: no suction, so a running or starting pump trips and stays tripped until reset.
            pump.tripped = true;
            wantsToRun = false;
        }
        if (wantsToRun && !pump.energised) {
            pump.startTimer += h;
            if (pump.startTimer >= p.pumpStartDelay()) {
                pump.energised = true;
                pump.energisedTime = 0;
                pump.starts++;
            }
        }
        if (!wantsToRun) {
            pump.energised = false;
            pump.startTimer = 0;
        }
        if (pump.energised) {
            pump.speed = Math.min(1.0, pump.speed + h / p.pumpAccelerationTime());
            pump.energisedTime += h;
            pump.runHours += h / SECONDS_PER_HOUR;
        } else {
            pump.speed = Math.max(0.0, pump.speed - h / p.pumpCoastDownTime());
        }
        if (pump.unbalanceInjected) {
            pump.severity = Math.min(1.0, pump.severity + h / p.unbalanceGrowthTime());
        }
    }

    private void updateController(double h) {
        if (!auto) {
            return;
        }
        double error = setpoint - level;
        double proportional = p.controllerGain() * error;
        double candidate = integral + p.controllerGain() * error * h / p.controllerIntegralTime();
        double unclamped = proportional + candidate;
        // Anti-windup: stop integrating while the output is saturated and the error pushes it further out, and never
        // let the integral alone leave the output range.
        boolean windingUp = (unclamped > 100 && error > 0) || (unclamped < 0 && error < 0);
        if (!windingUp) {
            integral = candidate;
        }
        integral = clamp(integral, 0, 100);
        output = clamp(proportional + integral, 0, 100);
    }

    private double proportionalTerm() {
        return p.controllerGain() * (setpoint - level);
    }

    /**
     * Finds the operating point of the pumps in parallel against the system curve: a common head H where the sum of
     * the pump flows (affinity laws: H = H0 n^2 - a q^2 per pump) equals the system flow (H = Hs + b Q^2). A pump
     * whose shut-off head is below H delivers nothing (its check valve is shut). Sets the flows and the head.
     */
    private void solveHydraulics() {
        double shutoffMax = 0;
        for (PumpState pump : pumps) {
            pump.shutoffHead = p.pumpShutoffHead() * pump.speed * pump.speed;
            shutoffMax = Math.max(shutoffMax, pump.shutoffHead);
        }
        if (shutoffMax <= p.systemStaticHead()) {
            // Below the static head nothing flows; a turning pump shows its shut-off head on the gauge.
            for (PumpState pump : pumps) {
                pump.flow = 0;
            }
            dischargeFlow = 0;
            head = shutoffMax;
            return;
        }
        double low = p.systemStaticHead();
        double high = shutoffMax;
        for (int i = 0; i < HEAD_ITERATIONS; i++) {
            double mid = 0.5 * (low + high);
            if (pumpFlowAt(mid) > Math.sqrt((mid - p.systemStaticHead()) / p.systemCurveCoefficient())) {
                low = mid;
            } else {
                high = mid;
            }
        }
        head = 0.5 * (low + high);
        dischargeFlow = 0;
        for (PumpState pump : pumps) {
            pump.flow = flowAt(pump, head);
            dischargeFlow += pump.flow;
        }
    }

    private double pumpFlowAt(double atHead) {
        double total = 0;
        for (PumpState pump : pumps) {
            total += flowAt(pump, atHead);
        }
        return total;
    }

    private double flowAt(PumpState pump, double atHead) {
        double margin = pump.shutoffHead - atHead;
        return margin > 0 ? Math.sqrt(margin / p.pumpCurveCoefficient()) : 0;
    }

    private double pressure() {
        // The gauge sees the pump head on top of the suction (tank level); with no pump turning, head is 0.
        return (head + level) * PlantParameters.BAR_PER_METRE;
    }

    private void updateCondition(PumpState pump, double h, double ambient) {
        double pumpHead = pump.flow > 0 ? head : 0;
        pump.shaftPower = PlantParameters.WATER_DENSITY * PlantParameters.GRAVITY * (pump.flow / SECONDS_PER_HOUR)
                * pumpHead / p.pumpEfficiency();
        if (pump.energised) {
            double running = pump.shaftPower / p.motorEfficiency()
                    / (Math.sqrt(3.0) * p.motorVoltage() * p.motorPowerFactor()) + p.magnetisingCurrent();
            double inrush = p.inrushFactor() * p.motorRatedCurrent();
            if (pump.energisedTime < p.inrushTime()) {
                pump.current = Math.max(inrush, running);
            } else {
                double decay = Math.exp(-(pump.energisedTime - p.inrushTime()) / p.inrushDecayTime());
                pump.current = running + Math.max(0, inrush - running) * decay;
            }
        } else {
            pump.current = 0;
        }
        if (h > 0) {
            double target = bearingTarget(pump, ambient);
            pump.bearingTemperature += (target - pump.bearingTemperature)
                    * (1 - Math.exp(-h / p.bearingTimeConstant()));
        }
        // Unbalance force grows with the square of speed; the healthy level scales with speed.
        pump.vibration = p.vibrationStopped() + (p.vibrationRunning() - p.vibrationStopped()) * pump.speed
                + p.vibrationUnbalance() * pump.severity * pump.speed * pump.speed;
    }

    private double bearingTarget(PumpState pump, double ambient) {
        double load = pump.shaftPower / p.motorRatedPower();
        return ambient + p.bearingLoadRise() * load + p.bearingUnbalanceRise() * pump.severity * pump.speed;
    }

    private double ambientAt(double seconds) {
        return p.ambientMean() + p.ambientSwing() * Math.sin(2 * Math.PI * seconds / p.ambientPeriod());
    }

    private double clampSetpoint(double metres) {
        return clamp(metres, p.setpointMin(), p.setpointMax());
    }

    private PumpState state(Pump pump) {
        return pumps[Objects.requireNonNull(pump, "pump").ordinal()];
    }

    private static double clamp(double value, double min, double max) {
        return Math.max(min, Math.min(max, value));
    }

    /** The mutable state of one pump, its motor and its condition. */
    private static final class PumpState {
        boolean command;
        boolean energised;
        boolean tripped;
        boolean unbalanceInjected;
        double startTimer;
        double energisedTime;
        double speed;
        double shutoffHead;
        double flow;
        double shaftPower;
        double current;
        double bearingTemperature;
        double vibration;
        double severity;
        double runHours;
        int starts;

        PumpSnapshot snapshot() {
            return new PumpSnapshot(command, energised, tripped, speed, flow, current, bearingTemperature, vibration,
                    runHours, starts, unbalanceInjected, severity);
        }
    }
}
