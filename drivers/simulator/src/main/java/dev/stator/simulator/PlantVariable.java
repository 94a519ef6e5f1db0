package dev.stator.simulator;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One variable of the simulator's OPC UA address space: what it is called, where it sits, its type, range and unit,
 * where its value comes from and, if it is writable, which {@link PlantSimulator} command a write calls. Documented
 * as a table in {@code docs/simulator.md}; {@link #ALL} is that table. Free of OPC UA library types on purpose: the
 * namespace maps them.
 *
 * @param tag         the tag name, also the string NodeId, BrowseName and DisplayName, e.g. {@code "LT-101"}
 * @param folder      the equipment folder under Objects/PumpingStation, e.g. {@code "T-101"}
 * @param type        the value's data type
 * @param analog      an AnalogItemType with EURange and EngineeringUnits; otherwise a plain BaseDataVariable
 * @param euLow       EURange low, in {@code unit}; NaN when not analog
 * @param euHigh      EURange high, in {@code unit}; NaN when not analog
 * @param unit        engineering unit; null when not analog
 * @param description what the value means
 * @param reading     the value in a scan
 * @param command     the command a write calls; null for a read-only variable
 */
record PlantVariable(String tag, String folder, ValueType type, boolean analog, double euLow, double euHigh,
        EngineeringUnit unit, String description, Reading reading, Command command) {

    /** Data types used by the station. */
    enum ValueType {
        /** Double. */
        DOUBLE,
        /** Boolean. */
        BOOLEAN,
        /** UInt32. */
        UINT32,
        /** UInt16. */
        UINT16
    }

    /**
     * Engineering units as UNECE Recommendation 20 common codes, which OPC UA (Part 8) maps to an EUInformation
     * unitId.
     */
    enum EngineeringUnit {
        /** Metre. */
        METRE("MTR", "m", "metre"),
        /** Cubic metre per hour. */
        CUBIC_METRE_PER_HOUR("MQH", "m³/h", "cubic metre per hour"),
        /** Bar. */
        BAR("BAR", "bar", "bar [unit of pressure]"),
        /** Percent. */
        PERCENT("P1", "%", "percent"),
        /** Degree Celsius. */
        DEGREE_CELSIUS("CEL", "°C", "degree Celsius"),
        /** Ampere. */
        AMPERE("AMP", "A", "ampere"),
        /** Millimetre per second. */
        MILLIMETRE_PER_SECOND("C16", "mm/s", "millimetre per second");

        private final String commonCode;
        private final String symbol;
        private final String description;

        EngineeringUnit(String commonCode, String symbol, String description) {
            this.commonCode = commonCode;
            this.symbol = symbol;
            this.description = description;
        }

        /** The UNECE common code, e.g. {@code "MTR"}. */
        String commonCode() {
            return commonCode;
        }

        /** The symbol shown to an operator, e.g. {@code "m"}. */
        String symbol() {
            return symbol;
        }

        /** The UNECE name. */
        String description() {
            return description;
        }

        /** The OPC UA unitId: the common code's characters packed into an int, first character highest. */
        int unitId() {
            int id = 0;
            for (char c : commonCode.toCharArray()) {
                id = (id << 8) | c;
            }
            return id;
        }
    }

    /** Reads the value of a variable from one scan of the plant. */
    @FunctionalInterface
    interface Reading {
        /**
         * The value: a {@link Double} for DOUBLE, a {@link Boolean} for BOOLEAN, a {@link Number} for the unsigned
         * types.
         *
         * @param plant     the plant state
         * @param heartbeat the heartbeat of the scan, 0-65535
         */
        Object of(PlantSnapshot plant, int heartbeat);
    }

    /** Applies a written value through the simulator, exactly like the matching Modbus write. */
    @FunctionalInterface
    interface Command {
        /**
         * Applies {@code value}: a {@link Double} for DOUBLE, a {@link Boolean} for BOOLEAN.
         *
         * @param plant the simulator
         * @param value the written value, of the variable's type
         */
        void apply(PlantSimulator plant, Object value);
    }

    /** Folders under Objects/PumpingStation, in browse order. */
    static final List<String> FOLDERS = List.of("T-101", "LIC-101", "P-101", "P-102", "Station");

    /** Every variable, in browse order within each folder. */
    static final List<PlantVariable> ALL = table();

    PlantVariable {
        Objects.requireNonNull(tag, "tag");
        Objects.requireNonNull(folder, "folder");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(reading, "reading");
        if (analog && (unit == null || !(euLow < euHigh) || type != ValueType.DOUBLE)) {
            throw new IllegalArgumentException(tag + ": an analog item needs a unit, a range and type Double");
        }
    }

    /** Whether a client may write it. */
    boolean writable() {
        return command != null;
    }

    private static PlantVariable analog(String tag, String folder, double low, double high, EngineeringUnit unit,
            String description, Reading reading, Command command) {
        return new PlantVariable(tag, folder, ValueType.DOUBLE, true, low, high, unit, description, reading, command);
    }

    private static PlantVariable plain(String tag, String folder, ValueType type, String description,
            Reading reading, Command command) {
        return new PlantVariable(tag, folder, type, false, Double.NaN, Double.NaN, null, description, reading,
                command);
    }

    private static List<PlantVariable> table() {
        List<PlantVariable> all = new ArrayList<>();
        all.add(analog("LT-101", "T-101", 0, 4, EngineeringUnit.METRE, "T-101 level",
                (s, hb) -> s.level(), null));
        all.add(plain("LSHH-101", "T-101", ValueType.BOOLEAN, "Level high-high: at or above 3.8 m",
                (s, hb) -> s.levelHighHigh(), null));
        all.add(plain("LSLL-101", "T-101", ValueType.BOOLEAN, "Level low-low: at or below 0.3 m",
                (s, hb) -> s.levelLowLow(), null));

        all.add(analog("LIC-101.SP", "LIC-101", 0, 4, EngineeringUnit.METRE,
                "Level setpoint; a write is clamped to 0.3-3.8 m, NaN is ignored",
                (s, hb) -> s.setpoint(), (plant, v) -> plant.setSetpoint((Double) v)));
        all.add(analog("LIC-101.OUT", "LIC-101", 0, 100, EngineeringUnit.PERCENT,
                "Controller output: the PI output in auto (a write is ignored), the valve demand in manual "
                        + "(clamped to 0-100 %)",
                (s, hb) -> s.controllerOutput(), (plant, v) -> plant.setManualOutput((Double) v)));
        all.add(plain("LIC-101.AUTO", "LIC-101", ValueType.BOOLEAN, "Controller mode: true auto, false manual",
                (s, hb) -> s.controllerAuto(), (plant, v) -> plant.setControllerAuto((Boolean) v)));
        all.add(analog("FT-101", "LIC-101", 0, 150, EngineeringUnit.CUBIC_METRE_PER_HOUR, "Inflow through FV-101",
                (s, hb) -> s.inflow(), null));
        all.add(analog("ZT-101", "LIC-101", 0, 100, EngineeringUnit.PERCENT, "FV-101 position",
                (s, hb) -> s.valvePosition(), null));

        for (Pump pump : Pump.values()) {
            addPump(all, pump);
        }

        all.add(analog("FT-102", "Station", 0, 150, EngineeringUnit.CUBIC_METRE_PER_HOUR,
                "Discharge flow of both pumps into the main", (s, hb) -> s.dischargeFlow(), null));
        all.add(analog("PT-102", "Station", 0, 6, EngineeringUnit.BAR, "Discharge pressure",
                (s, hb) -> s.dischargePressure(), null));
        all.add(analog("TT-100", "Station", -20, 50, EngineeringUnit.DEGREE_CELSIUS, "Ambient temperature",
                (s, hb) -> s.ambientTemperature(), null));
        all.add(plain("PLC.HEARTBEAT", "Station", ValueType.UINT16,
                "Heartbeat: +1 per real second whatever the time scale, 65535 -> 0", (s, hb) -> hb, null));
        return List.copyOf(all);
    }

    private static void addPump(List<PlantVariable> all, Pump pump) {
        String p = pump.tag();
        all.add(plain(p + ".RUN", p, ValueType.BOOLEAN, "Run command",
                (s, hb) -> s.pump(pump).runCommand(), (plant, v) -> plant.setPumpCommand(pump, (Boolean) v)));
        all.add(plain(p + ".RUNNING", p, ValueType.BOOLEAN, "Running (run feedback)",
                (s, hb) -> s.pump(pump).running(), null));
        all.add(plain(p + ".TRIP", p, ValueType.BOOLEAN,
                "Tripped by the low-low interlock; latched until the run command is cleared",
                (s, hb) -> s.pump(pump).tripped(), null));
        all.add(analog(p + ".CURRENT", p, 0, 40, EngineeringUnit.AMPERE,
                "Motor current (the start inrush goes beyond the range for about a second)",
                (s, hb) -> s.pump(pump).motorCurrent(), null));
        all.add(analog(p + ".BEARING-TEMP", p, 0, 120, EngineeringUnit.DEGREE_CELSIUS, "Bearing temperature",
                (s, hb) -> s.pump(pump).bearingTemperature(), null));
        all.add(analog(p + ".VIBRATION", p, 0, 12, EngineeringUnit.MILLIMETRE_PER_SECOND,
                "Vibration velocity, RMS", (s, hb) -> s.pump(pump).vibration(), null));
        all.add(plain(p + ".RUN-HOURS", p, ValueType.DOUBLE, "Hours energised (h); no EURange",
                (s, hb) -> s.pump(pump).runHours(), null));
        all.add(plain(p + ".STARTS", p, ValueType.UINT32, "Motor starts",
                (s, hb) -> s.pump(pump).starts(), null));
        all.add(plain(p + ".UNBALANCE", p, ValueType.BOOLEAN, "Unbalance fault injection (simulation only)",
                (s, hb) -> s.pump(pump).unbalanceInjected(), (plant, v) -> plant.injectUnbalance(pump, (Boolean) v)));
    }
}
