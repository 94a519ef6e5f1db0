package dev.stator.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class PlantModelTest {

    private static final PlantParameters EXACT = PlantParameters.DEFAULTS.withoutNoise();
    private static final double BAR_PER_METRE = PlantParameters.BAR_PER_METRE;

    private static PlantModel model(InitialState initial) {
        return new PlantModel(EXACT, initial, 1L);
    }

    /** Steps in slices of {@code slice} until {@code seconds} have passed; returns the snapshots' extremes. */
    private static double maxLevelWhileStepping(PlantModel m, double seconds, double slice) {
        double max = m.snapshot().level();
        for (double t = 0; t < seconds; t += slice) {
            m.step(slice);
            max = Math.max(max, m.snapshot().level());
        }
        return max;
    }

    @Test
    void levelRisesAtInflowOverAreaWithPumpsStoppedAndValveAtHalf() {
        PlantModel m = model(InitialState.DEFAULT.withLevel(1.0).withPumps(false, false).withManualValve(50));
        double expectedSlope = 60.0 / 3600.0 / 12.0;

        m.step(1.0);
        PlantSnapshot afterOne = m.snapshot();
        m.step(99.0);
        PlantSnapshot after100 = m.snapshot();

        assertThat(afterOne.inflow()).isEqualTo(60.0, within(1e-12));
        assertThat(afterOne.dischargeFlow()).isZero();
        assertThat(afterOne.level() - 1.0).isEqualTo(expectedSlope, within(1e-12));
        assertThat((after100.level() - afterOne.level()) / 99.0).isEqualTo(expectedSlope, within(1e-12));
        assertThat(after100.simulatedSeconds()).isEqualTo(100.0, within(1e-9));
    }

    @Test
    void overflowAboveTheTankHeightIsLost() {
        PlantModel m = model(InitialState.DEFAULT.withLevel(3.95).withPumps(false, false).withManualValve(100));

        m.step(600);

        PlantSnapshot s = m.snapshot();
        assertThat(s.level()).isEqualTo(4.0);
        assertThat(s.levelHighHigh()).isTrue();
    }

    @Test
    void onePumpRunsAtAbout87CubicMetresPerHourAnd26Metres() {
        PlantModel m = model(InitialState.DEFAULT);

        m.step(10);

        PlantSnapshot s = m.snapshot();
        assertThat(s.dischargeFlow()).isEqualTo(87.04, within(0.05));
        assertThat(s.p101().flow()).isEqualTo(s.dischargeFlow());
        assertThat(s.p102().flow()).isZero();
        assertThat(s.dischargeHead()).isEqualTo(26.06, within(0.05));
        assertThat(s.dischargePressure()).isEqualTo((s.dischargeHead() + s.level()) * BAR_PER_METRE, within(1e-9));
        // Pump and system curves agree at the operating point.
        assertThat(45 - 0.0025 * s.dischargeFlow() * s.dischargeFlow()).isEqualTo(s.dischargeHead(), within(1e-6));
        assertThat(20 + 0.0008 * s.dischargeFlow() * s.dischargeFlow()).isEqualTo(s.dischargeHead(), within(1e-6));
    }

    @Test
    void twoPumpsGiveAbout132CubicMetresPerHourAndAHigherPressure() {
        PlantModel m = model(InitialState.DEFAULT);
        m.step(10);
        double onePumpPressure = m.snapshot().dischargePressure();

        m.setPumpCommand(Pump.P102, true);
        m.step(10);

        PlantSnapshot s = m.snapshot();
        assertThat(s.p102().running()).isTrue();
        assertThat(s.dischargeFlow()).isEqualTo(132.45, within(0.1));
        assertThat(s.p101().flow()).isEqualTo(s.p102().flow(), within(1e-6));
        assertThat(s.dischargeHead()).isEqualTo(34.04, within(0.05));
        assertThat(s.dischargePressure()).isGreaterThan(onePumpPressure + 0.5);
    }

    @Test
    void aStartWaitsTwoSecondsRampsOverThreeAndDrawsInrush() {
        PlantModel m = model(InitialState.DEFAULT.withPumps(false, false));
        double rated = EXACT.motorRatedCurrent();

        m.setPumpCommand(Pump.P101, true);
        m.step(1.9);
        PumpSnapshot waiting = m.snapshot().p101();
        m.step(0.2);
        PumpSnapshot justStarted = m.snapshot().p101();
        m.step(1.5);
        PumpSnapshot accelerating = m.snapshot().p101();
        m.step(2.0);
        PumpSnapshot atSpeed = m.snapshot().p101();
        m.step(10);
        PumpSnapshot settled = m.snapshot().p101();

        assertThat(waiting.running()).isFalse();
        assertThat(waiting.speed()).isZero();
        assertThat(waiting.motorCurrent()).isZero();
        assertThat(justStarted.running()).isTrue();
        assertThat(justStarted.starts()).isEqualTo(1);
        assertThat(justStarted.motorCurrent()).isEqualTo(6 * rated, within(0.01));
        assertThat(accelerating.speed()).isBetween(0.3, 0.7);
        assertThat(atSpeed.speed()).isEqualTo(1.0);
        assertThat(settled.motorCurrent()).isBetween(15.0, 25.0);
        assertThat(settled.flow()).isEqualTo(87.04, within(0.05));
    }

    @Test
    void aStopDropsRunFeedbackAtOnceAndCoastsDownOverFiveSeconds() {
        PlantModel m = model(InitialState.DEFAULT);
        m.step(1);

        m.setPumpCommand(Pump.P101, false);
        m.step(2.5);
        PumpSnapshot coasting = m.snapshot().p101();
        m.step(3.0);
        PlantSnapshot stopped = m.snapshot();

        assertThat(coasting.running()).isFalse();
        assertThat(coasting.motorCurrent()).isZero();
        assertThat(coasting.speed()).isEqualTo(0.5, within(1e-9));
        assertThat(stopped.p101().speed()).isZero();
        assertThat(stopped.dischargeFlow()).isZero();
        assertThat(stopped.dischargePressure()).isEqualTo(stopped.level() * BAR_PER_METRE, within(1e-12));
        assertThat(stopped.p101().vibration()).isEqualTo(0.05, within(1e-9));
    }

    @Test
    void controllerInAutoBringsTheLevelToANewSetpoint() {
        PlantModel m = model(InitialState.DEFAULT);

        m.setSetpoint(3.0);
        double max = maxLevelWhileStepping(m, 3 * 3600, 10);

        PlantSnapshot s = m.snapshot();
        assertThat(s.level()).isEqualTo(3.0, within(0.01));
        assertThat(s.controllerOutput()).isEqualTo(87.04 / 1.2, within(0.5));
        assertThat(max).as("overshoot stays below the high-high switch").isBetween(3.05, 3.8);
    }

    @Test
    void outputSaturatesWithoutWindUp() {
        // Two pumps out-pump the fully open valve: the output sits at 100 % and the level falls.
        PlantModel m = model(InitialState.DEFAULT.withPumps(true, true).withLevel(3.0));
        m.setSetpoint(3.5);
        m.step(1200);
        assertThat(m.snapshot().controllerOutput()).isEqualTo(100.0);

        // Once one pump stops, a wound-up integral would hold the valve open far past the setpoint.
        m.setPumpCommand(Pump.P102, false);
        double max = maxLevelWhileStepping(m, 4 * 3600, 10);

        assertThat(max).isLessThan(3.8);
        assertThat(m.snapshot().level()).isEqualTo(3.5, within(0.02));
    }

    @Test
    void manualToAutoIsBumpless() {
        PlantModel m = model(InitialState.DEFAULT.withController(false, 40).withValvePosition(40).withLevel(2.5));
        m.step(5);

        m.setControllerAuto(true);
        m.step(0.1);

        // Without bumpless transfer the proportional term alone (40 %/m x -0.5 m) would jump the output by 20 %.
        assertThat(m.snapshot().controllerOutput()).isEqualTo(40.0, within(0.05));
    }

    @Test
    void autoToManualHoldsTheOutputAndManualWritesAreIgnoredInAuto() {
        PlantModel m = model(InitialState.DEFAULT);
        m.setSetpoint(2.5);
        m.step(30);
        double pidOutput = m.snapshot().controllerOutput();

        assertThat(m.setManualOutput(10)).isFalse();
        m.setControllerAuto(false);
        m.step(30);

        assertThat(m.snapshot().controllerOutput()).isEqualTo(pidOutput);
        assertThat(m.setManualOutput(150)).isTrue();
        assertThat(m.controllerOutput()).isEqualTo(100.0);
        m.step(20);
        assertThat(m.snapshot().valvePosition()).as("the actuator moves 5 %/s").isEqualTo(100.0);
    }

    @Test
    void valveFollowsTheOutputAtFivePercentPerSecond() {
        PlantModel m = model(InitialState.DEFAULT.withManualValve(20));

        m.setManualOutput(70);
        m.step(4);

        assertThat(m.snapshot().valvePosition()).isEqualTo(40.0, within(1e-9));
        assertThat(m.snapshot().inflow()).isEqualTo(48.0, within(1e-9));
    }

    @Test
    void setpointIsClampedAndNaNIgnored() {
        PlantModel m = model(InitialState.DEFAULT);

        assertThat(m.setSetpoint(9.0)).isEqualTo(3.8);
        assertThat(m.setSetpoint(0.0)).isEqualTo(0.3);
        assertThat(m.setSetpoint(Double.NaN)).isEqualTo(0.3);
        assertThat(m.setSetpoint(2.25)).isEqualTo(2.25);
    }

    @Test
    void unbalanceRaisesVibrationPastAlarmLevelsAndHeatsTheBearing() {
        PlantModel m = model(InitialState.DEFAULT);
        m.step(60);
        double bearingBefore = m.snapshot().p101().bearingTemperature();

        m.setUnbalanceInjected(Pump.P101, true);
        double crossed28 = -1;
        double crossed45 = -1;
        for (int second = 1; second <= 6 * 60; second++) {
            m.step(1);
            double vibration = m.snapshot().p101().vibration();
            if (crossed28 < 0 && vibration > 2.8) {
                crossed28 = second;
            }
            if (crossed45 < 0 && vibration > 4.5) {
                crossed45 = second;
            }
        }
        PlantSnapshot faulty = m.snapshot();

        assertThat(crossed28).as("2.8 mm/s after a few minutes").isBetween(120.0, 200.0);
        assertThat(crossed45).as("4.5 mm/s after about 5 minutes").isBetween(280.0, 340.0);
        assertThat(faulty.p101().bearingTemperature()).isGreaterThan(bearingBefore + 2.0);
        assertThat(faulty.p102().vibration()).as("the other pump is healthy").isEqualTo(0.05, within(1e-9));

        m.setUnbalanceInjected(Pump.P101, false);
        m.step(0.1);

        assertThat(m.snapshot().p101().unbalanceSeverity()).isZero();
        assertThat(m.snapshot().p101().vibration()).isEqualTo(1.1, within(1e-9));
    }

    @Test
    void lowLowLevelTripsTheRunningPumpAndTheTripLatchesUntilTheCommandIsCleared() {
        PlantModel m = model(InitialState.DEFAULT.withLevel(1.0).withManualValve(0));

        double tripLevel = -1;
        for (int second = 0; second < 3600 && tripLevel < 0; second++) {
            m.step(1);
            if (m.snapshot().p101().tripped()) {
                tripLevel = m.snapshot().level();
            }
        }
        assertThat(tripLevel).as("tripped within an hour").isPositive();
        assertThat(tripLevel).isEqualTo(0.3, within(0.005));

        m.step(600);
        PlantSnapshot latched = m.snapshot();
        assertThat(latched.p101().tripped()).isTrue();
        assertThat(latched.p101().running()).isFalse();
        assertThat(latched.p101().runCommand()).isTrue();
        assertThat(latched.levelLowLow()).isTrue();
        assertThat(latched.dischargeFlow()).isZero();
        assertThat(latched.level()).isGreaterThan(0.28);

        m.setPumpCommand(Pump.P101, false);
        m.step(0.1);
        assertThat(m.snapshot().p101().tripped()).isFalse();

        // The interlock still holds while the level is low-low: a new start trips at once.
        m.setPumpCommand(Pump.P101, true);
        m.step(5);
        assertThat(m.snapshot().p101().tripped()).isTrue();
        assertThat(m.snapshot().p101().starts()).isZero();
    }

    @Test
    void runHoursCountEnergisedTime() {
        PlantModel m = model(InitialState.DEFAULT);

        m.step(1800);

        assertThat(m.snapshot().p101().runHours()).isEqualTo(0.5, within(1e-9));
        assertThat(m.snapshot().p102().runHours()).isZero();
    }

    @Test
    void oneLongStepEqualsManyShortOnes() {
        PlantModel once = model(InitialState.DEFAULT);
        PlantModel often = model(InitialState.DEFAULT);
        once.setSetpoint(3.0);
        often.setSetpoint(3.0);

        once.step(600);
        for (int i = 0; i < 6000; i++) {
            often.step(0.1);
        }

        assertThat(once.snapshot().level()).isEqualTo(often.snapshot().level(), within(1e-9));
        assertThat(once.snapshot().controllerOutput()).isEqualTo(often.snapshot().controllerOutput(), within(1e-6));
    }

    @Test
    void noiseIsSeededBoundedAndOffWhenZero() {
        PlantModel a = new PlantModel(PlantParameters.DEFAULTS, InitialState.DEFAULT, 7L);
        PlantModel b = new PlantModel(PlantParameters.DEFAULTS, InitialState.DEFAULT, 7L);
        PlantModel c = new PlantModel(PlantParameters.DEFAULTS, InitialState.DEFAULT, 8L);
        PlantModel exact = model(InitialState.DEFAULT);

        for (int i = 0; i < 200; i++) {
            PlantSnapshot truth = a.snapshot();
            PlantSnapshot measured = a.measuredSnapshot();
            assertThat(b.measuredSnapshot()).isEqualTo(measured);
            assertThat(measured.level()).isEqualTo(truth.level(), within(0.002));
            assertThat(measured.dischargeFlow())
                    .isEqualTo(truth.dischargeFlow(), within(truth.dischargeFlow() * 0.003));
            assertThat(measured.dischargePressure()).isEqualTo(truth.dischargePressure(), within(0.005));
            assertThat(measured.p101().vibration()).isEqualTo(truth.p101().vibration(), within(0.05));
            a.step(1);
            b.step(1);
        }
        assertThat(c.measuredSnapshot().level()).isNotEqualTo(a.measuredSnapshot().level());
        assertThat(exact.measuredSnapshot()).isEqualTo(exact.snapshot());
    }

    @Test
    void ambientDriftsSlowlyAround21Degrees() {
        PlantModel m = model(InitialState.DEFAULT);
        double min = Double.MAX_VALUE;
        double max = -Double.MAX_VALUE;
        for (int hour = 0; hour < 24; hour++) {
            m.step(3600);
            min = Math.min(min, m.snapshot().ambientTemperature());
            max = Math.max(max, m.snapshot().ambientTemperature());
        }
        assertThat(min).isBetween(18.5, 20.0);
        assertThat(max).isBetween(22.0, 23.5);
    }

    @Test
    void rejectsNegativeSteps() {
        PlantModel m = model(InitialState.DEFAULT);
        assertThatThrownBy(() -> m.step(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> m.step(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    }
}
