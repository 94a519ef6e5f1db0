package dev.stator.driver.opcua;

import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.OpcUaDataType;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.enumerated.BrowseDirection;
import org.eclipse.milo.opcua.stack.core.types.enumerated.BrowseResultMask;
import org.eclipse.milo.opcua.stack.core.types.enumerated.NodeClass;
import org.eclipse.milo.opcua.stack.core.types.structured.BrowseDescription;
import org.eclipse.milo.opcua.stack.core.types.structured.BrowseResult;
import org.eclipse.milo.opcua.stack.core.types.structured.ReferenceDescription;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

/**
 * The built-in type behind a node's DataType: itself for the 25 built-in types, and for a derived type (Duration,
 * an enumeration, a server's own type) the built-in type it derives from, found by following its supertypes on
 * the server, one Browse per step, remembered for the session. Supervisor or browser thread only.
 */
final class DataTypes {

    private static final int MAX_DEPTH = 16;

    private final Services services;
    private final Map<NodeId, Optional<OpcUaDataType>> known = new HashMap<>();

    DataTypes(Services services) {
        this.services = services;
    }

    /**
     * The built-in type, or null for an abstract type (BaseDataType, Number, Integer, UInteger) whose values are
     * checked one by one. Structures give ExtensionObject, enumerations Int32.
     */
    OpcUaDataType builtin(NodeId typeId) throws OpcUaException {
        Optional<OpcUaDataType> direct = direct(typeId);
        if (direct != null) {
            return direct.orElse(null);
        }
        Optional<OpcUaDataType> cached = known.get(typeId);
        if (cached != null) {
            return cached.orElse(null);
        }
        NodeId current = typeId;
        Optional<OpcUaDataType> result = Optional.empty();
        for (int depth = 0; depth < MAX_DEPTH; depth++) {
            NodeId parent = supertype(current);
            if (parent == null) {
                break;
            }
            Optional<OpcUaDataType> d = direct(parent);
            if (d == null) {
                d = known.get(parent);
            }
            if (d != null) {
                result = d;
                break;
            }
            current = parent;
        }
        known.put(typeId, result);
        return result.orElse(null);
    }

    /** The answer without asking the server, or null when the server must be asked. */
    private static Optional<OpcUaDataType> direct(NodeId typeId) {
        if (OpcUaDataType.isBuiltin(typeId)) {
            return Optional.of(OpcUaDataType.fromNodeId(typeId));
        }
        if (typeId.equals(NodeIds.BaseDataType) || typeId.equals(NodeIds.Number) || typeId.equals(NodeIds.Integer)
                || typeId.equals(NodeIds.UInteger) || typeId.isNull()) {
            return Optional.empty();
        }
        if (typeId.equals(NodeIds.Enumeration)) {
            return Optional.of(OpcUaDataType.Int32);
        }
        if (typeId.equals(NodeIds.Structure) || typeId.equals(NodeIds.Union)) {
            return Optional.of(OpcUaDataType.ExtensionObject);
        }
        return null;
    }

    private NodeId supertype(NodeId typeId) throws OpcUaException {
        BrowseDescription d = new BrowseDescription(typeId, BrowseDirection.Inverse, NodeIds.HasSubtype, false,
                uint(NodeClass.DataType.getValue()), uint(BrowseResultMask.All.getValue()));
        BrowseResult r = services.browse(List.of(d), uint(0))[0];
        ReferenceDescription[] refs = r.getReferences();
        if (r.getStatusCode().isBad() || refs == null || refs.length == 0) {
            return null;
        }
        return refs[0].getNodeId().toNodeId(services.client().getNamespaceTable()).orElse(null);
    }
}
