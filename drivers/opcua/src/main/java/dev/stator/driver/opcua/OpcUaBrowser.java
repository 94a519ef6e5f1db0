package dev.stator.driver.opcua;

import dev.stator.driver.api.AddressException;
import dev.stator.driver.api.ConfigException;
import dev.stator.driver.api.DataType;
import dev.stator.driver.api.DriverContext;
import dev.stator.driver.api.EndpointConfig;
import dev.stator.driver.api.Quality;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.stack.core.AttributeId;
import org.eclipse.milo.opcua.stack.core.NamespaceTable;
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.OpcUaDataType;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.types.builtin.ByteString;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.QualifiedName;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.enumerated.BrowseDirection;
import org.eclipse.milo.opcua.stack.core.types.enumerated.BrowseResultMask;
import org.eclipse.milo.opcua.stack.core.types.enumerated.NodeClass;
import org.eclipse.milo.opcua.stack.core.types.structured.BrowseDescription;
import org.eclipse.milo.opcua.stack.core.types.structured.BrowseResult;
import org.eclipse.milo.opcua.stack.core.types.structured.ReadValueId;
import org.eclipse.milo.opcua.stack.core.types.structured.ReferenceDescription;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

/**
 * Walks a server's address space, for a command that prints it as a tree and for the console's node picker. It
 * connects exactly as the driver does (the same endpoint options, certificates, trust list and password), follows
 * hierarchical references from a start node to any depth, and follows continuation points (BrowseNext) when the
 * server returns the references of a node in parts.
 *
 * <p>Every method blocks and is called from the caller's thread, never the JavaFX application thread; an instance
 * is used by one thread at a time. Close it to end the session.
 */
public final class OpcUaBrowser implements AutoCloseable {

    /** The Objects folder, where browsing starts by default. */
    public static final String OBJECTS = "i=85";
    /** A browse that reaches this many nodes stops with an error rather than exhaust memory. */
    public static final int MAX_NODES = 100_000;

    private static final DateTimeFormatter TRACE_TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS")
            .withZone(ZoneId.systemDefault());

    /**
     * One node of the tree. {@code nodeId} is in namespace URI form ({@code nsu=...;s=...}, or {@code i=85} for the
     * standard namespace); {@code dataType}, {@code readable}, {@code writable} and {@code address} concern variables
     * only ({@code null}/false otherwise). {@code address} is the tag address for the node, with the type that fits
     * its DataType, or null when Stator tags have no type for it.
     */
    public record BrowseNode(String nodeId, String browseName, String displayName, String nodeClass,
                             String dataType, boolean readable, boolean writable, String address,
                             List<BrowseNode> children) {

        public BrowseNode {
            children = List.copyOf(children);
        }

        /** The number of nodes in this tree, this one included. */
        public int size() {
            int n = 1;
            for (BrowseNode c : children) {
                n += c.size();
            }
            return n;
        }

        /** The tree as indented text, one node a line: display name, class, type and access, then the NodeId. */
        public String format() {
            StringBuilder s = new StringBuilder();
            format(s, "", "");
            return s.toString();
        }

        private void format(StringBuilder s, String first, String rest) {
            s.append(first).append(displayName).append("  [").append(nodeClass);
            if (dataType != null) {
                s.append(' ').append(dataType).append(' ').append(readable ? "r" : "-").append(writable ? "w" : "-");
            }
            s.append("]  ").append(nodeId).append('\n');
            for (int i = 0; i < children.size(); i++) {
                boolean last = i == children.size() - 1;
                children.get(i).format(s, rest + (last ? "`- " : "+- "), rest + (last ? "   " : "|  "));
            }
        }
    }

    private final String endpointName;
    private final OpcUaClient client;
    private final Services services;
    private final DataTypes dataTypes;
    private final Map<NodeId, String> typeNames = new HashMap<>();
    private volatile Consumer<String> trace;
    private int calls;
    private boolean closed;

    private OpcUaBrowser(String endpointName, OpcUaClient client, long timeoutMillis) {
        this.endpointName = endpointName;
        this.client = client;
        this.services = new Services(client, timeoutMillis, new Services.Observer() {
            @Override
            public void started(String service, String detail) {
                calls++;
                trace("-> " + service + " " + detail);
            }

            @Override
            public void finished(String service, String detail, long nanos, StatusCode result) {
                trace("<- " + service + " " + StatusNames.name(result) + String.format(" %.1f ms", nanos / 1e6));
            }
        });
        this.dataTypes = new DataTypes(services);
    }

    /**
     * Connects to the server of an endpoint as configured in the project (its name and options; its devices are
     * not used), with the workstation's certificate and trust list.
     *
     * @throws ConfigException when the options are wrong (as the driver would report them)
     * @throws OpcUaException  when the server cannot be reached or refuses, saying why
     */
    public static OpcUaBrowser connect(EndpointConfig endpoint, DriverContext context)
            throws ConfigException, OpcUaException {
        EndpointSettings settings = EndpointSettings.read(endpoint.name(), endpoint.options(), context);
        PkiDirectory pki = PkiDirectory.open(context.dataDirectory());
        Connector connector = new Connector(settings, pki, pki.ownCertificate());
        OpcUaClient client = connector.connect((service, detail, nanos, result) -> { }, c -> { });
        return new OpcUaBrowser(endpoint.name(), client, settings.requestTimeout.toMillis());
    }

    /** Sends each service call and its result, as a line of text, to {@code sink} (null: no trace). */
    public void trace(Consumer<String> sink) {
        this.trace = sink;
    }

    /** Service calls made so far (Read, Browse, BrowseNext...). */
    public int serviceCalls() {
        return calls;
    }

    /** The tree under the Objects folder, {@code maxDepth} levels deep. */
    public BrowseNode browse(int maxDepth) throws OpcUaException {
        try {
            return browse(OBJECTS, maxDepth, 0);
        } catch (AddressException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The tree under {@code startNodeId} ({@code i=85}, {@code nsu=urn:plant;s=Line1}, {@code ns=2;s=Line1}),
     * {@code maxDepth} levels deep (1: the node and its children; {@link Integer#MAX_VALUE}: everything).
     *
     * @param maxReferencesPerNode the most references the server returns per node and call, the rest following
     *                             through continuation points; 0 lets the server decide
     * @throws AddressException when {@code startNodeId} is not a NodeId
     * @throws OpcUaException   when a service call fails, the start node does not exist, or the tree exceeds
     *                          {@link #MAX_NODES} nodes
     */
    public BrowseNode browse(String startNodeId, int maxDepth, int maxReferencesPerNode)
            throws AddressException, OpcUaException {
        if (closed) {
            throw new IllegalStateException("the browser is closed");
        }
        NamespaceTable namespaces = readNamespaces();
        OpcUaAddress start = OpcUaAddress.parse(startNodeId);
        NodeId startId = start.toNodeId(namespaces);
        if (startId == null) {
            throw new OpcUaException(Quality.BAD_NODE_ID_UNKNOWN, "namespace '" + start.namespaceUri()
                    + "' is not in the server's namespace array " + List.of(namespaces.toArray()));
        }
        Limits limits = limits();
        Building root = describeStart(startId, namespaces, limits);
        Set<NodeId> visited = new HashSet<>();
        visited.add(startId);
        List<Building> level = List.of(root);
        for (int depth = 0; depth < maxDepth && !level.isEmpty(); depth++) {
            List<Building> next = new ArrayList<>();
            Map<Building, List<ReferenceDescription>> refs = references(level, limits, maxReferencesPerNode);
            for (Building parent : level) {
                for (ReferenceDescription r : refs.getOrDefault(parent, List.of())) {
                    NodeId child = r.getNodeId().toNodeId(namespaces).orElse(null);
                    if (child == null || !r.getNodeId().isLocal() || !visited.add(child)) {
                        continue;
                    }
                    if (visited.size() > MAX_NODES) {
                        throw new OpcUaException(Quality.BAD_RESOURCE_UNAVAILABLE, "more than " + MAX_NODES
                                + " nodes under " + startNodeId + ": browse a smaller part or fewer levels");
                    }
                    Building b = new Building(child, namespaces, r.getBrowseName(), r.getDisplayName(),
                            r.getNodeClass());
                    parent.children.add(b);
                    next.add(b);
                }
            }
            describeVariables(next, limits);
            level = next;
        }
        return root.build();
    }

    private record Limits(int read, int browse) {
    }

    private Limits limits() throws OpcUaException {
        int[] l = services.operationLimits();
        return new Limits(l[0], l[2]);
    }

    private NamespaceTable readNamespaces() throws OpcUaException {
        DataValue v = services.read(List.of(Services.readValueId(NodeIds.Server_NamespaceArray, AttributeId.Value)),
                1, "namespace array").get(0);
        if (!(v.getValue().getValue() instanceof String[] uris)) {
            throw new OpcUaException(Quality.BAD_COMMUNICATION_ERROR, "the server's namespace array is unreadable");
        }
        NamespaceTable table = new NamespaceTable();
        table.update(map -> {
            map.clear();
            for (int i = 0; i < uris.length; i++) {
                map.put(org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UShort.valueOf(i), uris[i]);
            }
        });
        return table;
    }

    /** A node while the tree is being built. */
    private static final class Building {
        final NodeId nodeId;
        final String id;
        final String browseName;
        final String displayName;
        final NodeClass nodeClass;
        final List<Building> children = new ArrayList<>();
        String dataType;
        NodeId dataTypeId;
        OpcUaDataType builtin;
        boolean readable;
        boolean writable;

        Building(NodeId nodeId, NamespaceTable namespaces, QualifiedName browseName, LocalizedText displayName,
                 NodeClass nodeClass) {
            this.nodeId = nodeId;
            this.id = OpcUaAddress.of(nodeId, namespaces.get(nodeId.getNamespaceIndex()), DataType.FLOAT64).nodeId();
            this.browseName = browseName == null || browseName.name() == null ? "" : browseName.name();
            this.displayName = displayName == null || displayName.text() == null ? this.browseName
                    : displayName.text();
            this.nodeClass = nodeClass;
        }

        BrowseNode build() {
            String address = null;
            DataType type = Values.tagTypeFor(builtin);
            if (nodeClass == NodeClass.Variable && type != null) {
                address = id + (type == DataType.FLOAT64 ? "" : ";" + type.text());
            }
            return new BrowseNode(id, browseName, displayName, nodeClass == null ? "Unspecified" : nodeClass.name(),
                    dataType, readable, writable, address, children.stream().map(Building::build).toList());
        }
    }

    private Building describeStart(NodeId id, NamespaceTable namespaces, Limits limits) throws OpcUaException {
        List<ReadValueId> ids = List.of(Services.readValueId(id, AttributeId.BrowseName),
                Services.readValueId(id, AttributeId.DisplayName), Services.readValueId(id, AttributeId.NodeClass));
        List<DataValue> v = services.read(ids, 3, "attributes of the start node");
        StatusCode status = v.get(2).getStatusCode();
        if (status != null && status.isBad()) {
            long code = status.getValue() & 0xFFFF_0000L;
            throw new OpcUaException(Quality.of(code), StatusNames.name(code) + ": node "
                    + OpcUaAddress.of(id, namespaces.get(id.getNamespaceIndex()), DataType.FLOAT64).nodeId()
                    + (code == StatusCodes.Bad_NodeIdUnknown ? " does not exist on the server" : " cannot be read"));
        }
        Object nc = v.get(2).getValue().getValue();
        Building b = new Building(id, namespaces, (QualifiedName) v.get(0).getValue().getValue(),
                (LocalizedText) v.get(1).getValue().getValue(), nc instanceof Integer i ? NodeClass.from(i) : null);
        describeVariables(List.of(b), limits);
        return b;
    }

    /** The hierarchical references of every node of a level, whole: continuation points are followed. */
    private Map<Building, List<ReferenceDescription>> references(List<Building> level, Limits limits,
                                                                  int maxReferences) throws OpcUaException {
        Map<Building, List<ReferenceDescription>> result = new LinkedHashMap<>();
        List<Building> parents = level.stream().filter(b -> b.nodeClass != NodeClass.Method).toList();
        for (List<Building> batch : Services.partition(parents, limits.browse())) {
            List<BrowseDescription> descriptions = batch.stream().map(b -> new BrowseDescription(b.nodeId,
                    BrowseDirection.Forward, NodeIds.HierarchicalReferences, true, uint(0),
                    uint(BrowseResultMask.All.getValue()))).toList();
            BrowseResult[] results = services.browse(descriptions, uint(Math.max(0, maxReferences)));
            Map<ByteString, Building> pending = new LinkedHashMap<>();
            for (int i = 0; i < batch.size(); i++) {
                collect(batch.get(i), results[i], result, pending);
            }
            while (!pending.isEmpty()) {
                List<ByteString> points = new ArrayList<>(pending.keySet());
                List<Building> owners = points.stream().map(pending::get).toList();
                pending.clear();
                for (int from = 0; from < points.size(); from += limits.browse()) {
                    int to = Math.min(points.size(), from + limits.browse());
                    BrowseResult[] more = services.browseNext(points.subList(from, to));
                    for (int i = 0; i < more.length; i++) {
                        collect(owners.get(from + i), more[i], result, pending);
                    }
                }
            }
        }
        return result;
    }

    private static void collect(Building owner, BrowseResult r, Map<Building, List<ReferenceDescription>> result,
                                Map<ByteString, Building> pending) throws OpcUaException {
        StatusCode status = r.getStatusCode();
        if (status != null && status.isBad()) {
            long code = status.getValue() & 0xFFFF_0000L;
            throw new OpcUaException(Quality.of(code), StatusNames.name(code) + " while browsing " + owner.id + " ("
                    + StatusNames.description(code) + ")");
        }
        List<ReferenceDescription> list = result.computeIfAbsent(owner, o -> new ArrayList<>());
        if (r.getReferences() != null) {
            list.addAll(List.of(r.getReferences()));
        }
        ByteString cp = r.getContinuationPoint();
        if (cp != null && cp.isNotNull() && cp.length() > 0) {
            pending.put(cp, owner);
        }
    }

    /** DataType (by name) and access level of the variables among {@code nodes}. */
    private void describeVariables(List<Building> nodes, Limits limits) throws OpcUaException {
        List<Building> variables = nodes.stream().filter(b -> b.nodeClass == NodeClass.Variable).toList();
        if (variables.isEmpty()) {
            return;
        }
        List<ReadValueId> ids = new ArrayList<>();
        for (Building b : variables) {
            ids.add(Services.readValueId(b.nodeId, AttributeId.DataType));
            ids.add(Services.readValueId(b.nodeId, AttributeId.AccessLevel));
        }
        List<DataValue> values = services.read(ids, limits.read(), "attributes of " + variables.size()
                + " variables");
        List<NodeId> unnamed = new ArrayList<>();
        for (int i = 0; i < variables.size(); i++) {
            Building b = variables.get(i);
            if (values.get(2 * i).getValue().getValue() instanceof NodeId type) {
                b.dataTypeId = type;
                b.builtin = dataTypes.builtin(type);
                if (OpcUaDataType.isBuiltin(type)) {
                    b.dataType = OpcUaDataType.fromNodeId(type).name();
                } else if (!typeNames.containsKey(type)) {
                    unnamed.add(type);
                }
            }
            if (values.get(2 * i + 1).getValue().getValue() instanceof Number access) {
                b.readable = (access.intValue() & 0x01) != 0;
                b.writable = (access.intValue() & 0x02) != 0;
            }
        }
        nameTypes(unnamed.stream().distinct().toList(), limits);
        for (Building b : variables) {
            if (b.dataType == null && b.dataTypeId != null) {
                b.dataType = typeNames.get(b.dataTypeId);
            }
        }
    }

    /** The browse names of DataTypes that are not built-in (Duration, an enumeration, a server's own type). */
    private void nameTypes(List<NodeId> types, Limits limits) throws OpcUaException {
        if (types.isEmpty()) {
            return;
        }
        List<DataValue> names = services.read(types.stream().map(t -> Services.readValueId(t,
                AttributeId.BrowseName)).toList(), limits.read(), "DataType names");
        for (int i = 0; i < types.size(); i++) {
            Object n = names.get(i).getValue().getValue();
            typeNames.put(types.get(i), n instanceof QualifiedName q && q.name() != null ? q.name()
                    : types.get(i).toParseableString());
        }
    }

    private void trace(String text) {
        Consumer<String> sink = trace;
        if (sink != null) {
            sink.accept(TRACE_TIME.format(Instant.now()) + " " + text);
        }
    }

    /** Ends the session. Idempotent. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            Connector.disconnectQuietly(client);
        }
    }

    @Override
    public String toString() {
        return "OpcUaBrowser[" + endpointName + (closed ? ", closed" : "") + "]";
    }
}
