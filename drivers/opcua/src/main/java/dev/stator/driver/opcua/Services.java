package dev.stator.driver.opcua;

import dev.stator.driver.api.Quality;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.stack.core.AttributeId;
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.types.builtin.ByteString;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.QualifiedName;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UInteger;
import org.eclipse.milo.opcua.stack.core.types.enumerated.TimestampsToReturn;
import org.eclipse.milo.opcua.stack.core.types.structured.BrowseDescription;
import org.eclipse.milo.opcua.stack.core.types.structured.BrowsePath;
import org.eclipse.milo.opcua.stack.core.types.structured.BrowsePathResult;
import org.eclipse.milo.opcua.stack.core.types.structured.BrowseResult;
import org.eclipse.milo.opcua.stack.core.types.structured.ReadValueId;
import org.eclipse.milo.opcua.stack.core.types.structured.ViewDescription;
import org.eclipse.milo.opcua.stack.core.types.structured.WriteValue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

/**
 * The service calls Stator makes on a session, each bounded by the request timeout, split into batches the
 * server's operation limits allow, and reported to an observer (counters, response times, trace). Blocking: called
 * on the caller's thread (an endpoint's supervisor, or a browser's caller).
 */
final class Services {

    /** Told about every service call, when it starts and when it ends. */
    interface Observer {
        void started(String service, String detail);

        /** {@code result} is the service result (Good, or the failure's code); {@code nanos} the round trip. */
        void finished(String service, String detail, long nanos, StatusCode result);
    }

    /** A blocking call into Milo that may fail with a status. */
    interface Call<T> {
        T run() throws UaException;
    }

    /** Used when the server does not state an operation limit. */
    static final int DEFAULT_BATCH = 500;

    private final OpcUaClient client;
    private final long timeoutMillis;
    private final Observer observer;

    Services(OpcUaClient client, long timeoutMillis, Observer observer) {
        this.client = client;
        this.timeoutMillis = timeoutMillis;
        this.observer = observer;
    }

    OpcUaClient client() {
        return client;
    }

    /** Reads {@code ids} in as many Read calls as {@code maxPerCall} requires; results in the order asked. */
    List<DataValue> read(List<ReadValueId> ids, int maxPerCall, String what) throws OpcUaException {
        List<DataValue> values = new ArrayList<>(ids.size());
        for (List<ReadValueId> batch : partition(ids, maxPerCall)) {
            DataValue[] results = await("Read", batch.size() + " " + what, () -> client.readAsync(0.0,
                    TimestampsToReturn.Both, batch)).getResults();
            if (results == null || results.length != batch.size()) {
                throw new OpcUaException(Quality.BAD_COMMUNICATION_ERROR, "the server answered a Read of "
                        + batch.size() + " nodes with " + (results == null ? 0 : results.length) + " values");
            }
            values.addAll(Arrays.asList(results));
        }
        return values;
    }

    static ReadValueId readValueId(NodeId node, AttributeId attribute) {
        return new ReadValueId(node, attribute.uid(), null, QualifiedName.NULL_VALUE);
    }

    /** Writes one value; the operation's own status is returned, a failed call throws. */
    StatusCode write(WriteValue value, String what) throws OpcUaException {
        StatusCode[] results = await("Write", what, () -> client.writeAsync(List.of(value))).getResults();
        if (results == null || results.length != 1) {
            throw new OpcUaException(Quality.BAD_COMMUNICATION_ERROR, "the server answered a Write without a result");
        }
        return results[0];
    }

    List<BrowsePathResult> translate(List<BrowsePath> paths, int maxPerCall, String what) throws OpcUaException {
        List<BrowsePathResult> results = new ArrayList<>(paths.size());
        for (List<BrowsePath> batch : partition(paths, maxPerCall)) {
            BrowsePathResult[] r = await("TranslateBrowsePathsToNodeIds", batch.size() + " " + what,
                    () -> client.translateBrowsePathsAsync(batch)).getResults();
            if (r == null || r.length != batch.size()) {
                throw new OpcUaException(Quality.BAD_COMMUNICATION_ERROR, "the server answered "
                        + "TranslateBrowsePathsToNodeIds without a result per path");
            }
            results.addAll(Arrays.asList(r));
        }
        return results;
    }

    BrowseResult[] browse(List<BrowseDescription> nodes, UInteger maxReferences) throws OpcUaException {
        BrowseResult[] r = await("Browse", nodes.size() + " nodes", () -> client.browseAsync(
                new ViewDescription(NodeId.NULL_VALUE, null, uint(0)), maxReferences, nodes)).getResults();
        if (r == null || r.length != nodes.size()) {
            throw new OpcUaException(Quality.BAD_COMMUNICATION_ERROR, "the server answered Browse without a "
                    + "result per node");
        }
        return r;
    }

    BrowseResult[] browseNext(List<ByteString> continuationPoints) throws OpcUaException {
        BrowseResult[] r = await("BrowseNext", continuationPoints.size() + " continuation points",
                () -> client.browseNextAsync(false, continuationPoints)).getResults();
        if (r == null || r.length != continuationPoints.size()) {
            throw new OpcUaException(Quality.BAD_COMMUNICATION_ERROR, "the server answered BrowseNext without a "
                    + "result per continuation point");
        }
        return r;
    }

    /** The server's limit for a kind of operation, from Server/ServerCapabilities/OperationLimits. */
    int[] operationLimits() throws OpcUaException {
        List<NodeId> nodes = List.of(NodeIds.Server_ServerCapabilities_OperationLimits_MaxNodesPerRead,
                NodeIds.Server_ServerCapabilities_OperationLimits_MaxMonitoredItemsPerCall,
                NodeIds.Server_ServerCapabilities_OperationLimits_MaxNodesPerBrowse,
                NodeIds.Server_ServerCapabilities_OperationLimits_MaxNodesPerTranslateBrowsePathsToNodeIds);
        List<ReadValueId> ids = nodes.stream().map(n -> readValueId(n, AttributeId.Value)).toList();
        List<DataValue> values = read(ids, ids.size(), "operation limits");
        int[] limits = new int[values.size()];
        for (int i = 0; i < limits.length; i++) {
            Object v = values.get(i).getValue().getValue();
            long n = v instanceof Number number ? number.longValue() : 0;
            // Absent or 0 means the server states no limit: use a moderate batch anyway.
            limits[i] = n <= 0 ? DEFAULT_BATCH : (int) Math.min(n, DEFAULT_BATCH * 20L);
        }
        return limits;
    }

    /** Runs a blocking Milo call (subscription management) as one observed service call. */
    <T> T sync(String service, String detail, Call<T> call) throws OpcUaException {
        observer.started(service, detail);
        long t0 = System.nanoTime();
        try {
            T result = call.run();
            observer.finished(service, detail, System.nanoTime() - t0, StatusCode.GOOD);
            return result;
        } catch (UaException e) {
            observer.finished(service, detail, System.nanoTime() - t0, e.getStatusCode());
            if (Thread.currentThread().isInterrupted()) {
                throw new OpcUaException(Quality.BAD_SHUTDOWN, "stopped");
            }
            throw failure(service, e.getStatusCode(), e);
        }
    }

    private <T> T await(String service, String detail, Supplier<CompletableFuture<T>> request)
            throws OpcUaException {
        observer.started(service, detail);
        long t0 = System.nanoTime();
        CompletableFuture<T> future = request.get();
        try {
            T result = future.get(timeoutMillis + 500, TimeUnit.MILLISECONDS);
            observer.finished(service, detail, System.nanoTime() - t0, StatusCode.GOOD);
            return result;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            future.cancel(true);
            throw new OpcUaException(Quality.BAD_SHUTDOWN, "stopped");
        } catch (TimeoutException e) {
            future.cancel(true);
            StatusCode code = new StatusCode(StatusCodes.Bad_Timeout);
            observer.finished(service, detail, System.nanoTime() - t0, code);
            throw failure(service, code, e);
        } catch (ExecutionException e) {
            StatusCode code = UaException.extractStatusCode(e.getCause())
                    .orElse(new StatusCode(StatusCodes.Bad_CommunicationError));
            observer.finished(service, detail, System.nanoTime() - t0, code);
            throw failure(service, code, e.getCause());
        }
    }

    private OpcUaException failure(String service, StatusCode code, Throwable cause) {
        long c = code.getValue() & 0xFFFF_0000L;
        String name = StatusNames.name(c);
        if (c == StatusCodes.Bad_Timeout || c == StatusCodes.Bad_RequestTimeout) {
            return new OpcUaException(Quality.BAD_TIMEOUT, service + ": no answer within " + timeoutMillis + " ms",
                    cause);
        }
        if (c == StatusCodes.Bad_SessionClosed || c == StatusCodes.Bad_SessionIdInvalid
                || c == StatusCodes.Bad_NotConnected || c == StatusCodes.Bad_ConnectionClosed) {
            return new OpcUaException(Quality.BAD_NOT_CONNECTED, service + ": " + name + " (no session)", cause);
        }
        return new OpcUaException(Quality.of(c), service + " failed: " + name + " ("
                + StatusNames.description(c) + ")", cause);
    }

    static <T> List<List<T>> partition(List<T> list, int size) {
        List<List<T>> parts = new ArrayList<>();
        int n = Math.max(1, size);
        for (int i = 0; i < list.size(); i += n) {
            parts.add(list.subList(i, Math.min(list.size(), i + n)));
        }
        return parts;
    }
}
