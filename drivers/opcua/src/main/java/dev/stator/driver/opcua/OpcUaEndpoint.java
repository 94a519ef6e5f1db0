package dev.stator.driver.opcua;

import dev.stator.driver.api.DataType;
import dev.stator.driver.api.Deadband;
import dev.stator.driver.api.DeviceStatus;
import dev.stator.driver.api.DeviceStatus.LinkState;
import dev.stator.driver.api.Endpoint;
import dev.stator.driver.api.Options;
import dev.stator.driver.api.Quality;
import dev.stator.driver.api.ResponseTimes;
import dev.stator.driver.api.Scaling;
import dev.stator.driver.api.TagBinding;
import dev.stator.driver.api.TagValue;
import dev.stator.driver.api.TagValueListener;
import dev.stator.driver.api.WriteException;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.sdk.client.SessionActivityListener;
import org.eclipse.milo.opcua.sdk.client.UaSession;
import org.eclipse.milo.opcua.sdk.client.subscriptions.MonitoredItemServiceOperationResult;
import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaMonitoredItem;
import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaSubscription;
import org.eclipse.milo.opcua.stack.core.AttributeId;
import org.eclipse.milo.opcua.stack.core.NamespaceTable;
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.OpcUaDataType;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.QualifiedName;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UShort;
import org.eclipse.milo.opcua.stack.core.types.enumerated.DataChangeTrigger;
import org.eclipse.milo.opcua.stack.core.types.enumerated.DeadbandType;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MonitoringMode;
import org.eclipse.milo.opcua.stack.core.types.enumerated.NodeClass;
import org.eclipse.milo.opcua.stack.core.types.structured.BrowsePath;
import org.eclipse.milo.opcua.stack.core.types.structured.BrowsePathResult;
import org.eclipse.milo.opcua.stack.core.types.structured.DataChangeFilter;
import org.eclipse.milo.opcua.stack.core.types.structured.ReadValueId;
import org.eclipse.milo.opcua.stack.core.types.structured.RelativePath;
import org.eclipse.milo.opcua.stack.core.types.structured.RelativePathElement;
import org.eclipse.milo.opcua.stack.core.types.structured.WriteValue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

/**
 * An OPC UA endpoint: one session with one server, and the devices (groups of tags) read through it.
 *
 * <p>Threads: one supervisor thread, {@code stator-opcua-<endpoint>}, connects (discovery, session), checks every
 * tag's node at connect, creates one subscription per scan group, carries out writes, "read now" and maintenance,
 * and decides when to start over. Data change notifications arrive on Milo's shared threads, in order per
 * subscription, and are published from there (a tag belongs to one subscription, and each tag's publishing is
 * serialised). Every thread this class starts stops on {@link #close()}.
 *
 * <p>Recovery: Milo sends a keep-alive read every {@code keep-alive-interval} and gives up on the session when one
 * goes unanswered for half an interval; the tags then turn {@code Bad_NoCommunication}. Milo reconnects,
 * reactivates the session or creates a new one and transfers the subscriptions (retrying after 1 s, doubling up to
 * 16 s); when the server lost them (a restart), the supervisor creates them again. Values are read once after each
 * recovery, so that tags whose value did not change turn Good again too. A session that stays down longer than
 * {@code session-timeout} is abandoned and the supervisor starts over with discovery, waiting
 * {@code reconnect-delay} doubling up to {@code reconnect-max} between attempts, as it does for the first connection.
 */
final class OpcUaEndpoint implements Endpoint {

    private static final Logger LOG = LoggerFactory.getLogger(OpcUaEndpoint.class);
    private static final DateTimeFormatter TRACE_TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS")
            .withZone(ZoneId.systemDefault());
    private static final long TICK_MILLIS = 100;
    private static final Duration CERTIFICATE_CHECK = Duration.ofHours(24);
    /** Overflow and the DataValue info type: the server's queue for the item overflowed. */
    private static final long OVERFLOW_BITS = 0x0480L;

    private final String name;
    private final EndpointSettings settings;
    private final Path dataDirectory;
    private final Clock clock;
    private final List<Device> devices;
    private final Map<String, Device> deviceByName = new LinkedHashMap<>();
    private final Map<String, TagState> tags = new LinkedHashMap<>();
    private final List<Group> groups = new ArrayList<>();
    private final LinkedBlockingQueue<Runnable> tasks = new LinkedBlockingQueue<>();
    private final List<Consumer<String>> traces = new CopyOnWriteArrayList<>();

    private volatile TagValueListener listener;
    private volatile Thread thread;
    private volatile boolean closed;
    private volatile LinkState state = LinkState.STOPPED;

    // Diagnostics, any thread.
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final AtomicLong overruns = new AtomicLong();
    private final Map<String, Long> errorsByKind = new LinkedHashMap<>();
    private final ResponseTimes times = new ResponseTimes();
    private volatile String lastError;
    private volatile Instant lastErrorTime;
    private volatile long lastResponseNanos = -1;

    // Supervisor thread only.
    private PkiDirectory pki;
    private Connector connector;
    /** Written by the supervisor; read by notification threads to drop what an abandoned client delivers. */
    private volatile OpcUaClient client;
    private Services services;
    /** Written by the supervisor; read by notification threads: nothing is published while the session is lost. */
    private volatile boolean sessionUp;
    private long sessionDownSince;
    private long nextAttempt;
    private Duration backoff;
    private NamespaceTable namespaces;
    private int maxNodesPerRead = Services.DEFAULT_BATCH;
    private int maxItemsPerCall = Services.DEFAULT_BATCH;
    private int maxPathsPerCall = Services.DEFAULT_BATCH;
    private long nextCertificateCheck;
    private boolean resyncDue;
    private long resyncAt;
    private boolean watchDue;
    private long watchAt;
    private DataTypes dataTypes;
    private String lastAttemptFailure;

    OpcUaEndpoint(String name, EndpointSettings settings, Path dataDirectory, Clock clock, List<Device> devices) {
        this.name = name;
        this.settings = settings;
        this.dataDirectory = dataDirectory;
        this.clock = clock;
        this.devices = List.copyOf(devices);
        Map<String, Group> byName = new LinkedHashMap<>();
        for (Device d : this.devices) {
            deviceByName.put(d.name, d);
            for (TagState t : d.tags) {
                t.endpoint = this;
                tags.put(t.binding.name(), t);
                // One subscription per scan group, with the group's rate.
                Group g = byName.computeIfAbsent(t.binding.scanGroup(), n -> new Group(n, t.binding.scanRate()));
                g.tags.add(t);
                t.group = g;
            }
        }
        groups.addAll(byName.values());
    }

    @Override
    public String name() {
        return name;
    }

    // ------------------------------------------------------------------ devices, groups, tags

    /** A device: a name for a group of tags read through the endpoint's one session, and its service state. */
    static final class Device {
        final String name;
        final List<TagState> tags = new ArrayList<>();
        volatile boolean enabled = true;

        Device(String name, List<TagBinding> bindings) {
            this.name = name;
            for (TagBinding b : bindings) {
                tags.add(new TagState(this, b));
            }
        }
    }

    /** The tags of one scan group: one subscription, with the group's rate as publishing and sampling interval. */
    static final class Group {
        final String name;
        final Duration rate;
        final List<TagState> tags = new ArrayList<>();
        /** Supervisor thread; the subscription of the current client, or null. */
        OpcUaSubscription subscription;
        OpcUaClient owner;

        Group(String name, Duration rate) {
            this.name = name;
            this.rate = rate;
        }

        String describe() {
            return "'" + name + "' (" + rate.toMillis() + " ms)";
        }
    }

    /**
     * A tag: its binding, what the server said about its node at the last connect, its monitored item, and what was
     * last published. Publishing is serialised on the tag, since values come from Milo's threads and from the
     * supervisor (read-back, read now, failures).
     */
    static final class TagState {
        final Device device;
        final TagBinding binding;
        final OpcUaAddress address;
        OpcUaEndpoint endpoint;
        Group group;
        volatile boolean enabled = true;
        // Supervisor thread: what the current session knows.
        NodeId nodeId;
        OpcUaDataType nodeType;
        String nodeTypeName;
        int accessLevel = -1;
        Quality problemQuality;
        String problem;
        /** The problem is the node itself (unknown, not a variable, of another type): it cannot be written either. */
        boolean nodeProblem;
        OpcUaMonitoredItem item;
        private TagValue published = TagValue.NO_VALUE_YET;

        TagState(Device device, TagBinding binding) {
            this.device = device;
            this.binding = binding;
            this.address = (OpcUaAddress) binding.address();
        }

        String name() {
            return binding.name();
        }

        boolean inService() {
            return enabled && device.enabled;
        }

        synchronized TagValue published() {
            return published;
        }

        /** Publishes a reading as received. */
        synchronized void publish(TagValue value) {
            published = value;
            OpcUaEndpoint e = endpoint;
            TagValueListener l = e.listener;
            if (l != null && !e.closed) {
                l.onValue(binding, value);
            }
        }

        /** Publishes a reading unless a newer one was published meanwhile (a read racing a notification). */
        synchronized void publishUnlessOlder(TagValue value) {
            if (published.quality().isGood() && published.sourceTime() != null && value.sourceTime() != null
                    && value.sourceTime().isBefore(published.sourceTime())) {
                return;
            }
            publish(value);
        }

        /** A Bad reading repeated says nothing new: published when the quality or the reason changes. */
        synchronized void publishBad(Quality quality, String detail, Instant now) {
            if (!published.hasValue() && !published.isNoValueYet() && published.quality().sameCodeAs(quality)
                    && Objects.equals(published.detail(), detail)) {
                return;
            }
            publish(TagValue.bad(quality, now, detail));
        }
    }

    // ------------------------------------------------------------------ lifecycle and the supervisor

    @Override
    public synchronized void start(TagValueListener listener) {
        if (thread != null || closed) {
            throw new IllegalStateException("endpoint '" + name + "' was already started");
        }
        this.listener = Objects.requireNonNull(listener);
        state = LinkState.CONNECTING;
        nextAttempt = System.nanoTime();
        Thread t = new Thread(this::run, "stator-opcua-" + name);
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    private void run() {
        try {
            while (!closed) {
                try {
                    Runnable task = tasks.poll(TICK_MILLIS, TimeUnit.MILLISECONDS);
                    if (task != null) {
                        task.run();
                    }
                    if (!closed) {
                        supervise();
                    }
                } catch (InterruptedException e) {
                    if (closed) {
                        return;
                    }
                } catch (RuntimeException e) {
                    // A fault in one task must not end supervision of the endpoint.
                    LOG.error("endpoint '{}': unexpected error", name, e);
                }
            }
        } finally {
            // Clear a pending interrupt so that the session is closed cleanly (bounded).
            Thread.interrupted();
            dropClient("endpoint closed");
            failPendingTasks();
        }
    }

    /** Connects when due, abandons a session that stays down, re-checks the certificate daily. */
    private void supervise() {
        long now = System.nanoTime();
        if (client == null) {
            if (now - nextAttempt >= 0) {
                connect();
            }
            return;
        }
        if (sessionUp && resyncDue && now - resyncAt >= 0) {
            resyncDue = false;
            resync(false);
        }
        if (!sessionUp && watchDue && now - watchAt >= 0) {
            watchDue = false;
            watchReconnect(client);
        }
        if (!sessionUp && now - sessionDownSince > settings.sessionTimeout.toNanos()) {
            LOG.warn("endpoint '{}': no session for {} (the session timeout): starting over with discovery", name,
                    Options.formatDuration(settings.sessionTimeout));
            dropClient("session not recovered within the session timeout");
            nextAttempt = System.nanoTime();
        }
        if (now - nextCertificateCheck >= 0 && pki != null) {
            nextCertificateCheck = now + CERTIFICATE_CHECK.toNanos();
            checkCertificate();
        }
    }

    @Override
    public void close() {
        Thread t;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            t = thread;
        }
        if (t != null) {
            t.interrupt();
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (t.isAlive()) {
                LOG.warn("endpoint '{}': its thread did not stop within 10 s", name);
            }
        }
        state = LinkState.STOPPED;
    }

    private void submit(Runnable task) {
        if (closed || thread == null) {
            throw new IllegalStateException("endpoint '" + name + "' is not running");
        }
        tasks.add(task);
    }

    private void failPendingTasks() {
        Runnable task;
        while ((task = tasks.poll()) != null) {
            if (task instanceof WriteTask w) {
                w.result.completeExceptionally(new WriteException(Quality.BAD_SHUTDOWN, "tag '" + w.tag.name()
                        + "': endpoint '" + name + "' was closed before the write"));
            }
        }
    }

    // ------------------------------------------------------------------ connecting

    private void connect() {
        if (state != LinkState.DISCONNECTED) {
            state = LinkState.CONNECTING;
        }
        try {
            if (connector == null) {
                pki = PkiDirectory.open(dataDirectory);
                PkiDirectory.OwnCertificate own = pki.ownCertificate();
                connector = new Connector(settings, pki, own);
                checkCertificate();
                nextCertificateCheck = System.nanoTime() + CERTIFICATE_CHECK.toNanos();
            }
            // Listening before the session opens, so that no change is missed; events of a client that is not yet
            // (or no longer) the endpoint's are ignored.
            OpcUaClient c = connector.connect(this::connectorCall,
                    created -> created.addSessionActivityListener(new Activity(created)));
            client = c;
            services = new Services(c, settings.requestTimeout.toMillis(), observer);
            dataTypes = new DataTypes(services);
            sessionUp = true;
            backoff = null;
            lastAttemptFailure = null;
            connector.forgetRefusal();
            LOG.info("endpoint '{}': connected to {}", name, settings.describe());
            trace("-- session open with " + settings.describe());
            resync(true);
        } catch (OpcUaException e) {
            attemptFailed(e);
        }
    }

    private void attemptFailed(OpcUaException e) {
        backoff = backoff == null ? settings.reconnectDelay : min(backoff.multipliedBy(2), settings.reconnectMax);
        nextAttempt = System.nanoTime() + backoff.toNanos();
        state = LinkState.DISCONNECTED;
        countError(kind(e.quality()), e.getMessage());
        if (!e.getMessage().equals(lastAttemptFailure)) {
            LOG.warn("endpoint '{}': {}; retrying every {} at most", name, e.getMessage(),
                    Options.formatDuration(settings.reconnectMax));
        }
        lastAttemptFailure = e.getMessage();
        trace("-- connection failed: " + e.getMessage() + "; next attempt in " + backoff.toMillis() + " ms");
        failTags(e.quality(), e.getMessage());
    }

    private void failTags(Quality quality, String detail) {
        Instant now = clock.instant();
        for (TagState t : tags.values()) {
            if (t.inService()) {
                t.publishBad(quality, detail, now);
            }
        }
    }

    private void dropClient(String why) {
        OpcUaClient c = client;
        client = null;
        services = null;
        sessionUp = false;
        dataTypes = null;
        for (Group g : groups) {
            g.subscription = null;
            g.owner = null;
        }
        for (TagState t : tags.values()) {
            t.item = null;
        }
        if (c != null) {
            trace("-- closing the session: " + why);
            Connector.disconnectQuietly(c);
        }
    }

    /** Session events from Milo's threads, handed to the supervisor; events of an abandoned client are ignored. */
    private final class Activity implements SessionActivityListener {
        private final OpcUaClient owner;

        Activity(OpcUaClient owner) {
            this.owner = owner;
        }

        @Override
        public void onSessionActive(UaSession session) {
            offer(() -> {
                if (client == owner && !sessionUp) {
                    sessionUp = true;
                    connector.forgetRefusal();
                    LOG.info("endpoint '{}': session with {} re-established", name, settings.url);
                    trace("-- session re-established");
                    resync(false);
                }
            });
        }

        @Override
        public void onSessionInactive(UaSession session) {
            offer(() -> {
                if (client == owner && sessionUp) {
                    sessionLost();
                }
            });
        }
    }

    private void offer(Runnable task) {
        if (!closed) {
            tasks.add(task);
        }
    }

    private void sessionLost() {
        sessionUp = false;
        watchDue = false;
        sessionDownSince = System.nanoTime();
        state = LinkState.DISCONNECTED;
        String detail = "lost the session with " + settings.url + " (no answer to a keep-alive within "
                + settings.keepAliveTimeout().toMillis() + " ms, or the connection closed); reconnecting";
        countError("session lost", detail);
        LOG.warn("endpoint '{}': {}", name, detail);
        trace("-- " + detail);
        failTags(Quality.BAD_NO_COMMUNICATION, detail);
        watchReconnect(client);
    }

    /**
     * Learns why Milo's reconnection attempts fail, one attempt at a time, so that diagnostics and the tags say
     * "connection refused" rather than only "reconnecting".
     */
    private void watchReconnect(OpcUaClient c) {
        c.getSessionAsync().whenComplete((session, failure) -> {
            if (failure == null) {
                return;
            }
            offer(() -> {
                if (client != c || sessionUp) {
                    return;
                }
                OpcUaException e = connector.explain(failure, null);
                countError(kind(e.quality()), e.getMessage());
                trace("-- reconnection attempt failed: " + e.getMessage());
                failTags(e.quality(), e.getMessage() + "; reconnecting");
                // Ask again shortly: the next attempt's outcome, without spinning if the answer is immediate.
                watchAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
                watchDue = true;
            });
        });
    }

    // ------------------------------------------------------------------ checking nodes, subscribing

    /**
     * Brings the server's side in line with the tags after a connect or a recovery: namespace indexes, each node's
     * class, DataType and value rank, the subscriptions (created or re-created as needed) and their items; then,
     * after a recovery, a read of every tag so that unchanged values turn Good again.
     */
    private void resync(boolean firstConnect) {
        try {
            if (firstConnect) {
                int[] limits = services.operationLimits();
                maxNodesPerRead = limits[0];
                maxItemsPerCall = limits[1];
                maxPathsPerCall = limits[3];
            }
            namespaces = readNamespaces();
            checkNodes();
            List<TagState> refresh = new ArrayList<>();
            for (Group g : groups) {
                boolean kept = subscribe(g);
                if (kept && !firstConnect) {
                    trace("-- group " + g.describe() + ": subscription " + g.subscription.getSubscriptionId()
                            .map(Object::toString).orElse("?") + " kept (still alive, or transferred to the new "
                            + "session)");
                    g.tags.stream().filter(t -> t.item != null && t.inService()).forEach(refresh::add);
                }
            }
            if (!refresh.isEmpty()) {
                readAndPublish(refresh, "after recovery");
            }
            state = LinkState.CONNECTED;
        } catch (OpcUaException e) {
            countError(kind(e.quality()), e.getMessage());
            LOG.warn("endpoint '{}': setting up the subscriptions failed: {}; trying again", name, e.getMessage());
            Instant now = clock.instant();
            for (TagState t : tags.values()) {
                if (t.inService() && t.item == null && t.problem == null) {
                    t.publishBad(e.quality(), "the subscription could not be set up: " + e.getMessage()
                            + "; trying again", now);
                }
            }
            scheduleResync();
        }
    }

    private void scheduleResync() {
        resyncAt = System.nanoTime() + settings.reconnectDelay.toNanos();
        resyncDue = true;
    }

    private NamespaceTable readNamespaces() throws OpcUaException {
        List<DataValue> v = services.read(List.of(Services.readValueId(NodeIds.Server_NamespaceArray,
                AttributeId.Value)), 1, "namespace array");
        Object array = v.get(0).getValue().getValue();
        if (!(array instanceof String[] uris)) {
            throw new OpcUaException(Quality.BAD_COMMUNICATION_ERROR, "the server's namespace array is unreadable ("
                    + StatusNames.name(v.get(0).getStatusCode()) + ")");
        }
        NamespaceTable table = new NamespaceTable();
        table.update(map -> {
            map.clear();
            for (int i = 0; i < uris.length; i++) {
                map.put(UShort.valueOf(i), uris[i]);
            }
        });
        return table;
    }

    /** Reads what the server says about every tag's node and decides which tags can be subscribed. */
    private void checkNodes() throws OpcUaException {
        List<TagState> resolved = new ArrayList<>();
        for (TagState t : tags.values()) {
            t.problem = null;
            t.problemQuality = null;
            t.nodeProblem = false;
            t.nodeId = t.address.toNodeId(namespaces);
            if (t.nodeId == null) {
                nodeProblem(t, Quality.BAD_NODE_ID_UNKNOWN, "Bad_NodeIdUnknown: namespace '" + t.address.namespaceUri()
                        + "' is not in the server's namespace array " + List.of(namespaces.toArray()));
            } else {
                resolved.add(t);
            }
        }
        AttributeId[] attributes = {AttributeId.NodeClass, AttributeId.DataType, AttributeId.ValueRank,
            AttributeId.AccessLevel};
        List<ReadValueId> ids = new ArrayList<>();
        for (TagState t : resolved) {
            for (AttributeId a : attributes) {
                ids.add(Services.readValueId(t.nodeId, a));
            }
        }
        List<DataValue> values = services.read(ids, maxNodesPerRead, "attributes of " + resolved.size()
                + " nodes");
        List<TagState> percent = new ArrayList<>();
        for (int i = 0; i < resolved.size(); i++) {
            TagState t = resolved.get(i);
            int at = i * attributes.length;
            checkNode(t, values.get(at), values.get(at + 1), values.get(at + 2), values.get(at + 3));
            if (t.problem == null && t.binding.deadband() != null && t.binding.deadband().percent()) {
                percent.add(t);
            }
        }
        if (!percent.isEmpty()) {
            checkEuRanges(percent);
        }
    }

    private void checkNode(TagState t, DataValue nodeClass, DataValue dataType, DataValue valueRank,
                           DataValue access) {
        String node = t.address.nodeId();
        StatusCode status = nodeClass.getStatusCode();
        if (status != null && status.isBad()) {
            long code = status.getValue() & 0xFFFF_0000L;
            if (code == StatusCodes.Bad_NodeIdUnknown) {
                nodeProblem(t, Quality.BAD_NODE_ID_UNKNOWN, "Bad_NodeIdUnknown: node " + node
                        + " does not exist on the server");
            } else {
                nodeProblem(t, Quality.of(status.getValue()), StatusNames.name(status) + ": the server refused to "
                        + "describe node " + node);
            }
            return;
        }
        Object nc = nodeClass.getValue().getValue();
        NodeClass cls = nc instanceof Integer i ? NodeClass.from(i) : null;
        if (cls != NodeClass.Variable) {
            nodeProblem(t, Quality.BAD_CONFIGURATION_ERROR, "node " + node + " is " + (cls == null ? "not a node class "
                    + "Stator knows" : "an " + cls) + ", not a variable: address a variable");
            return;
        }
        Object vr = valueRank.getValue().getValue();
        if (vr instanceof Integer rank && rank >= 0) {
            nodeProblem(t, Quality.BAD_NOT_SUPPORTED, Values.NOT_SUPPORTED + " (node " + node + " is an array)");
            return;
        }
        Object al = access.getValue().getValue();
        t.accessLevel = al instanceof Number n ? n.intValue() : -1;
        Object dt = dataType.getValue().getValue();
        if (!(dt instanceof NodeId typeId)) {
            nodeProblem(t, Quality.BAD_CONFIGURATION_ERROR, "the server gives no DataType for node " + node);
            return;
        }
        try {
            t.nodeType = dataTypes.builtin(typeId);
        } catch (OpcUaException e) {
            LOG.warn("endpoint '{}': cannot tell the built-in type of DataType {}: {}", name, typeId, e.getMessage());
            t.nodeType = null;
        }
        t.nodeTypeName = t.nodeType != null ? t.nodeType.name() : typeId.toParseableString();
        if (t.nodeType == OpcUaDataType.ExtensionObject) {
            nodeProblem(t, Quality.BAD_NOT_SUPPORTED, Values.NOT_SUPPORTED + " (node " + node + " holds a structure)");
            return;
        }
        String mismatch = Values.mismatch(t.address.dataType(), t.nodeType);
        if (mismatch != null) {
            Quality q = mismatch.equals(Values.NOT_SUPPORTED) ? Quality.BAD_NOT_SUPPORTED : Quality.BAD_TYPE_MISMATCH;
            DataType better = Values.tagTypeFor(t.nodeType);
            String hint = better == null ? "" : " (" + t.address.withType(better).format() + ")";
            nodeProblem(t, q, "Bad_TypeMismatch: node " + node + ": " + mismatch + hint);
        }
    }

    /** A percent deadband needs the node's EURange property: tags without one are refused with that reason. */
    private void checkEuRanges(List<TagState> percent) throws OpcUaException {
        List<BrowsePath> paths = new ArrayList<>();
        for (TagState t : percent) {
            paths.add(new BrowsePath(t.nodeId, new RelativePath(new RelativePathElement[] {
                new RelativePathElement(NodeIds.HasProperty, false, true, new QualifiedName(0, "EURange"))})));
        }
        List<BrowsePathResult> results = services.translate(paths, maxPathsPerCall, "EURange properties");
        for (int i = 0; i < percent.size(); i++) {
            BrowsePathResult r = results.get(i);
            if (r.getStatusCode().isBad() || r.getTargets() == null || r.getTargets().length == 0) {
                TagState t = percent.get(i);
                problem(t, Quality.BAD_CONFIGURATION_ERROR, "a percent deadband needs the node's EURange, and node "
                        + t.address.nodeId() + " has no EURange on the server: use an absolute deadband "
                        + "(e.g. deadband: 0.5)");
            }
        }
    }

    /** The node of {@code t} cannot be used at all: no monitoring, no writes. */
    private void nodeProblem(TagState t, Quality quality, String detail) {
        t.nodeProblem = true;
        problem(t, quality, detail);
    }

    /** The tag cannot be monitored as configured (a deadband the server refuses); writes still go to the node. */
    private void problem(TagState t, Quality quality, String detail) {
        t.problem = detail;
        t.problemQuality = quality;
        if (t.inService()) {
            t.publishBad(quality, detail, clock.instant());
        }
        LOG.warn("endpoint '{}': tag '{}': {}", name, t.name(), detail);
    }

    /**
     * Creates the group's subscription if it has none on this session (first connect, or the server lost it),
     * and the monitored items of its tags that have none, in batches the server allows.
     *
     * @return whether an existing subscription was kept (transferred or still alive)
     */
    private boolean subscribe(Group g) throws OpcUaException {
        boolean kept = g.subscription != null && g.owner == client
                && g.subscription.getSyncState() != OpcUaSubscription.SyncState.INITIAL;
        if (!kept) {
            for (TagState t : g.tags) {
                t.item = null;
            }
            g.subscription = newSubscription(g);
            g.owner = client;
        }
        OpcUaSubscription s = g.subscription;
        List<OpcUaMonitoredItem> remove = new ArrayList<>();
        List<OpcUaMonitoredItem> create = new ArrayList<>();
        for (TagState t : g.tags) {
            if (t.problem != null) {
                if (t.item != null) {
                    remove.add(t.item);
                    t.item = null;
                }
            } else if (t.item == null) {
                t.item = newItem(t, g);
                create.add(t.item);
            }
        }
        if (!remove.isEmpty()) {
            s.removeMonitoredItems(remove);
            for (List<OpcUaMonitoredItem> batch : Services.partition(remove, maxItemsPerCall)) {
                services.sync("DeleteMonitoredItems", batch.size() + " items of group " + g.describe(),
                        s::deleteMonitoredItems);
            }
        }
        if (create.isEmpty()) {
            return kept;
        }
        s.addMonitoredItems(create);
        for (List<OpcUaMonitoredItem> batch : Services.partition(create, maxItemsPerCall)) {
            Set<OpcUaMonitoredItem> wanted = Set.copyOf(batch);
            List<MonitoredItemServiceOperationResult> results = services.sync("CreateMonitoredItems",
                    batch.size() + " items in group " + g.describe(), () -> s.createMonitoredItems(wanted::contains));
            for (MonitoredItemServiceOperationResult r : results) {
                TagState t = (TagState) r.monitoredItem().getUserObject().orElseThrow();
                StatusCode code = r.operationResult().orElse(r.serviceResult());
                if (!r.serviceResult().isGood()) {
                    throw new OpcUaException(Quality.of(r.serviceResult().getValue()), "CreateMonitoredItems failed: "
                            + StatusNames.name(r.serviceResult()));
                }
                if (code.isBad()) {
                    itemRefused(t, code);
                    s.removeMonitoredItem(t.item);
                    t.item = null;
                }
            }
        }
        return kept;
    }

    private void itemRefused(TagState t, StatusCode code) {
        long c = code.getValue() & 0xFFFF_0000L;
        String node = t.address.nodeId();
        Deadband d = t.binding.deadband();
        if (d != null && (c == StatusCodes.Bad_MonitoredItemFilterUnsupported || c == StatusCodes.Bad_FilterNotAllowed
                || c == StatusCodes.Bad_DeadbandFilterInvalid || c == StatusCodes.Bad_MonitoredItemFilterInvalid)) {
            problem(t, Quality.BAD_CONFIGURATION_ERROR, "the server refused the " + (d.percent() ? "percent"
                    : "absolute") + " deadband " + d + " on node " + node + " (" + StatusNames.name(c) + ")"
                    + (d.percent() ? ": a percent deadband needs an analog item with an EURange on the server; use "
                    + "an absolute deadband" : ""));
        } else if (c == StatusCodes.Bad_NodeIdUnknown) {
            nodeProblem(t, Quality.BAD_NODE_ID_UNKNOWN, "Bad_NodeIdUnknown: node " + node + " does not exist on the "
                    + "server");
        } else {
            problem(t, Quality.of(code.getValue()), StatusNames.name(c) + ": the server refused to monitor node "
                    + node + " (" + StatusNames.description(c) + ")");
        }
    }

    private OpcUaSubscription newSubscription(Group g) throws OpcUaException {
        double interval = g.rate.toMillis();
        OpcUaSubscription s = new OpcUaSubscription(client, interval);
        // A keep-alive at least every keep-alive interval, and a lifetime as long as the session's.
        long keepAlive = Math.max(1, (long) Math.ceil(settings.keepAliveInterval.toMillis() / interval));
        long lifetime = Math.max(3 * keepAlive, (long) Math.ceil(settings.sessionTimeout.toMillis() / interval));
        s.setLifetimeAndKeepAliveCalculated(false);
        s.setMaxKeepAliveCount(uint(keepAlive));
        s.setLifetimeCount(uint(lifetime));
        s.setMaxMonitoredItemsPerCall(uint(maxItemsPerCall));
        s.setSubscriptionListener(new Notifications(g, client));
        services.sync("CreateSubscription", "group " + g.describe(), () -> {
            s.create();
            return null;
        });
        return s;
    }

    private OpcUaMonitoredItem newItem(TagState t, Group g) {
        OpcUaMonitoredItem item = OpcUaMonitoredItem.newDataItem(t.nodeId, t.inService() ? MonitoringMode.Reporting
                : MonitoringMode.Disabled);
        item.setSamplingInterval(g.rate.toMillis());
        item.setQueueSize(uint(settings.queueSize));
        item.setDiscardOldest(true);
        Deadband d = t.binding.deadband();
        if (d != null) {
            // The server applies the deadband to raw values: an absolute amount in engineering units is scaled
            // back; a percentage is of the node's EURange.
            double amount = d.amount();
            if (!d.percent() && t.binding.scaling() != null) {
                amount = amount / Math.abs(t.binding.scaling().gain());
            }
            item.setFilter(new DataChangeFilter(DataChangeTrigger.StatusValue,
                    uint((d.percent() ? DeadbandType.Percent : DeadbandType.Absolute).getValue()), amount));
        }
        item.setUserObject(t);
        return item;
    }

    /** Subscription callbacks, on Milo's threads, in order for each subscription. */
    private final class Notifications implements OpcUaSubscription.SubscriptionListener {
        private final Group group;
        private final OpcUaClient owner;

        Notifications(Group group, OpcUaClient owner) {
            this.group = group;
            this.owner = owner;
        }

        @Override
        public void onDataReceived(OpcUaSubscription subscription, List<OpcUaMonitoredItem> items,
                                   List<DataValue> values) {
            if (client != owner || !sessionUp) {
                // A late publish of a session already given up: its tags show the loss until the recovery.
                return;
            }
            boolean tracing = !traces.isEmpty();
            StringBuilder line = tracing ? new StringBuilder() : null;
            for (int i = 0; i < items.size(); i++) {
                if (!(items.get(i).getUserObject().orElse(null) instanceof TagState t) || !t.inService()) {
                    continue;
                }
                DataValue dv = values.get(i);
                StatusCode sc = dv.getStatusCode();
                if (sc != null && (sc.getValue() & OVERFLOW_BITS) == OVERFLOW_BITS) {
                    overruns.incrementAndGet();
                }
                TagValue v = toTagValue(t, dv);
                t.publish(v);
                if (tracing) {
                    line.append(line.length() == 0 ? "" : ", ").append(t.name()).append('=').append(v.value() == null
                            ? "-" : v.value()).append(' ').append(v.quality().name());
                }
            }
            if (tracing) {
                trace("<- Publish group " + group.describe() + ": " + items.size() + " change"
                        + (items.size() == 1 ? "" : "s") + ": " + line);
            }
        }

        @Override
        public void onKeepAliveReceived(OpcUaSubscription subscription) {
            trace("<- Publish group " + group.describe() + ": keep-alive");
        }

        @Override
        public void onNotificationDataLost(OpcUaSubscription subscription) {
            overruns.incrementAndGet();
            countError("notifications lost", "group " + group.describe() + ": the server could not republish "
                    + "missed notifications");
        }

        @Override
        public void onTransferFailed(OpcUaSubscription subscription, StatusCode status) {
            trace("-- group " + group.describe() + ": the server did not keep the subscription ("
                    + StatusNames.name(status) + "); creating it again");
            offer(() -> recreate(group, owner, subscription));
        }

        @Override
        public void onStatusChanged(OpcUaSubscription subscription, StatusCode status) {
            trace("-- group " + group.describe() + ": subscription status " + StatusNames.name(status));
            if ((status.getValue() & 0xFFFF_0000L) == StatusCodes.Bad_Timeout) {
                offer(() -> recreate(group, owner, subscription));
            }
        }

        @Override
        public void onWatchdogTimerElapsed(OpcUaSubscription subscription) {
            countError("subscription silent", "group " + group.describe() + ": no publish response within "
                    + "1.5 keep-alive periods");
            offer(() -> recreate(group, owner, subscription));
        }
    }

    /** The server lost or stopped serving a subscription: make a new one on the current session. */
    private void recreate(Group g, OpcUaClient owner, OpcUaSubscription lost) {
        if (client != owner || !sessionUp || g.subscription != lost) {
            // The recovery after the session comes back re-creates what is missing; a subscription already
            // replaced needs nothing more.
            return;
        }
        if (g.subscription != null && g.subscription.getSyncState() != OpcUaSubscription.SyncState.INITIAL) {
            OpcUaSubscription old = g.subscription;
            try {
                services.sync("DeleteSubscriptions", "group " + g.describe(), () -> {
                    old.delete();
                    return null;
                });
            } catch (OpcUaException e) {
                LOG.debug("endpoint '{}': deleting the silent subscription failed: {}", name, e.getMessage());
            }
        }
        g.subscription = null;
        try {
            subscribe(g);
        } catch (OpcUaException e) {
            countError(kind(e.quality()), e.getMessage());
            scheduleResync();
        }
    }

    /** A DataValue as a reading of the tag, in the tag's type, scaled, with the server's timestamps. */
    TagValue toTagValue(TagState t, DataValue dv) {
        StatusCode sc = dv.getStatusCode() == null ? StatusCode.GOOD : dv.getStatusCode();
        Quality q = Quality.of(sc.getValue());
        Instant source = instant(dv.getSourceTime());
        Instant server = instant(dv.getServerTime());
        Instant time = source != null ? source : server != null ? server : clock.instant();
        if (q.isBad()) {
            return new TagValue(null, q, time, server, StatusNames.name(sc) + ": the server reports the value as bad"
                    + describeCode(sc));
        }
        try {
            Object raw = Values.fromOpcUa(dv.getValue().getValue(), t.address.dataType());
            Scaling scaling = t.binding.scaling();
            Object value = scaling != null && raw instanceof Number n ? (Object) scaling.toEngineering(n.doubleValue())
                    : raw;
            String detail = q.isGood() && q.sameCodeAs(Quality.GOOD) ? null : StatusNames.name(sc);
            return new TagValue(TagValue.normalise(value), q, time, server, detail);
        } catch (Values.Refused e) {
            return new TagValue(null, e.quality, time, server, e.getMessage());
        }
    }

    private static String describeCode(StatusCode sc) {
        String d = StatusNames.description(sc.getValue());
        return d.isEmpty() ? "" : " (" + d + ")";
    }

    private static Instant instant(DateTime t) {
        return t == null || t.isNull() ? null : t.getJavaInstant();
    }

    /** Reads the values of {@code list} and publishes them (unless a notification was newer). */
    private void readAndPublish(List<TagState> list, String why) throws OpcUaException {
        List<ReadValueId> ids = list.stream().map(t -> Services.readValueId(t.nodeId, AttributeId.Value)).toList();
        List<DataValue> values = services.read(ids, maxNodesPerRead, "values " + why);
        for (int i = 0; i < list.size(); i++) {
            TagState t = list.get(i);
            if (t.inService()) {
                t.publishUnlessOlder(toTagValue(t, values.get(i)));
            }
        }
    }

    // ------------------------------------------------------------------ writes

    /** A write waiting for the supervisor. */
    private final class WriteTask implements Runnable {
        final TagState tag;
        final Object value;
        final CompletableFuture<TagValue> result;

        WriteTask(TagState tag, Object value, CompletableFuture<TagValue> result) {
            this.tag = tag;
            this.value = value;
            this.result = result;
        }

        @Override
        public void run() {
            doWrite(tag, value, result);
        }
    }

    @Override
    public CompletableFuture<TagValue> write(String tag, Object value) {
        TagState t = tags.get(tag);
        if (t == null) {
            return CompletableFuture.failedFuture(new WriteException(Quality.BAD_NODE_ID_UNKNOWN,
                    "tag '" + tag + "' is not read through endpoint '" + name + "'"));
        }
        if (!t.binding.tag().writable()) {
            return CompletableFuture.failedFuture(new WriteException(Quality.BAD_NOT_WRITABLE,
                    "tag '" + tag + "' is read-only (set writable: true in the project to allow writes)"));
        }
        Object raw;
        try {
            DataType type = t.address.dataType();
            Scaling scaling = t.binding.scaling();
            if (scaling != null && !(value instanceof Number)) {
                throw new Values.Refused(Quality.BAD_TYPE_MISMATCH, "a scaled tag takes a number, not '" + value
                        + "'");
            }
            // The tag's type is the raw type at the source: check the value once scaling is undone.
            raw = Values.checkForTag(toRaw(scaling, value, type.isNumeric() && !type.isFloatingPoint()), type);
            Values.checkRange(raw, type);
        } catch (Values.Refused e) {
            return CompletableFuture.failedFuture(new WriteException(e.quality, "tag '" + tag + "': " + e.getMessage()
                    + "; nothing was sent"));
        }
        CompletableFuture<TagValue> result = new CompletableFuture<>();
        try {
            submit(new WriteTask(t, raw, result));
        } catch (IllegalStateException e) {
            result.completeExceptionally(new WriteException(Quality.BAD_SHUTDOWN, e.getMessage()));
        }
        return result;
    }

    /** An engineering value as the raw value to write: whole numbers for integer tags. */
    static Object toRaw(Scaling scaling, Object eng, boolean integral) {
        if (scaling == null || !(eng instanceof Number n)) {
            return eng;
        }
        double raw = scaling.toRaw(n.doubleValue());
        return integral ? (Object) Math.round(raw) : (Object) raw;
    }

    private void doWrite(TagState t, Object value, CompletableFuture<TagValue> result) {
        String tag = t.name();
        if (!t.device.enabled) {
            result.completeExceptionally(new WriteException(Quality.BAD_OUT_OF_SERVICE, "tag '" + tag + "': device '"
                    + t.device.name + "' is out of service"));
            return;
        }
        if (client == null || !sessionUp) {
            result.completeExceptionally(new WriteException(Quality.BAD_NOT_CONNECTED, "tag '" + tag + "': not "
                    + "connected to " + settings.url + (lastError == null ? "" : " (" + lastError + ")")));
            return;
        }
        if (t.nodeId == null && !t.nodeProblem) {
            result.completeExceptionally(new WriteException(Quality.BAD_WAITING_FOR_INITIAL_DATA, "tag '" + tag
                    + "': the server has not described node " + t.address.nodeId() + " yet; nothing was sent"));
            return;
        }
        if (t.nodeProblem) {
            // The node is unknown, not a variable, or of a type the tag cannot take: nothing sensible to send.
            result.completeExceptionally(new WriteException(t.problemQuality, "tag '" + tag + "': " + t.problem
                    + "; nothing was sent"));
            return;
        }
        String node = t.address.nodeId();
        Variant variant;
        try {
            variant = Values.toOpcUa(value, t.nodeType);
        } catch (Values.Refused e) {
            result.completeExceptionally(new WriteException(e.quality, "tag '" + tag + "': " + e.getMessage()
                    + " (node " + node + "); nothing was sent"));
            return;
        }
        try {
            StatusCode code = services.write(new WriteValue(t.nodeId, AttributeId.Value.uid(), null,
                    DataValue.valueOnly(variant)), node + " = " + variant.getValue());
            if (code.isBad()) {
                long c = code.getValue() & 0xFFFF_0000L;
                String hint = c == StatusCodes.Bad_UserAccessDenied || c == StatusCodes.Bad_NotWritable
                        ? (t.accessLevel >= 0 && (t.accessLevel & 0x02) == 0 ? ": the node is read-only"
                        : ": this user may not write the node") : "";
                countError(StatusNames.name(c), "write to " + node + " refused: " + StatusNames.name(c));
                result.completeExceptionally(new WriteException(Quality.of(code.getValue()), "tag '" + tag
                        + "': the server refused the write of " + variant.getValue() + " to " + node + ": "
                        + StatusNames.name(c) + hint + " (" + StatusNames.description(c) + ")"));
                return;
            }
            LOG.info("tag '{}': wrote {} to {}", tag, variant.getValue(), node);
            // Read back what the server now holds: the operator sees the value it accepted.
            List<DataValue> back = services.read(List.of(Services.readValueId(t.nodeId, AttributeId.Value)), 1,
                    "value after write");
            TagValue v = toTagValue(t, back.get(0));
            t.publishUnlessOlder(v);
            result.complete(v);
        } catch (OpcUaException e) {
            result.completeExceptionally(new WriteException(e.quality(), "tag '" + tag + "': write failed: "
                    + e.getMessage(), e));
        }
    }

    // ------------------------------------------------------------------ maintenance and diagnostics

    @Override
    public void setDeviceEnabled(String device, boolean enabled) {
        Device d = device(device);
        submit(() -> {
            if (d.enabled == enabled) {
                return;
            }
            d.enabled = enabled;
            LOG.info("device '{}' {}", device, enabled ? "back in service" : "taken out of service");
            serviceChanged(d.tags, enabled ? null : "device taken out of service");
        });
    }

    @Override
    public void setTagEnabled(String tag, boolean enabled) {
        TagState t = tags.get(tag);
        if (t == null) {
            throw new IllegalArgumentException("tag '" + tag + "' is not read through endpoint '" + name + "'");
        }
        submit(() -> {
            if (t.enabled == enabled) {
                return;
            }
            t.enabled = enabled;
            LOG.info("tag '{}' {}", tag, enabled ? "back in service" : "taken out of service");
            serviceChanged(List.of(t), enabled ? null : "tag taken out of service");
        });
    }

    /**
     * Applies a change of service state: items of tags out of service are set to monitoring mode Disabled (the
     * server stops sampling them) and the tags turn Bad_OutOfService; back in service, Reporting again and a read.
     */
    private void serviceChanged(List<TagState> changed, String outReason) {
        Instant now = clock.instant();
        Map<Group, List<OpcUaMonitoredItem>> byGroup = new LinkedHashMap<>();
        List<TagState> back = new ArrayList<>();
        for (TagState t : changed) {
            if (outReason != null) {
                t.publishBad(Quality.BAD_OUT_OF_SERVICE, outReason, now);
            } else if (t.inService()) {
                back.add(t);
                if (t.problem != null) {
                    t.publishBad(t.problemQuality, t.problem, now);
                }
            }
            if (t.item != null && t.group.subscription != null && t.group.owner == client) {
                byGroup.computeIfAbsent(t.group, g -> new ArrayList<>()).add(t.item);
            }
        }
        if (client == null || !sessionUp) {
            for (TagState t : back) {
                if (t.problem == null) {
                    t.publishBad(Quality.BAD_NOT_CONNECTED, lastError == null ? "not connected" : lastError, now);
                }
            }
            return;
        }
        try {
            for (Map.Entry<Group, List<OpcUaMonitoredItem>> e : byGroup.entrySet()) {
                OpcUaSubscription s = e.getKey().subscription;
                MonitoringMode mode = outReason == null ? MonitoringMode.Reporting : MonitoringMode.Disabled;
                for (List<OpcUaMonitoredItem> batch : Services.partition(e.getValue(), maxItemsPerCall)) {
                    services.sync("SetMonitoringMode", mode + " for " + batch.size() + " items of group "
                            + e.getKey().describe(), () -> s.setMonitoringMode(mode, batch));
                }
            }
            List<TagState> read = back.stream().filter(t -> t.item != null).toList();
            if (!read.isEmpty()) {
                readAndPublish(read, "back in service");
            }
        } catch (OpcUaException e) {
            countError(kind(e.quality()), e.getMessage());
            LOG.warn("endpoint '{}': changing the monitoring mode failed: {}", name, e.getMessage());
        }
    }

    @Override
    public void readNow(String device) {
        Device d = device(device);
        submit(() -> {
            if (client == null) {
                // Not connected: try now rather than at the end of the backoff.
                nextAttempt = System.nanoTime();
                return;
            }
            if (!sessionUp) {
                return;
            }
            List<TagState> list = d.tags.stream().filter(t -> t.inService() && t.nodeId != null
                    && t.problem == null).toList();
            if (list.isEmpty()) {
                return;
            }
            try {
                readAndPublish(list, "read now");
            } catch (OpcUaException e) {
                countError(kind(e.quality()), e.getMessage());
            }
        });
    }

    @Override
    public AutoCloseable trace(String device, Consumer<String> sink) {
        device(device);
        Objects.requireNonNull(sink);
        traces.add(sink);
        return () -> traces.remove(sink);
    }

    private Device device(String device) {
        Device d = deviceByName.get(device);
        if (d == null) {
            throw new IllegalArgumentException("device '" + device + "' is not behind endpoint '" + name + "'");
        }
        return d;
    }

    private void trace(String text) {
        if (traces.isEmpty()) {
            return;
        }
        String line = TRACE_TIME.format(Instant.now()) + " " + text;
        for (Consumer<String> sink : traces) {
            sink.accept(line);
        }
    }

    @Override
    public List<DeviceStatus> deviceStatus() {
        Map<String, Long> kinds;
        synchronized (errorsByKind) {
            kinds = new LinkedHashMap<>(errorsByKind);
        }
        long nanos = lastResponseNanos;
        List<DeviceStatus> list = new ArrayList<>();
        for (Device d : devices) {
            LinkState s = thread == null || closed ? LinkState.STOPPED : !d.enabled ? LinkState.DISABLED : state;
            list.add(new DeviceStatus(d.name, name, settings.describe(), s, d.enabled, requests.get(), errors.get(),
                    kinds, lastError, lastErrorTime, nanos < 0 ? -1 : nanos / 1e6, times.percentileMillis(50),
                    times.percentileMillis(99), overruns.get()));
        }
        return list;
    }

    private void countError(String kind, String detail) {
        errors.incrementAndGet();
        synchronized (errorsByKind) {
            errorsByKind.merge(kind, 1L, Long::sum);
        }
        lastError = detail;
        lastErrorTime = clock.instant();
    }

    private static String kind(Quality q) {
        return q.name().startsWith("Bad (") || q.name().startsWith("Uncertain (") ? StatusNames.name(q.code())
                : q.name();
    }

    private void checkCertificate() {
        String warning = connector == null ? null : connectorWarning();
        if (warning != null) {
            LOG.warn("endpoint '{}': {}", name, warning);
            countError("certificate expiring", warning);
        }
    }

    private String connectorWarning() {
        try {
            return pki.ownCertificate().expiryWarning(clock);
        } catch (OpcUaException e) {
            return e.getMessage();
        }
    }

    /** Counts and traces the service calls of the supervisor's session. */
    private final Services.Observer observer = new Services.Observer() {
        @Override
        public void started(String service, String detail) {
            requests.incrementAndGet();
            trace("-> " + service + " " + detail);
        }

        @Override
        public void finished(String service, String detail, long nanos, StatusCode result) {
            if (service.equals("Read") || service.equals("Write") || service.startsWith("Browse")
                    || service.startsWith("Translate")) {
                times.add(nanos);
                lastResponseNanos = nanos;
            }
            if (result.isBad()) {
                countError(StatusNames.name(result), service + " " + detail + ": " + StatusNames.name(result));
            }
            trace("<- " + service + " " + StatusNames.name(result) + String.format(" %.1f ms", nanos / 1e6));
        }
    };

    /** Discovery and session creation, as seen by the connector. */
    private void connectorCall(String service, String detail, long nanos, StatusCode result) {
        requests.incrementAndGet();
        trace("-> " + service + " " + detail);
        trace("<- " + service + " " + StatusNames.name(result) + String.format(" %.1f ms", nanos / 1e6));
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    @Override
    public String toString() {
        return "OpcUaEndpoint[" + name + " " + settings.describe() + " " + tags.size() + " tags, "
                + groups.stream().map(Group::describe).collect(Collectors.joining(", ")) + "]";
    }
}
