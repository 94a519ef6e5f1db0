package dev.stator.simulator;

import static dev.stator.simulator.RegisterMap.DI_COUNT;
import static dev.stator.simulator.RegisterMap.IR_COUNT;

/**
 * One published scan of the read-only tables: the input registers (unsigned 16-bit words) and the discrete inputs.
 * Never modified once built, so a reader that holds a reference reads one consistent scan.
 */
final class WireImage {

    private final int[] inputRegisters;
    private final boolean[] discreteInputs;

    /** Takes ownership of the arrays: the caller must not touch them afterwards. */
    WireImage(int[] inputRegisters, boolean[] discreteInputs) {
        if (inputRegisters.length != IR_COUNT || discreteInputs.length != DI_COUNT) {
            throw new IllegalArgumentException("need " + IR_COUNT + " input registers and " + DI_COUNT
                    + " discrete inputs, got " + inputRegisters.length + " and " + discreteInputs.length);
        }
        this.inputRegisters = inputRegisters;
        this.discreteInputs = discreteInputs;
    }

    /** Encodes a measured snapshot and the heartbeat by the {@link RegisterMap}. */
    static WireImage encode(PlantSnapshot measured, int heartbeat) {
        int[] words = new int[IR_COUNT];
        putFloat(words, RegisterMap.IR_LT101_LEVEL, measured.level());
        putFloat(words, RegisterMap.IR_FT101_INFLOW, measured.inflow());
        putFloat(words, RegisterMap.IR_FT102_DISCHARGE_FLOW, measured.dischargeFlow());
        putFloat(words, RegisterMap.IR_PT102_PRESSURE, measured.dischargePressure());
        putFloat(words, RegisterMap.IR_ZT101_VALVE_POSITION, measured.valvePosition());
        putFloat(words, RegisterMap.IR_P101_CURRENT, measured.p101().motorCurrent());
        putFloat(words, RegisterMap.IR_P101_BEARING_TEMPERATURE, measured.p101().bearingTemperature());
        putFloat(words, RegisterMap.IR_P101_VIBRATION, measured.p101().vibration());
        putFloat(words, RegisterMap.IR_P102_CURRENT, measured.p102().motorCurrent());
        putFloat(words, RegisterMap.IR_P102_BEARING_TEMPERATURE, measured.p102().bearingTemperature());
        putFloat(words, RegisterMap.IR_P102_VIBRATION, measured.p102().vibration());
        putFloat(words, RegisterMap.IR_P101_RUN_HOURS, measured.p101().runHours());
        putFloat(words, RegisterMap.IR_P102_RUN_HOURS, measured.p102().runHours());
        words[RegisterMap.IR_P101_STARTS] = measured.p101().starts() & 0xFFFF;
        words[RegisterMap.IR_P102_STARTS] = measured.p102().starts() & 0xFFFF;
        long tenths = Math.round(measured.ambientTemperature() * 10);
        words[RegisterMap.IR_TT100_AMBIENT] = (int) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, tenths))
                & 0xFFFF;
        words[RegisterMap.IR_HEARTBEAT] = heartbeat & 0xFFFF;

        boolean[] bits = new boolean[DI_COUNT];
        bits[RegisterMap.DI_P101_RUNNING] = measured.p101().running();
        bits[RegisterMap.DI_P102_RUNNING] = measured.p102().running();
        bits[RegisterMap.DI_P101_TRIPPED] = measured.p101().tripped();
        bits[RegisterMap.DI_P102_TRIPPED] = measured.p102().tripped();
        bits[RegisterMap.DI_LSHH101] = measured.levelHighHigh();
        bits[RegisterMap.DI_LSLL101] = measured.levelLowLow();
        return new WireImage(words, bits);
    }

    /** The input register at {@code address}, 0 to 65535. */
    int inputRegister(int address) {
        return inputRegisters[address];
    }

    /** The discrete input at {@code address}. */
    boolean discreteInput(int address) {
        return discreteInputs[address];
    }

    static void putFloat(int[] words, int address, double value) {
        float f = (float) value;
        words[address] = RegisterMap.highWord(f);
        words[address + 1] = RegisterMap.lowWord(f);
    }
}
