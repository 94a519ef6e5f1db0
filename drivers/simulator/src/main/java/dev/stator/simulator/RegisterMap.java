package dev.stator.simulator;

/**
 * The simulator's Modbus register map, shared by the simulator, the demo project and the tests. Documented as a table
 * in {@code docs/simulator.md}.
 *
 * <p>Addresses are zero-based protocol (PDU) addresses: input register 0 is what a one-based tool calls 30001. A
 * float32 is IEEE 754 in two registers, the high word first ("ABCD"): the register at the address holds bits 31-16.
 * Each table is sized exactly ({@code *_COUNT}); any address at or past the count answers Modbus exception 02
 * (illegal data address). Coils 3-7 lie inside the coil table but are reserved: they read 0 and writes to them are
 * ignored.
 */
public final class RegisterMap {

    // Coils: FC1 read, FC5/FC15 write.
    /** Coil: P-101 run command. */
    public static final int COIL_P101_RUN = 0;
    /** Coil: P-102 run command. */
    public static final int COIL_P102_RUN = 1;
    /** Coil: LIC-101 mode, 1 auto, 0 manual. */
    public static final int COIL_LIC101_AUTO = 2;
    /** Coil: P-101 unbalance fault injection (simulation only). */
    public static final int COIL_P101_UNBALANCE = 8;
    /** Coil: P-102 unbalance fault injection (simulation only). */
    public static final int COIL_P102_UNBALANCE = 9;
    /** Size of the coil table: coils 0 to 9. */
    public static final int COIL_COUNT = 10;

    // Discrete inputs: FC2.
    /** Discrete input: P-101 running (run feedback). */
    public static final int DI_P101_RUNNING = 0;
    /** Discrete input: P-102 running (run feedback). */
    public static final int DI_P102_RUNNING = 1;
    /** Discrete input: P-101 tripped by the low-low interlock. */
    public static final int DI_P101_TRIPPED = 2;
    /** Discrete input: P-102 tripped by the low-low interlock. */
    public static final int DI_P102_TRIPPED = 3;
    /** Discrete input: LSHH-101 level high-high (at or above 3.8 m). */
    public static final int DI_LSHH101 = 4;
    /** Discrete input: LSLL-101 level low-low (at or below 0.3 m). */
    public static final int DI_LSLL101 = 5;
    /** Size of the discrete input table: inputs 0 to 5. */
    public static final int DI_COUNT = 6;

    // Input registers: FC4. Float32 unless noted, two registers each.
    /** Input register: LT-101 level, m, float32. */
    public static final int IR_LT101_LEVEL = 0;
    /** Input register: FT-101 inflow, m3/h, float32. */
    public static final int IR_FT101_INFLOW = 2;
    /** Input register: FT-102 discharge flow, m3/h, float32. */
    public static final int IR_FT102_DISCHARGE_FLOW = 4;
    /** Input register: PT-102 discharge pressure, bar, float32. */
    public static final int IR_PT102_PRESSURE = 6;
    /** Input register: ZT-101 FV-101 position, %, float32. */
    public static final int IR_ZT101_VALVE_POSITION = 8;
    /** Input register: P-101 motor current, A, float32. */
    public static final int IR_P101_CURRENT = 10;
    /** Input register: P-101 bearing temperature, degC, float32. */
    public static final int IR_P101_BEARING_TEMPERATURE = 12;
    /** Input register: P-101 vibration velocity, mm/s RMS, float32. */
    public static final int IR_P101_VIBRATION = 14;
    /** Input register: P-102 motor current, A, float32. */
    public static final int IR_P102_CURRENT = 16;
    /** Input register: P-102 bearing temperature, degC, float32. */
    public static final int IR_P102_BEARING_TEMPERATURE = 18;
    /** Input register: P-102 vibration velocity, mm/s RMS, float32. */
    public static final int IR_P102_VIBRATION = 20;
    /** Input register: P-101 run hours, h, float32. */
    public static final int IR_P101_RUN_HOURS = 22;
    /** Input register: P-102 run hours, h, float32. */
    public static final int IR_P102_RUN_HOURS = 24;
    /** Input register: P-101 starts, uint16. */
    public static final int IR_P101_STARTS = 26;
    /** Input register: P-102 starts, uint16. */
    public static final int IR_P102_STARTS = 27;
    /** Input register: TT-100 ambient temperature in 0.1 degC, int16. */
    public static final int IR_TT100_AMBIENT = 28;
    /** Input register: heartbeat, uint16, +1 per real second, wraps from 65535 to 0. */
    public static final int IR_HEARTBEAT = 29;
    /** Size of the input register table: registers 0 to 29. */
    public static final int IR_COUNT = 30;

    // Holding registers: FC3 read, FC6/FC16 write.
    /** Holding register: LIC-101 level setpoint, m, float32, clamped to 0.3-3.8 on write. */
    public static final int HR_LIC101_SETPOINT = 0;
    /** Holding register: LIC-101 output, %, float32; writable in manual, clamped to 0-100. */
    public static final int HR_LIC101_OUTPUT = 2;
    /** Size of the holding register table: registers 0 to 3. */
    public static final int HR_COUNT = 4;

    private RegisterMap() {
    }

    /** The coil of the run command of {@code pump}. */
    public static int runCommandCoil(Pump pump) {
        return pump == Pump.P101 ? COIL_P101_RUN : COIL_P102_RUN;
    }

    /** The coil of the unbalance fault injection of {@code pump}. */
    public static int unbalanceCoil(Pump pump) {
        return pump == Pump.P101 ? COIL_P101_UNBALANCE : COIL_P102_UNBALANCE;
    }

    /** The high word (bits 31-16, first register) of {@code value} as float32. */
    public static int highWord(float value) {
        return Float.floatToIntBits(value) >>> 16;
    }

    /** The low word (bits 15-0, second register) of {@code value} as float32. */
    public static int lowWord(float value) {
        return Float.floatToIntBits(value) & 0xFFFF;
    }

    /** The float32 held by two registers, the high word first. Only the low 16 bits of each argument count. */
    public static float toFloat(int highWord, int lowWord) {
        return Float.intBitsToFloat(((highWord & 0xFFFF) << 16) | (lowWord & 0xFFFF));
    }
}
