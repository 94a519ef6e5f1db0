package dev.stator.simulator;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;
import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.ushort;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.eclipse.milo.opcua.sdk.core.AccessLevel;
import org.eclipse.milo.opcua.sdk.core.Reference;
import org.eclipse.milo.opcua.sdk.core.ValueRanks;
import org.eclipse.milo.opcua.sdk.server.ManagedNamespaceWithLifecycle;
import org.eclipse.milo.opcua.sdk.server.OpcUaServer;
import org.eclipse.milo.opcua.sdk.server.items.DataItem;
import org.eclipse.milo.opcua.sdk.server.items.MonitoredItem;
import org.eclipse.milo.opcua.sdk.server.model.variables.AnalogItemTypeNode;
import org.eclipse.milo.opcua.sdk.server.nodes.UaFolderNode;
import org.eclipse.milo.opcua.sdk.server.nodes.UaVariableNode;
import org.eclipse.milo.opcua.sdk.server.nodes.filters.AttributeFilter;
import org.eclipse.milo.opcua.sdk.server.nodes.filters.AttributeFilterContext;
import org.eclipse.milo.opcua.sdk.server.util.SubscriptionModel;
import org.eclipse.milo.opcua.stack.core.AttributeId;
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UByte;
import org.eclipse.milo.opcua.stack.core.types.structured.EUInformation;
import org.eclipse.milo.opcua.stack.core.types.structured.Range;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pumping station as an OPC UA namespace: Objects/PumpingStation, one folder per equipment, one variable per
 * {@link PlantVariable} with the tag as its string NodeId.
 *
 * <p>Values are pushed in by {@link #publish} from the plant thread; Milo's {@link SubscriptionModel} samples the
 * nodes for monitored items at their sampling interval (and applies their deadband filters), which is why every
 * {@code onDataItems*} and {@code onMonitoringModeChanged} call is forwarded to it. A write to a writable variable
 * calls the matching {@link PlantSimulator} command, then shows the plant's state (a clamped or ignored write shows
 * what is in force, as a Modbus read after the write would).
 *
 * <p>Threads: {@link #publish} on the plant thread; reads, writes and sampling on the server's executor threads.
 */
final class PumpingStationNamespace extends ManagedNamespaceWithLifecycle {

    /** The namespace URI. */
    static final String URI = "urn:stator:simulator:pumping-station";
    /** NodeId (string, in this namespace) of the root folder under Objects. */
    static final String ROOT_FOLDER = "PumpingStation";
    /** The shortest sampling interval worth asking for: the plant publishes once per step. */
    static final double MINIMUM_SAMPLING_INTERVAL = PlantSimulator.STEP_MILLIS;

    private static final String UNITS_NAMESPACE = "http://www.opcfoundation.org/UA/units/un/cefact";
    private static final Logger log = LoggerFactory.getLogger(PumpingStationNamespace.class);

    private final SubscriptionModel subscriptionModel;
    private final PlantSimulator plant;
    private final PlantSnapshot firstScan;
    // Built once at startup, then only read: publish() may run before startup, so it reads an empty list until then.
    private volatile List<Binding> bindings = List.of();
    private volatile int heartbeat;

    /**
     * A namespace showing {@code firstScan} until the first {@link #publish}.
     *
     * @param server    the server to register with on {@link #startup()}
     * @param plant     where writes go
     * @param firstScan the measured state to show before the plant thread publishes
     */
    PumpingStationNamespace(OpcUaServer server, PlantSimulator plant, PlantSnapshot firstScan) {
        super(server, URI);
        this.plant = Objects.requireNonNull(plant, "plant");
        this.firstScan = Objects.requireNonNull(firstScan, "firstScan");
        subscriptionModel = new SubscriptionModel(server, this);
        getLifecycleManager().addLifecycle(subscriptionModel);
        getLifecycleManager().addStartupTask(this::addNodes);
    }

    /** Shows one scan of the plant, stamped with {@code time} as source and server timestamp. Plant thread. */
    void publish(PlantSnapshot measured, int heartbeat, Instant time) {
        this.heartbeat = heartbeat;
        DateTime stamp = new DateTime(time);
        for (Binding binding : bindings) {
            binding.node.setValue(good(binding.variable, binding.variable.reading().of(measured, heartbeat), stamp));
        }
    }

    @Override
    public void onDataItemsCreated(List<DataItem> dataItems) {
        subscriptionModel.onDataItemsCreated(dataItems);
    }

    @Override
    public void onDataItemsModified(List<DataItem> dataItems) {
        subscriptionModel.onDataItemsModified(dataItems);
    }

    @Override
    public void onDataItemsDeleted(List<DataItem> dataItems) {
        subscriptionModel.onDataItemsDeleted(dataItems);
    }

    @Override
    public void onMonitoringModeChanged(List<MonitoredItem> monitoredItems) {
        subscriptionModel.onMonitoringModeChanged(monitoredItems);
    }

    private void addNodes() {
        UaFolderNode root = folder(ROOT_FOLDER, "PumpingStation");
        // Objects lives in namespace 0, owned by Milo: the inverse reference on our folder makes it browsable there.
        root.addReference(new Reference(root.getNodeId(), NodeIds.Organizes, NodeIds.ObjectsFolder.expanded(),
                false));
        Map<String, UaFolderNode> folders = new LinkedHashMap<>();
        for (String equipment : PlantVariable.FOLDERS) {
            UaFolderNode folder = folder(ROOT_FOLDER + "/" + equipment, equipment);
            root.addOrganizes(folder);
            folders.put(equipment, folder);
        }
        DateTime now = DateTime.now();
        List<Binding> built = new ArrayList<>();
        for (PlantVariable variable : PlantVariable.ALL) {
            DataValue first = good(variable, variable.reading().of(firstScan, 0), now);
            UaVariableNode node = variable.analog() ? analogItem(variable, first) : dataVariable(variable, first);
            if (variable.writable()) {
                node.getFilterChain().addLast(new CommandFilter(variable));
            }
            folders.get(variable.folder()).addOrganizes(node);
            built.add(new Binding(variable, node));
        }
        bindings = List.copyOf(built);
        log.debug("OPC UA namespace {} holds {} variables", URI, built.size());
    }

    private UaFolderNode folder(String id, String name) {
        UaFolderNode folder = new UaFolderNode(getNodeContext(), newNodeId(id), newQualifiedName(name),
                LocalizedText.english(name));
        getNodeManager().addNode(folder);
        return folder;
    }

    private UaVariableNode analogItem(PlantVariable variable, DataValue first) {
        NodeId id = newNodeId(variable.tag());
        UByte access = accessLevel(variable);
        AnalogItemTypeNode node = new AnalogItemTypeNode(getNodeContext(), id, newQualifiedName(variable.tag()),
                LocalizedText.english(variable.tag()), LocalizedText.english(variable.description()), uint(0),
                uint(0), null, null, null, first, NodeIds.Double, ValueRanks.Scalar, null, access, access,
                MINIMUM_SAMPLING_INTERVAL, false, null);
        node.addReference(new Reference(id, NodeIds.HasTypeDefinition, NodeIds.AnalogItemType.expanded(), true));
        getNodeManager().addNode(node);
        // Both properties become nodes of their own (id "<tag>.EURange", "<tag>.EngineeringUnits").
        node.setEuRange(new Range(variable.euLow(), variable.euHigh()));
        PlantVariable.EngineeringUnit unit = variable.unit();
        node.setEngineeringUnits(new EUInformation(UNITS_NAMESPACE, unit.unitId(),
                LocalizedText.english(unit.symbol()), LocalizedText.english(unit.description())));
        return node;
    }

    private UaVariableNode dataVariable(PlantVariable variable, DataValue first) {
        return new UaVariableNode.UaVariableNodeBuilder(getNodeContext())
                .setNodeId(newNodeId(variable.tag()))
                .setBrowseName(newQualifiedName(variable.tag()))
                .setDisplayName(LocalizedText.english(variable.tag()))
                .setDescription(LocalizedText.english(variable.description()))
                .setDataType(dataType(variable.type()))
                .setValueRank(ValueRanks.Scalar)
                .setAccessLevel(accessLevel(variable))
                .setUserAccessLevel(accessLevel(variable))
                .setMinimumSamplingInterval(MINIMUM_SAMPLING_INTERVAL)
                .setValue(first)
                .setTypeDefinition(NodeIds.BaseDataVariableType)
                .buildAndAdd();
    }

    private static UByte accessLevel(PlantVariable variable) {
        return variable.writable() ? AccessLevel.toValue(AccessLevel.READ_WRITE)
                : AccessLevel.toValue(AccessLevel.READ_ONLY);
    }

    private static NodeId dataType(PlantVariable.ValueType type) {
        return switch (type) {
            case DOUBLE -> NodeIds.Double;
            case BOOLEAN -> NodeIds.Boolean;
            case UINT32 -> NodeIds.UInt32;
            case UINT16 -> NodeIds.UInt16;
        };
    }

    private static DataValue good(PlantVariable variable, Object value, DateTime time) {
        return new DataValue(new Variant(toOpcUa(variable.type(), value)), StatusCode.GOOD, time, time);
    }

    private static Object toOpcUa(PlantVariable.ValueType type, Object value) {
        return switch (type) {
            case DOUBLE -> ((Number) value).doubleValue();
            case BOOLEAN -> (Boolean) value;
            case UINT32 -> uint(((Number) value).longValue());
            case UINT16 -> ushort(((Number) value).intValue() & 0xFFFF);
        };
    }

    /** A variable and the node that shows it. */
    private record Binding(PlantVariable variable, UaVariableNode node) {
    }

    /**
     * Turns a client's write of the Value into a plant command. Milo has already checked the access level and the
     * data type (Bad_UserAccessDenied, Bad_TypeMismatch) before the write reaches this filter.
     */
    private final class CommandFilter implements AttributeFilter {

        private final PlantVariable variable;

        CommandFilter(PlantVariable variable) {
            this.variable = variable;
        }

        @Override
        public void writeAttribute(AttributeFilterContext ctx, AttributeId attributeId, Object value)
                throws UaException {
            if (attributeId != AttributeId.Value) {
                ctx.writeAttribute(attributeId, value);
                return;
            }
            Object written = value instanceof DataValue dv ? dv.value().value() : null;
            boolean expected = switch (variable.type()) {
                case DOUBLE -> written instanceof Double;
                case BOOLEAN -> written instanceof Boolean;
                default -> false;
            };
            if (!expected) {
                throw new UaException(StatusCodes.Bad_TypeMismatch);
            }
            variable.command().apply(plant, written);
            // Show what is in force now (clamped, or ignored in auto), not what was asked for.
            PlantSnapshot now = plant.snapshot();
            ctx.setAttribute(AttributeId.Value, good(variable, variable.reading().of(now, heartbeat),
                    DateTime.now()));
        }
    }
}
