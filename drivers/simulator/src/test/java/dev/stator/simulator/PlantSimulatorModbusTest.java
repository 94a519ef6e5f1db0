package dev.stator.simulator;

import static dev.stator.simulator.SimTesting.await;
import static dev.stator.simulator.SimTesting.connect;
import static dev.stator.simulator.SimTesting.floatAt;
import static dev.stator.simulator.SimTesting.readFloat;
import static dev.stator.simulator.SimTesting.startSimulator;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.ghgande.j2mod.modbus.Modbus;
import com.ghgande.j2mod.modbus.ModbusSlaveException;
import com.ghgande.j2mod.modbus.facade.ModbusTCPMaster;
import com.ghgande.j2mod.modbus.procimg.InputRegister;
import com.ghgande.j2mod.modbus.procimg.Register;
import com.ghgande.j2mod.modbus.procimg.SimpleRegister;
import com.ghgande.j2mod.modbus.util.BitVector;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** The running simulator seen through a real j2mod master on one persistent TCP connection. */
class PlantSimulatorModbusTest {

    private static final int UNIT = 1;

    private PlantSimulator sim;
    private ModbusTCPMaster master;

    @AfterEach
    void tearDown() {
        if (master != null) {
            master.disconnect();
        }
        if (sim != null) {
            sim.close();
        }
    }

    private void start(UnaryOperator<PlantSimulator.Builder> config) throws Exception {
        sim = startSimulator(config);
        master = connect(sim.modbusPort());
    }

    private static Register[] floatRegisters(float value) {
        return new Register[] {new SimpleRegister(RegisterMap.highWord(value)),
                new SimpleRegister(RegisterMap.lowWord(value))};
    }

    @Test
    void everyTableReadsByTheRegisterMap() throws Exception {
        start(b -> b);
        await(Duration.ofSeconds(5), "a first scan", () -> sim.snapshot().simulatedSeconds() > 0.2);

        BitVector coils = master.readCoils(UNIT, 0, RegisterMap.COIL_COUNT);
        BitVector inputs = master.readInputDiscretes(UNIT, 0, RegisterMap.DI_COUNT);
        InputRegister[] ir = master.readInputRegisters(UNIT, 0, RegisterMap.IR_COUNT);
        Register[] hr = master.readMultipleRegisters(UNIT, 0, RegisterMap.HR_COUNT);
        PlantSnapshot truth = sim.snapshot();

        assertThat(coils.getBit(RegisterMap.COIL_P101_RUN)).isTrue();
        assertThat(coils.getBit(RegisterMap.COIL_P102_RUN)).isFalse();
        assertThat(coils.getBit(RegisterMap.COIL_LIC101_AUTO)).isTrue();
        for (int reserved = 3; reserved <= 7; reserved++) {
            assertThat(coils.getBit(reserved)).as("reserved coil %d", reserved).isFalse();
        }
        assertThat(coils.getBit(RegisterMap.COIL_P101_UNBALANCE)).isFalse();
        assertThat(coils.getBit(RegisterMap.COIL_P102_UNBALANCE)).isFalse();

        assertThat(inputs.getBit(RegisterMap.DI_P101_RUNNING)).isTrue();
        assertThat(inputs.getBit(RegisterMap.DI_P102_RUNNING)).isFalse();
        assertThat(inputs.getBit(RegisterMap.DI_P101_TRIPPED)).isFalse();
        assertThat(inputs.getBit(RegisterMap.DI_P102_TRIPPED)).isFalse();
        assertThat(inputs.getBit(RegisterMap.DI_LSHH101)).isFalse();
        assertThat(inputs.getBit(RegisterMap.DI_LSLL101)).isFalse();

        assertThat(floatAt(ir, RegisterMap.IR_LT101_LEVEL)).isCloseTo((float) truth.level(), within(0.005f));
        assertThat(floatAt(ir, RegisterMap.IR_FT101_INFLOW)).isCloseTo(87.0f, within(1.0f));
        assertThat(floatAt(ir, RegisterMap.IR_FT102_DISCHARGE_FLOW)).isCloseTo(87.04f, within(0.5f));
        assertThat(floatAt(ir, RegisterMap.IR_PT102_PRESSURE)).isCloseTo(2.753f, within(0.02f));
        assertThat(floatAt(ir, RegisterMap.IR_ZT101_VALVE_POSITION)).isCloseTo(72.5f, within(0.5f));
        assertThat(floatAt(ir, RegisterMap.IR_P101_CURRENT)).isCloseTo((float) truth.p101().motorCurrent(),
                within(0.5f));
        assertThat(floatAt(ir, RegisterMap.IR_P101_BEARING_TEMPERATURE)).isCloseTo(35.0f, within(0.5f));
        assertThat(floatAt(ir, RegisterMap.IR_P101_VIBRATION)).isCloseTo(1.1f, within(0.1f));
        assertThat(floatAt(ir, RegisterMap.IR_P102_CURRENT)).isZero();
        assertThat(floatAt(ir, RegisterMap.IR_P102_BEARING_TEMPERATURE)).isCloseTo(21.0f, within(0.2f));
        assertThat(floatAt(ir, RegisterMap.IR_P102_VIBRATION)).isCloseTo(0.05f, within(0.06f));
        assertThat(floatAt(ir, RegisterMap.IR_P101_RUN_HOURS)).isBetween(0f, 0.01f);
        assertThat(floatAt(ir, RegisterMap.IR_P102_RUN_HOURS)).isZero();
        assertThat(ir[RegisterMap.IR_P101_STARTS].getValue()).isZero();
        assertThat(ir[RegisterMap.IR_P102_STARTS].getValue()).isZero();
        assertThat(ir[RegisterMap.IR_TT100_AMBIENT].toShort()).isBetween((short) 209, (short) 212);
        assertThat(ir[RegisterMap.IR_HEARTBEAT].getValue()).isBetween(0, 60);

        assertThat(RegisterMap.toFloat(hr[0].getValue(), hr[1].getValue())).isEqualTo(2.0f);
        assertThat(RegisterMap.toFloat(hr[2].getValue(), hr[3].getValue()))
                .isCloseTo((float) truth.controllerOutput(), within(0.5f));
    }

    @Test
    void writesLandInTheModel() throws Exception {
        start(b -> b);

        master.writeMultipleRegisters(UNIT, RegisterMap.HR_LIC101_SETPOINT, floatRegisters(3.25f));
        assertThat(sim.snapshot().setpoint()).isEqualTo(3.25);

        master.writeMultipleRegisters(UNIT, RegisterMap.HR_LIC101_SETPOINT, floatRegisters(9.0f));
        Register[] clamped = master.readMultipleRegisters(UNIT, RegisterMap.HR_LIC101_SETPOINT, 2);
        assertThat(RegisterMap.toFloat(clamped[0].getValue(), clamped[1].getValue())).isEqualTo(3.8f);

        master.writeCoil(UNIT, RegisterMap.COIL_LIC101_AUTO, false);
        master.writeMultipleRegisters(UNIT, RegisterMap.HR_LIC101_OUTPUT, floatRegisters(12.5f));
        BitVector commands = new BitVector(2);
        commands.setBit(0, false);
        commands.setBit(1, true);
        master.writeMultipleCoils(UNIT, RegisterMap.COIL_P101_RUN, commands);
        master.writeCoil(UNIT, RegisterMap.COIL_P102_UNBALANCE, true);

        PlantSnapshot s = sim.snapshot();
        assertThat(s.controllerAuto()).isFalse();
        assertThat(s.controllerOutput()).isEqualTo(12.5);
        assertThat(s.p101().runCommand()).isFalse();
        assertThat(s.p102().runCommand()).isTrue();
        assertThat(s.p102().unbalanceInjected()).isTrue();
        await(Duration.ofSeconds(10), "P-102 run feedback after its start delay", () ->
                master.readInputDiscretes(UNIT, RegisterMap.DI_P102_RUNNING, 1).getBit(0));
        assertThat(master.readInputDiscretes(UNIT, RegisterMap.DI_P101_RUNNING, 1).getBit(0)).isFalse();
    }

    @Test
    void addressesOutsideTheMapAnswerIllegalDataAddress() throws Exception {
        start(b -> b);
        List<Executable> outside = new ArrayList<>();
        outside.add(() -> master.readCoils(UNIT, RegisterMap.COIL_COUNT, 1));
        outside.add(() -> master.readCoils(UNIT, 0, RegisterMap.COIL_COUNT + 1));
        outside.add(() -> master.writeCoil(UNIT, RegisterMap.COIL_COUNT, true));
        outside.add(() -> master.readInputDiscretes(UNIT, RegisterMap.DI_COUNT, 1));
        outside.add(() -> master.readInputRegisters(UNIT, RegisterMap.IR_COUNT, 1));
        outside.add(() -> master.readInputRegisters(UNIT, RegisterMap.IR_HEARTBEAT, 2));
        outside.add(() -> master.readMultipleRegisters(UNIT, RegisterMap.HR_COUNT, 1));
        outside.add(() -> master.readMultipleRegisters(UNIT, RegisterMap.HR_LIC101_OUTPUT + 1, 2));
        outside.add(() -> master.writeSingleRegister(UNIT, RegisterMap.HR_COUNT, new SimpleRegister(1)));
        outside.add(() -> master.writeMultipleRegisters(UNIT, 3, floatRegisters(1.0f)));
        outside.add(() -> master.readInputRegisters(UNIT + 1, 0, 1));

        for (Executable request : outside) {
            assertThatThrownBy(request::execute)
                    .isInstanceOfSatisfying(ModbusSlaveException.class,
                            e -> assertThat(e.getType()).isEqualTo(Modbus.ILLEGAL_ADDRESS_EXCEPTION));
        }
        // The connection survives exception responses.
        assertThat(master.readInputRegisters(UNIT, RegisterMap.IR_HEARTBEAT, 1)).hasSize(1);
        assertThat(sim.snapshot().setpoint()).isEqualTo(2.0);
    }

    @Test
    void levelRisesAtTheMassBalanceSlopeTimesTheTimeScale() throws Exception {
        double timeScale = 60;
        start(b -> b.timeScale(timeScale)
                .initialState(InitialState.DEFAULT.withLevel(1.0).withPumps(false, false).withManualValve(50)));
        double expected = 60.0 / 3600.0 / 12.0 * timeScale;

        // Least squares of level against the real time of each read, over about 3 s.
        List<double[]> samples = new ArrayList<>();
        long begin = System.nanoTime();
        while (System.nanoTime() - begin < Duration.ofSeconds(3).toNanos() && samples.size() < 2000) {
            long before = System.nanoTime();
            float level = readFloat(master, UNIT, RegisterMap.IR_LT101_LEVEL);
            long after = System.nanoTime();
            samples.add(new double[] {((before + after) / 2 - begin) * 1e-9, level});
            Thread.sleep(20);
        }
        double slope = slope(samples);

        assertThat(samples.size()).isGreaterThan(50);
        assertThat(slope).isCloseTo(expected, within(expected * 0.06));
    }

    @Test
    void controllerInAutoBringsTheLevelToASetpointWrittenOverModbus() throws Exception {
        start(b -> b.timeScale(2000));

        master.writeMultipleRegisters(UNIT, RegisterMap.HR_LIC101_SETPOINT, floatRegisters(3.0f));
        double written = sim.snapshot().simulatedSeconds();
        float highest = 0;
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (sim.snapshot().simulatedSeconds() < written + 3 * 3600) {
            assertThat(System.nanoTime() - deadline).as("3 simulated hours within 20 s").isNegative();
            highest = Math.max(highest, readFloat(master, UNIT, RegisterMap.IR_LT101_LEVEL));
            Thread.sleep(20);
        }

        assertThat(readFloat(master, UNIT, RegisterMap.IR_LT101_LEVEL)).isCloseTo(3.0f, within(0.02f));
        assertThat(highest).as("overshoot, below the high-high switch").isBetween(3.05f, 3.8f);
        assertThat(master.readInputDiscretes(UNIT, RegisterMap.DI_LSHH101, 1).getBit(0)).isFalse();
    }

    @Test
    void unbalanceRaisesVibrationPastTheAlarmAndClearingRepairsIt() throws Exception {
        start(b -> b.timeScale(300));
        float bearingBefore = readFloat(master, UNIT, RegisterMap.IR_P101_BEARING_TEMPERATURE);

        master.writeCoil(UNIT, RegisterMap.COIL_P101_UNBALANCE, true);
        double injected = sim.snapshot().simulatedSeconds();
        await(Duration.ofSeconds(10), "P-101 vibration above 4.5 mm/s",
                () -> readFloat(master, UNIT, RegisterMap.IR_P101_VIBRATION) > 4.5f);
        double minutes = (sim.snapshot().simulatedSeconds() - injected) / 60;

        assertThat(minutes).as("simulated minutes to 4.5 mm/s").isBetween(4.5, 6.5);
        assertThat(readFloat(master, UNIT, RegisterMap.IR_P101_BEARING_TEMPERATURE)).isGreaterThan(bearingBefore + 1);
        assertThat(readFloat(master, UNIT, RegisterMap.IR_P102_VIBRATION)).isLessThan(0.2f);

        master.writeCoil(UNIT, RegisterMap.COIL_P101_UNBALANCE, false);
        await(Duration.ofSeconds(5), "P-101 vibration back to normal",
                () -> readFloat(master, UNIT, RegisterMap.IR_P101_VIBRATION) < 1.3f);
    }

    @Test
    void lowLowLevelTripsThePumpOnTheWireUntilTheCommandIsCleared() throws Exception {
        start(b -> b.timeScale(100).initialState(InitialState.DEFAULT.withLevel(0.45).withManualValve(0)));

        await(Duration.ofSeconds(10), "P-101 tripped",
                () -> master.readInputDiscretes(UNIT, RegisterMap.DI_P101_TRIPPED, 1).getBit(0));
        BitVector inputs = master.readInputDiscretes(UNIT, 0, RegisterMap.DI_COUNT);
        assertThat(inputs.getBit(RegisterMap.DI_P101_RUNNING)).isFalse();
        assertThat(inputs.getBit(RegisterMap.DI_LSLL101)).isTrue();
        assertThat(readFloat(master, UNIT, RegisterMap.IR_LT101_LEVEL)).isCloseTo(0.3f, within(0.02f));

        double trippedAt = sim.snapshot().simulatedSeconds();
        await(Duration.ofSeconds(5), "a simulated minute", () -> sim.snapshot().simulatedSeconds() > trippedAt + 60);
        assertThat(master.readInputDiscretes(UNIT, RegisterMap.DI_P101_TRIPPED, 1).getBit(0)).as("latched").isTrue();
        assertThat(master.readCoils(UNIT, RegisterMap.COIL_P101_RUN, 1).getBit(0)).isTrue();

        master.writeCoil(UNIT, RegisterMap.COIL_P101_RUN, false);
        await(Duration.ofSeconds(5), "the trip reset",
                () -> !master.readInputDiscretes(UNIT, RegisterMap.DI_P101_TRIPPED, 1).getBit(0));
    }

    private static double slope(List<double[]> points) {
        double n = points.size();
        double sx = 0;
        double sy = 0;
        double sxx = 0;
        double sxy = 0;
        for (double[] p : points) {
            sx += p[0];
            sy += p[1];
            sxx += p[0] * p[0];
            sxy += p[0] * p[1];
        }
        return (n * sxy - sx * sy) / (n * sxx - sx * sx);
    }
}
