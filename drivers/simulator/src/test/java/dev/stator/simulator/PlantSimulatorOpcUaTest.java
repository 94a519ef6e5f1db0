package dev.stator.simulator;

import static dev.stator.simulator.OpcUaTesting.connectAnonymously;
import static dev.stator.simulator.OpcUaTesting.disconnect;
import static dev.stator.simulator.OpcUaTesting.node;
import static dev.stator.simulator.OpcUaTesting.nodes;
import static dev.stator.simulator.OpcUaTesting.startWithOpcUa;
import static dev.stator.simulator.SimTesting.await;
import static dev.stator.simulator.SimTesting.connect;
import static dev.stator.simulator.SimTesting.floatAt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;
import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.ushort;

import com.ghgande.j2mod.modbus.facade.ModbusTCPMaster;
import com.ghgande.j2mod.modbus.procimg.InputRegister;
import com.ghgande.j2mod.modbus.procimg.Register;
import com.ghgande.j2mod.modbus.procimg.SimpleRegister;
import com.ghgande.j2mod.modbus.util.BitVector;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.sdk.client.subscriptions.MonitoredItemServiceOperationResult;
import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaMonitoredItem;
import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaSubscription;
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.Stack;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.ExtensionObject;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.QualifiedName;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UShort;
import org.eclipse.milo.opcua.stack.core.types.enumerated.BrowseDirection;
import org.eclipse.milo.opcua.stack.core.types.enumerated.BrowseResultMask;
import org.eclipse.milo.opcua.stack.core.types.enumerated.DataChangeTrigger;
import org.eclipse.milo.opcua.stack.core.types.enumerated.DeadbandType;
import org.eclipse.milo.opcua.stack.core.types.enumerated.NodeClass;
import org.eclipse.milo.opcua.stack.core.types.enumerated.TimestampsToReturn;
import org.eclipse.milo.opcua.stack.core.types.structured.BrowseDescription;
import org.eclipse.milo.opcua.stack.core.types.structured.BrowseResult;
import org.eclipse.milo.opcua.stack.core.types.structured.DataChangeFilter;
import org.eclipse.milo.opcua.stack.core.types.structured.EUInformation;
import org.eclipse.milo.opcua.stack.core.types.structured.Range;
import org.eclipse.milo.opcua.stack.core.types.structured.ReferenceDescription;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The running simulator seen through a real Milo OPC UA client next to a real j2mod master. One simulator for the
 * class, frozen (time scale 0) so that the truth stands still while the noise keeps moving.
 */
class PlantSimulatorOpcUaTest {

    // Input register of each analog value, to compare what both protocols carry.
    private static final Map<String, Integer> INPUT_REGISTERS = Map.ofEntries(
            Map.entry("LT-101", RegisterMap.IR_LT101_LEVEL),
            Map.entry("FT-101", RegisterMap.IR_FT101_INFLOW),
            Map.entry("FT-102", RegisterMap.IR_FT102_DISCHARGE_FLOW),
            Map.entry("PT-102", RegisterMap.IR_PT102_PRESSURE),
            Map.entry("ZT-101", RegisterMap.IR_ZT101_VALVE_POSITION),
            Map.entry("P-101.CURRENT", RegisterMap.IR_P101_CURRENT),
            Map.entry("P-101.BEARING-TEMP", RegisterMap.IR_P101_BEARING_TEMPERATURE),
            Map.entry("P-101.VIBRATION", RegisterMap.IR_P101_VIBRATION),
            Map.entry("P-102.CURRENT", RegisterMap.IR_P102_CURRENT),
            Map.entry("P-102.BEARING-TEMP", RegisterMap.IR_P102_BEARING_TEMPERATURE),
            Map.entry("P-102.VIBRATION", RegisterMap.IR_P102_VIBRATION),
            Map.entry("P-101.RUN-HOURS", RegisterMap.IR_P101_RUN_HOURS),
            Map.entry("P-102.RUN-HOURS", RegisterMap.IR_P102_RUN_HOURS));

    private static PlantSimulator sim;
    private static OpcUaClient client;
    private static ModbusTCPMaster master;

    @BeforeAll
    static void startPlant() throws Exception {
        sim = startWithOpcUa(b -> b.timeScale(0));
        client = connectAnonymously(sim);
        master = connect(sim.modbusPort());
    }

    @AfterAll
    static void stopPlant() {
        disconnect(client);
        if (master != null) {
            master.disconnect();
        }
        if (sim != null) {
            sim.close();
        }
        // Safe here: every client and server of this class is closed, and test classes run one after another.
        Stack.releaseSharedResources();
    }

    @Test
    void everyVariableReadsAMeasuredValueWithinNoiseOfTheTruthAsTheModbusSlaveDoes() throws Exception {
        List<PlantVariable> variables = PlantVariable.ALL;
        List<NodeId> ids = nodes(client, variables.stream().map(PlantVariable::tag).toList());
        PlantSnapshot truth = sim.snapshot();
        Instant before = Instant.now();
        List<DataValue> values = client.readValues(0.0, TimestampsToReturn.Both, ids);
        InputRegister[] wire = master.readInputRegisters(1, 0, RegisterMap.IR_COUNT);

        assertThat(values).hasSize(variables.size());
        for (int i = 0; i < variables.size(); i++) {
            PlantVariable variable = variables.get(i);
            String tag = variable.tag();
            DataValue value = values.get(i);
            assertThat(value.statusCode()).as(tag).isEqualTo(StatusCode.GOOD);
            // Stamped by the plant step that published it: at most a step or two old.
            assertThat(value.sourceTime().getJavaInstant()).as(tag)
                    .isBetween(before.minusSeconds(2), Instant.now().plusMillis(50));
            assertThat(value.serverTime()).as(tag).isNotNull();
            Object expected = variable.reading().of(truth, 0);
            Object actual = value.value().value();
            switch (variable.type()) {
                case DOUBLE -> {
                    double tolerance = noiseBound(tag, (Double) expected);
                    assertThat(actual).as(tag).isInstanceOf(Double.class);
                    assertThat((Double) actual).as(tag).isCloseTo((Double) expected, within(tolerance + 1e-9));
                    Integer register = INPUT_REGISTERS.get(tag);
                    if (register != null) {
                        double modbus = floatAt(wire, register);
                        assertThat(modbus).as("%s over Modbus", tag)
                                .isCloseTo((Double) expected, within(tolerance + Math.ulp((float) modbus)));
                    }
                }
                case BOOLEAN -> assertThat(actual).as(tag).isEqualTo(expected);
                case UINT32 -> assertThat(actual).as(tag).isEqualTo(uint(((Number) expected).longValue()));
                case UINT16 -> {
                    assertThat(actual).as(tag).isInstanceOf(UShort.class);
                    int heartbeat = ((UShort) actual).intValue();
                    int modbus = wire[RegisterMap.IR_HEARTBEAT].getValue();
                    assertThat(Math.floorMod(modbus - heartbeat, 65536)).as("%s against Modbus", tag)
                            .isLessThanOrEqualTo(1);
                }
            }
        }
        assertThat(((Double) values.get(0).value().value())).as("LT-101 itself").isCloseTo(truth.level(),
                within(0.0021));
    }

    @Test
    void withoutNoiseBothProtocolsCarryTheSameNumbers() throws Exception {
        try (PlantSimulator quiet = startWithOpcUa(b -> b.timeScale(0).noise(false)
                .initialState(InitialState.DEFAULT.withPumps(true, true)))) {
            OpcUaClient opcUa = connectAnonymously(quiet);
            ModbusTCPMaster modbus = connect(quiet.modbusPort());
            try {
                List<String> tags = PlantVariable.ALL.stream().map(PlantVariable::tag).toList();
                List<DataValue> values = opcUa.readValues(0.0, TimestampsToReturn.Neither, nodes(opcUa, tags));
                InputRegister[] ir = modbus.readInputRegisters(1, 0, RegisterMap.IR_COUNT);
                Register[] hr = modbus.readMultipleRegisters(1, 0, RegisterMap.HR_COUNT);
                BitVector coils = modbus.readCoils(1, 0, RegisterMap.COIL_COUNT);
                BitVector inputs = modbus.readInputDiscretes(1, 0, RegisterMap.DI_COUNT);
                Map<String, Object> read = new HashMap<>();
                for (int i = 0; i < tags.size(); i++) {
                    read.put(tags.get(i), values.get(i).value().value());
                }

                INPUT_REGISTERS.forEach((tag, register) -> assertThat(((Double) read.get(tag)).floatValue())
                        .as(tag).isEqualTo(floatAt(ir, register)));
                assertThat(Math.round((Double) read.get("TT-100") * 10)).isEqualTo(ir[RegisterMap.IR_TT100_AMBIENT]
                        .toShort());
                assertThat(read.get("P-101.STARTS")).isEqualTo(uint(ir[RegisterMap.IR_P101_STARTS].getValue()));
                assertThat(read.get("P-102.STARTS")).isEqualTo(uint(ir[RegisterMap.IR_P102_STARTS].getValue()));
                assertThat(((Double) read.get("LIC-101.SP")).floatValue()).isEqualTo(
                        RegisterMap.toFloat(hr[0].getValue(), hr[1].getValue()));
                assertThat(((Double) read.get("LIC-101.OUT")).floatValue()).isEqualTo(
                        RegisterMap.toFloat(hr[2].getValue(), hr[3].getValue()));
                assertThat(read.get("LIC-101.AUTO")).isEqualTo(coils.getBit(RegisterMap.COIL_LIC101_AUTO));
                assertThat(read.get("P-101.RUN")).isEqualTo(coils.getBit(RegisterMap.COIL_P101_RUN));
                assertThat(read.get("P-102.RUN")).isEqualTo(coils.getBit(RegisterMap.COIL_P102_RUN));
                assertThat(read.get("P-101.UNBALANCE")).isEqualTo(coils.getBit(RegisterMap.COIL_P101_UNBALANCE));
                assertThat(read.get("P-102.UNBALANCE")).isEqualTo(coils.getBit(RegisterMap.COIL_P102_UNBALANCE));
                assertThat(read.get("P-101.RUNNING")).isEqualTo(inputs.getBit(RegisterMap.DI_P101_RUNNING));
                assertThat(read.get("P-102.RUNNING")).isEqualTo(inputs.getBit(RegisterMap.DI_P102_RUNNING));
                assertThat(read.get("P-101.TRIP")).isEqualTo(inputs.getBit(RegisterMap.DI_P101_TRIPPED));
                assertThat(read.get("P-102.TRIP")).isEqualTo(inputs.getBit(RegisterMap.DI_P102_TRIPPED));
                assertThat(read.get("LSHH-101")).isEqualTo(inputs.getBit(RegisterMap.DI_LSHH101));
                assertThat(read.get("LSLL-101")).isEqualTo(inputs.getBit(RegisterMap.DI_LSLL101));
                // Two pumps running: the interesting values are not zero.
                assertThat((Double) read.get("FT-102")).isCloseTo(132.5, within(0.5));
                assertThat(read.get("P-102.RUNNING")).isEqualTo(true);
            } finally {
                modbus.disconnect();
                disconnect(opcUa);
            }
        }
    }

    @Test
    void theAddressSpaceHangsUnderObjectsAndAnalogItemsCarryRangeAndUnits() throws Exception {
        NodeId root = browse(NodeIds.ObjectsFolder).stream()
                .filter(r -> r.getBrowseName().getName().equals("PumpingStation"))
                .map(r -> r.getNodeId().toNodeId(client.getNamespaceTable()).orElseThrow())
                .findFirst().orElseThrow(() -> new AssertionError("no PumpingStation under Objects"));
        List<String> folders = browse(root).stream().map(r -> r.getBrowseName().getName()).toList();
        assertThat(folders).containsExactly("T-101", "LIC-101", "P-101", "P-102", "Station");
        NodeId tank = browse(root).get(0).getNodeId().toNodeId(client.getNamespaceTable()).orElseThrow();
        assertThat(browse(tank)).extracting(r -> r.getBrowseName().getName())
                .containsExactly("LT-101", "LSHH-101", "LSLL-101");

        NodeId level = node(client, "LT-101");
        assertThat(typeDefinition(level)).isEqualTo(NodeIds.AnalogItemType);
        Map<String, Object> properties = properties(level);
        assertThat(properties.get("EURange")).isEqualTo(new Range(0.0, 4.0));
        EUInformation units = (EUInformation) properties.get("EngineeringUnits");
        assertThat(units.getNamespaceUri()).isEqualTo("http://www.opcfoundation.org/UA/units/un/cefact");
        assertThat(units.getUnitId()).isEqualTo(5067858);
        assertThat(units.getDisplayName().text()).isEqualTo("m");
        assertThat(properties(node(client, "P-102.CURRENT")).get("EURange")).isEqualTo(new Range(0.0, 40.0));
        assertThat(properties(node(client, "TT-100")).get("EURange")).isEqualTo(new Range(-20.0, 50.0));

        NodeId runHours = node(client, "P-101.RUN-HOURS");
        assertThat(typeDefinition(runHours)).isEqualTo(NodeIds.BaseDataVariableType);
        assertThat(properties(runHours)).isEmpty();
    }

    @Test
    void aSubscriptionReceivesChangesAndTheServerAppliesDeadbands() throws Exception {
        sim.setSetpoint(2.0);
        NodeId setpointNode = node(client, "LIC-101.SP");
        // The node shows the command from the next plant step on.
        await(Duration.ofSeconds(2), "the setpoint on the node", () -> Double.valueOf(2.0).equals(
                client.readValue(0.0, TimestampsToReturn.Both, setpointNode).value().value()));
        OpcUaSubscription subscription = new OpcUaSubscription(client, 100.0);
        subscription.create();
        try {
            Queue<DataValue> level = monitor(subscription, "LT-101", null);
            Queue<DataValue> heartbeat = monitor(subscription, "PLC.HEARTBEAT", null);
            Queue<DataValue> levelAbsolute = monitor(subscription, "LT-101", deadband(DeadbandType.Absolute, 0.5));
            Queue<DataValue> levelPercent = monitor(subscription, "LT-101", deadband(DeadbandType.Percent, 10));
            Queue<DataValue> setpoint = monitor(subscription, "LIC-101.SP", deadband(DeadbandType.Absolute, 0.5));
            Queue<DataValue> runHoursPercent =
                    monitor(subscription, "P-101.RUN-HOURS", deadband(DeadbandType.Percent, 10));

            List<MonitoredItemServiceOperationResult> results = subscription.createMonitoredItems();
            assertThat(results).extracting(r -> r.operationResult().orElseThrow().value()).containsExactly(
                    StatusCodes.Good, StatusCodes.Good, StatusCodes.Good, StatusCodes.Good, StatusCodes.Good,
                    // Percent deadband needs an EURange: RUN-HOURS is a plain variable without one.
                    StatusCodes.Bad_MonitoredItemFilterUnsupported);

            // The frozen plant's level still carries fresh noise at every step: a change every 100 ms.
            await(Duration.ofSeconds(5), "5 level changes", () -> level.size() >= 5);
            await(Duration.ofSeconds(5), "a heartbeat change", () -> heartbeat.size() >= 2);
            List<DataValue> changes = new ArrayList<>(level);
            for (int i = 1; i < changes.size(); i++) {
                assertThat(changes.get(i).sourceTime().getUtcTime())
                        .isGreaterThan(changes.get(i - 1).sourceTime().getUtcTime());
                assertThat(changes.get(i).statusCode()).isEqualTo(StatusCode.GOOD);
            }
            // Noise of +/- 2 mm never crosses 0.5 m, nor 10 % of the 4 m range: only the first value arrives.
            assertThat(levelAbsolute).hasSize(1);
            assertThat(levelPercent).hasSize(1);
            assertThat(runHoursPercent).isEmpty();

            // A Modbus write reaches OPC UA subscribers, through the server's deadband.
            await(Duration.ofSeconds(2), "the setpoint's first value", () -> setpoint.size() == 1);
            ModbusTCPMaster other = connect(sim.modbusPort());
            try {
                other.writeMultipleRegisters(1, RegisterMap.HR_LIC101_SETPOINT, floatRegisters(2.2f));
                Thread.sleep(500);
                assertThat(setpoint).as("0.2 m is inside the 0.5 m deadband").hasSize(1);
                other.writeMultipleRegisters(1, RegisterMap.HR_LIC101_SETPOINT, floatRegisters(3.0f));
            } finally {
                other.disconnect();
            }
            await(Duration.ofSeconds(3), "the setpoint change", () -> setpoint.size() == 2);
            assertThat(new ArrayList<>(setpoint).get(1).value().value()).isEqualTo(3.0);
        } finally {
            subscription.delete();
        }
    }

    @Test
    void aSetpointWrittenOverOpcUaLandsInTheModelAndOnTheModbusRegister() throws Exception {
        NodeId setpoint = node(client, "LIC-101.SP");

        assertThat(write(setpoint, new Variant(3.25))).isEqualTo(StatusCode.GOOD);
        assertThat(sim.snapshot().setpoint()).isEqualTo(3.25);
        Register[] hr = master.readMultipleRegisters(1, RegisterMap.HR_LIC101_SETPOINT, 2);
        assertThat(RegisterMap.toFloat(hr[0].getValue(), hr[1].getValue())).isEqualTo(3.25f);
        assertThat(client.readValue(0.0, TimestampsToReturn.Both, setpoint).value().value()).isEqualTo(3.25);

        // Clamped exactly like an FC16 write, and the node shows what is in force.
        assertThat(write(setpoint, new Variant(9.0))).isEqualTo(StatusCode.GOOD);
        assertThat(sim.snapshot().setpoint()).isEqualTo(3.8);
        assertThat(client.readValue(0.0, TimestampsToReturn.Both, setpoint).value().value()).isEqualTo(3.8);
    }

    @Test
    void writesToReadOnlyVariablesOrOfTheWrongTypeAreRefused() throws Exception {
        sim.setSetpoint(2.5);
        double level = sim.snapshot().level();

        assertThat(write(node(client, "LT-101"), new Variant(1.0)).value())
                .isEqualTo(StatusCodes.Bad_UserAccessDenied);
        assertThat(write(node(client, "P-101.RUNNING"), new Variant(false)).value())
                .isEqualTo(StatusCodes.Bad_UserAccessDenied);
        assertThat(write(node(client, "PLC.HEARTBEAT"), new Variant(ushort(1))).value())
                .isEqualTo(StatusCodes.Bad_UserAccessDenied);
        assertThat(write(node(client, "LIC-101.SP"), new Variant(3.0f)).value())
                .isEqualTo(StatusCodes.Bad_TypeMismatch);
        assertThat(write(node(client, "LIC-101.SP"), new Variant("3.0")).value())
                .isEqualTo(StatusCodes.Bad_TypeMismatch);
        assertThat(write(node(client, "P-102.RUN"), new Variant(1)).value())
                .isEqualTo(StatusCodes.Bad_TypeMismatch);

        PlantSnapshot after = sim.snapshot();
        assertThat(after.level()).isEqualTo(level);
        assertThat(after.setpoint()).isEqualTo(2.5);
        assertThat(after.p102().runCommand()).isFalse();
    }

    @Test
    void commandsActLikeTheModbusCoilsAndRegisters() throws Exception {
        try {
            assertThat(write(node(client, "LIC-101.AUTO"), new Variant(false))).isEqualTo(StatusCode.GOOD);
            assertThat(write(node(client, "LIC-101.OUT"), new Variant(12.5))).isEqualTo(StatusCode.GOOD);
            assertThat(sim.snapshot().controllerAuto()).isFalse();
            assertThat(sim.snapshot().controllerOutput()).isEqualTo(12.5);

            // In auto the PI owns the output: the write is taken by the server and ignored by the plant, as FC16.
            assertThat(write(node(client, "LIC-101.AUTO"), new Variant(true))).isEqualTo(StatusCode.GOOD);
            double inAuto = sim.snapshot().controllerOutput();
            assertThat(write(node(client, "LIC-101.OUT"), new Variant(50.0))).isEqualTo(StatusCode.GOOD);
            assertThat(sim.snapshot().controllerOutput()).isEqualTo(inAuto);
            assertThat(client.readValue(0.0, TimestampsToReturn.Both, node(client, "LIC-101.OUT")).value().value())
                    .isEqualTo(inAuto);

            assertThat(write(node(client, "P-102.RUN"), new Variant(true))).isEqualTo(StatusCode.GOOD);
            assertThat(write(node(client, "P-101.UNBALANCE"), new Variant(true))).isEqualTo(StatusCode.GOOD);
            PlantSnapshot s = sim.snapshot();
            assertThat(s.p102().runCommand()).isTrue();
            assertThat(s.p101().unbalanceInjected()).isTrue();
            BitVector coils = master.readCoils(1, 0, RegisterMap.COIL_COUNT);
            assertThat(coils.getBit(RegisterMap.COIL_P102_RUN)).isTrue();
            assertThat(coils.getBit(RegisterMap.COIL_P101_UNBALANCE)).isTrue();
            assertThat(coils.getBit(RegisterMap.COIL_LIC101_AUTO)).isTrue();
        } finally {
            sim.setPumpCommand(Pump.P102, false);
            sim.injectUnbalance(Pump.P101, false);
            sim.setControllerAuto(true);
        }
    }

    // ---- helpers

    // The noise bound of each analog value (PlantParameters.DEFAULTS), plus what a double adds.
    private static double noiseBound(String tag, double truth) {
        if (tag.equals("LT-101")) {
            return 0.002;
        } else if (tag.startsWith("FT-")) {
            return 0.003 * Math.abs(truth);
        } else if (tag.equals("PT-102")) {
            return 0.005;
        } else if (tag.equals("ZT-101")) {
            return 0.1;
        } else if (tag.endsWith(".CURRENT")) {
            return 0.005 * Math.abs(truth);
        } else if (tag.endsWith("-TEMP") || tag.equals("TT-100")) {
            return 0.05;
        } else if (tag.endsWith(".VIBRATION")) {
            return 0.05;
        }
        return 0; // setpoint, output, run hours: exact
    }

    private static StatusCode write(NodeId node, Variant value) throws Exception {
        return client.writeValues(List.of(node), List.of(DataValue.valueOnly(value))).get(0);
    }

    private static Register[] floatRegisters(float value) {
        return new Register[] {new SimpleRegister(RegisterMap.highWord(value)),
                new SimpleRegister(RegisterMap.lowWord(value))};
    }

    private static DataChangeFilter deadband(DeadbandType type, double value) {
        return new DataChangeFilter(DataChangeTrigger.StatusValue, uint(type.getValue()), value);
    }

    private static Queue<DataValue> monitor(OpcUaSubscription subscription, String tag, DataChangeFilter filter)
            throws Exception {
        OpcUaMonitoredItem item = OpcUaMonitoredItem.newDataItem(node(client, tag));
        item.setSamplingInterval(100.0);
        item.setQueueSize(uint(100));
        item.setFilter(filter);
        Queue<DataValue> received = new ConcurrentLinkedQueue<>();
        item.setDataValueListener((i, value) -> received.add(value));
        subscription.addMonitoredItem(item);
        return received;
    }

    private static List<ReferenceDescription> browse(NodeId node) throws Exception {
        BrowseResult result = client.browse(new BrowseDescription(node, BrowseDirection.Forward,
                NodeIds.HierarchicalReferences, true, uint(NodeClass.Object.getValue() | NodeClass.Variable.getValue()),
                uint(BrowseResultMask.All.getValue())));
        assertThat(result.getStatusCode().isGood()).as("browse %s", node).isTrue();
        return result.getReferences() == null ? List.of() : List.of(result.getReferences());
    }

    private static NodeId typeDefinition(NodeId node) throws Exception {
        BrowseResult result = client.browse(new BrowseDescription(node, BrowseDirection.Forward,
                NodeIds.HasTypeDefinition, false, uint(0), uint(BrowseResultMask.All.getValue())));
        return result.getReferences()[0].getNodeId().toNodeId(client.getNamespaceTable()).orElseThrow();
    }

    private static Map<String, Object> properties(NodeId node) throws Exception {
        BrowseResult result = client.browse(new BrowseDescription(node, BrowseDirection.Forward,
                NodeIds.HasProperty, false, uint(NodeClass.Variable.getValue()),
                uint(BrowseResultMask.All.getValue())));
        Map<String, Object> properties = new HashMap<>();
        if (result.getReferences() != null) {
            for (ReferenceDescription reference : result.getReferences()) {
                NodeId id = reference.getNodeId().toNodeId(client.getNamespaceTable()).orElseThrow();
                Object value = client.readValue(0.0, TimestampsToReturn.Neither, id).value().value();
                if (value instanceof ExtensionObject xo) {
                    value = xo.decode(client.getStaticEncodingContext());
                }
                QualifiedName name = reference.getBrowseName();
                properties.put(name.getName(), value);
            }
        }
        return properties;
    }
}
