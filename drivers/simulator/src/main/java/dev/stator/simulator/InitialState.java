package dev.stator.simulator;

/**
 * Where the plant starts. Pumps commanded to run start already running at full speed and warm (no start delay, no
 * inrush, bearings at their steady temperature); their run hours and start counts start at 0.
 *
 * <p>{@link #DEFAULT}: level 2.0 m, LIC-101 in auto at setpoint 2.0 m, P-101 running, P-102 stopped, controller output
 * and valve at 72.5 %, about the one-pump equilibrium (87 m3/h in). Immutable; the {@code with...} methods return
 * copies. Values outside the plant's ranges are clamped by the model.
 *
 * @param level             LT-101 level, m
 * @param p101Run           P-101 run command (and running)
 * @param p102Run           P-102 run command (and running)
 * @param controllerAuto    LIC-101 in auto (true) or manual (false)
 * @param setpoint          LIC-101 setpoint, m
 * @param controllerOutput  LIC-101 output, %: the manual output in manual, the starting PI output in auto
 * @param valvePosition     FV-101 position, %
 */
public record InitialState(double level, boolean p101Run, boolean p102Run, boolean controllerAuto, double setpoint,
        double controllerOutput, double valvePosition) {

    /** The documented default state. */
    public static final InitialState DEFAULT = new InitialState(2.0, true, false, true, 2.0, 72.5, 72.5);

    public InitialState {
        requireFinite("level", level);
        requireFinite("setpoint", setpoint);
        requireFinite("controllerOutput", controllerOutput);
        requireFinite("valvePosition", valvePosition);
    }

    /** A copy starting at {@code metres}. */
    public InitialState withLevel(double metres) {
        return new InitialState(metres, p101Run, p102Run, controllerAuto, setpoint, controllerOutput, valvePosition);
    }

    /** A copy with these run commands. */
    public InitialState withPumps(boolean p101, boolean p102) {
        return new InitialState(level, p101, p102, controllerAuto, setpoint, controllerOutput, valvePosition);
    }

    /** A copy with LIC-101 in auto or manual, its output at {@code outputPercent}. */
    public InitialState withController(boolean auto, double outputPercent) {
        return new InitialState(level, p101Run, p102Run, auto, setpoint, outputPercent, valvePosition);
    }

    /** A copy with this LIC-101 setpoint, m. */
    public InitialState withSetpoint(double metres) {
        return new InitialState(level, p101Run, p102Run, controllerAuto, metres, controllerOutput, valvePosition);
    }

    /** A copy with FV-101 starting at {@code percent}. */
    public InitialState withValvePosition(double percent) {
        return new InitialState(level, p101Run, p102Run, controllerAuto, setpoint, controllerOutput, percent);
    }

    /** LIC-101 in manual with both its output and the valve at {@code percent}: a steady inflow from the start. */
    public InitialState withManualValve(double percent) {
        return new InitialState(level, p101Run, p102Run, false, setpoint, percent, percent);
    }

    private static void requireFinite(String name, double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException(name + " must be a finite number, got " + value);
        }
    }
}
