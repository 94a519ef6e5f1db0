package dev.stator.bench;

import org.eclipse.milo.opcua.sdk.core.AccessLevel;
import org.eclipse.milo.opcua.sdk.core.ValueRanks;
import org.eclipse.milo.opcua.sdk.server.EndpointConfig;
import org.eclipse.milo.opcua.sdk.server.ManagedNamespaceWithLifecycle;
import org.eclipse.milo.opcua.sdk.server.OpcUaServer;
import org.eclipse.milo.opcua.sdk.server.OpcUaServerConfig;
import org.eclipse.milo.opcua.sdk.server.identity.AnonymousIdentityValidator;
import org.eclipse.milo.opcua.sdk.server.items.DataItem;
import org.eclipse.milo.opcua.sdk.server.items.MonitoredItem;
import org.eclipse.milo.opcua.sdk.server.nodes.UaFolderNode;
import org.eclipse.milo.opcua.sdk.server.nodes.UaVariableNode;
import org.eclipse.milo.opcua.sdk.server.servicesets.SubscriptionServiceSet;
import org.eclipse.milo.opcua.sdk.server.servicesets.impl.DefaultSubscriptionServiceSet;
import org.eclipse.milo.opcua.stack.core.AttributeId;
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.Stack;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.security.CertificateQuarantine;
import org.eclipse.milo.opcua.stack.core.security.CertificateStore;
import org.eclipse.milo.opcua.stack.core.security.DefaultApplicationGroup;
import org.eclipse.milo.opcua.stack.core.security.DefaultCertificateManager;
import org.eclipse.milo.opcua.stack.core.security.DefaultServerCertificateValidator;
import org.eclipse.milo.opcua.stack.core.security.MemoryCertificateQuarantine;
import org.eclipse.milo.opcua.stack.core.security.MemoryCertificateStore;
import org.eclipse.milo.opcua.stack.core.security.MemoryTrustListManager;
import org.eclipse.milo.opcua.stack.core.security.RsaSha256CertificateFactory;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.transport.TransportProfile;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UInteger;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MessageSecurityMode;
import org.eclipse.milo.opcua.stack.core.types.structured.BuildInfo;
import org.eclipse.milo.opcua.stack.core.types.structured.CreateSubscriptionRequest;
import org.eclipse.milo.opcua.stack.core.types.structured.CreateSubscriptionResponse;
import org.eclipse.milo.opcua.stack.core.types.structured.DeleteSubscriptionsRequest;
import org.eclipse.milo.opcua.stack.core.types.structured.DeleteSubscriptionsResponse;
import org.eclipse.milo.opcua.stack.core.types.structured.ModifySubscriptionRequest;
import org.eclipse.milo.opcua.stack.core.types.structured.ModifySubscriptionResponse;
import org.eclipse.milo.opcua.stack.core.types.structured.PublishRequest;
import org.eclipse.milo.opcua.stack.core.types.structured.PublishResponse;
import org.eclipse.milo.opcua.stack.core.types.structured.RepublishRequest;
import org.eclipse.milo.opcua.stack.core.types.structured.RepublishResponse;
import org.eclipse.milo.opcua.stack.core.types.structured.SetPublishingModeRequest;
import org.eclipse.milo.opcua.stack.core.types.structured.SetPublishingModeResponse;
import org.eclipse.milo.opcua.stack.core.types.structured.TransferSubscriptionsRequest;
import org.eclipse.milo.opcua.stack.core.types.structured.TransferSubscriptionsResponse;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateBuilder;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateGenerator;
import org.eclipse.milo.opcua.stack.transport.server.ServiceRequestContext;
import org.eclipse.milo.opcua.stack.transport.server.tcp.OpcTcpServerTransport;
import org.eclipse.milo.opcua.stack.transport.server.tcp.OpcTcpServerTransportConfig;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.Period;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The plant side of the OPC UA benchmark, run in a JVM of its own so that its CPU time is not counted as the
 * client's: an Eclipse Milo server on 127.0.0.1 (a free port, path {@value #PATH}) with endpoints None/None and
 * Basic256Sha256/SignAndEncrypt, anonymous users, and {@code <variables>} Double variables
 * {@code nsu=}{@value #NAMESPACE}{@code ;i=1..<variables>}.
 *
 * <p><b>Changes.</b> The first {@code n} variables (set with the {@code CHANGE n} command) all change once every
 * period, each with a new value and a source timestamp read from the wall clock at that variable's change. A value
 * is {@code tick + index / 100000}, so a client can tell that a value belongs to its variable.
 *
 * <p><b>Phase lock.</b> Monitored items are fed at the change itself, not by a sampling timer; the change loop is
 * locked to the server's publishing: each change happens half a period before the next publish (the instants of
 * publish responses are taken from the Publish service). Otherwise the wait between a change and the next publish is
 * set by chance when a client creates its subscription and stays nearly fixed for its life (the publishing timer
 * hardly drifts against a fixed-rate change loop): two clients measured one after the other would each get a
 * different, arbitrary share of the latency. Locked, both wait the same half period, and what differs is theirs. With
 * {@code lock=false} the changes run at a fixed rate, free of the publishing.
 *
 * <p>Usage: {@code OpcUaServerHost <variables> <period ms> <work folder> <lock>}. Writes its certificate to
 * {@code <work folder>/}{@value #CERTIFICATE_FILE}, prints {@code ENDPOINT <url>} on stdout once it serves, then
 * answers commands on stdin, one per line: {@code CHANGE <n>} ({@code CHANGING <n>}), {@code TRUST <der file>} (a
 * client certificate to accept on the secure endpoint; {@code TRUSTED}), {@code STATS} ({@code STATS <variable
 * changes so far> <publish responses so far>}). It stops when its stdin reaches end of file: the benchmark holds stdin
 * open, so the server goes away when the benchmark ends, however it ends.
 */
public final class OpcUaServerHost {

    static final String NAMESPACE = "urn:stator:bench";
    static final String PATH = "/bench";
    static final String CERTIFICATE_FILE = "server-cert.der";
    /** Line prefixes of the protocol on stdout. */
    static final String ENDPOINT = "ENDPOINT ";
    static final String CHANGING = "CHANGING ";
    static final String TRUSTED = "TRUSTED";
    static final String STATS = "STATS ";
    /** Values carry their variable's index in this fraction. */
    static final double INDEX_SCALE = 100_000;
    private static final int BIND_ATTEMPTS = 5;

    private final OpcUaServer server;
    private final BenchNamespace namespace;
    private final MemoryTrustListManager trustList;
    private final int port;
    private final long periodNanos;
    private final boolean lock;
    private volatile int changing;
    private volatile boolean running = true;
    /** System.nanoTime of the last publish response; 0 before the first. */
    private volatile long lastPublishNanos;
    private final AtomicLong publishes = new AtomicLong();
    /** Written by the change loop only. */
    private volatile long changes;

    private OpcUaServerHost(OpcUaServer server, BenchNamespace namespace, MemoryTrustListManager trustList, int port,
                            long periodNanos, boolean lock) {
        this.server = server;
        this.namespace = namespace;
        this.trustList = trustList;
        this.port = port;
        this.periodNanos = periodNanos;
        this.lock = lock;
    }

    public static void main(String[] args) {
        if (args.length != 4) {
            System.err.println("usage: OpcUaServerHost <variables> <period ms> <work folder> <lock>");
            System.exit(2);
        }
        int variables = Integer.parseInt(args[0]);
        long periodNanos = TimeUnit.MILLISECONDS.toNanos(Long.parseLong(args[1]));
        Path work = Path.of(args[2]);
        boolean lock = Boolean.parseBoolean(args[3]);
        int status = 0;
        OpcUaServerHost host = null;
        try {
            Files.createDirectories(work);
            // The benchmark connects a few times in a row from one address; the rate limit is for the wild.
            Stack.ConnectionLimits.RATE_LIMIT_ENABLED = false;
            host = start(variables, periodNanos, work, lock);
            Thread changer = new Thread(host::changeLoop, "bench-server-changes");
            changer.setDaemon(true);
            changer.start();
            System.out.println(ENDPOINT + host.url());
            System.out.flush();
            host.serve(new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)));
        } catch (Exception e) {
            System.err.println("opc ua server host: " + e);
            status = 1;
        } finally {
            if (host != null) {
                host.stop();
            }
        }
        // Milo's shared threads are not all daemons: leave now rather than wait for them.
        System.exit(status);
    }

    private static OpcUaServerHost start(int variables, long periodNanos, Path work, boolean lock) throws Exception {
        KeyPair keyPair = SelfSignedCertificateGenerator.generateRsaKeyPair(2048);
        X509Certificate certificate = new SelfSignedCertificateBuilder(keyPair)
                .setCommonName("Stator benchmark server")
                .setOrganization("Stator")
                .setApplicationUri(NAMESPACE)
                .addDnsName("localhost")
                .addIpAddress("127.0.0.1")
                .setValidityPeriod(Period.ofDays(365))
                .build();
        Files.write(work.resolve(CERTIFICATE_FILE), certificate.getEncoded());
        MemoryTrustListManager trustList = new MemoryTrustListManager();
        CertificateQuarantine quarantine = new MemoryCertificateQuarantine();
        MemoryCertificateStore store = new MemoryCertificateStore();
        store.set(NodeIds.RsaSha256ApplicationCertificateType,
                new CertificateStore.Entry(keyPair.getPrivate(), new X509Certificate[] {certificate}));
        RsaSha256CertificateFactory factory = new RsaSha256CertificateFactory() {
            @Override
            protected X509Certificate[] createRsaSha256CertificateChain(KeyPair keys) {
                return new X509Certificate[] {certificate};
            }
        };
        DefaultApplicationGroup group = DefaultApplicationGroup.createAndInitialize(trustList, store, factory,
                new DefaultServerCertificateValidator(trustList, quarantine));

        Exception last = null;
        for (int attempt = 0; attempt < BIND_ATTEMPTS; attempt++) {
            int port;
            try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                port = probe.getLocalPort();
            }
            OpcUaServer server = new OpcUaServer(config(port, certificate, quarantine, group),
                    profile -> new OpcTcpServerTransport(OpcTcpServerTransportConfig.newBuilder().build()));
            BenchNamespace namespace = new BenchNamespace(server, variables);
            OpcUaServerHost host = new OpcUaServerHost(server, namespace, trustList, port, periodNanos, lock);
            server.addServiceSet(PATH, host.new PublishClock(new DefaultSubscriptionServiceSet(server)));
            namespace.startup();
            try {
                server.startup().get(20, TimeUnit.SECONDS);
                return host;
            } catch (Exception e) {
                // Another program took the port in between: try another.
                last = e;
                namespace.shutdown();
                server.shutdown().get(5, TimeUnit.SECONDS);
            }
        }
        throw new IOException("no free loopback port could be bound in " + BIND_ATTEMPTS + " attempts", last);
    }

    private static OpcUaServerConfig config(int port, X509Certificate certificate, CertificateQuarantine quarantine,
                                            DefaultApplicationGroup group) {
        // Bind address and host name both 127.0.0.1, so that the endpoints the server reports are reachable.
        EndpointConfig.Builder base = EndpointConfig.newBuilder()
                .setTransportProfile(TransportProfile.TCP_UASC_UABINARY)
                .setBindAddress("127.0.0.1")
                .setHostname("127.0.0.1")
                .setBindPort(port)
                .setPath(PATH)
                .setCertificate(certificate)
                .addTokenPolicies(OpcUaServerConfig.USER_TOKEN_POLICY_ANONYMOUS);
        Set<EndpointConfig> endpoints = new LinkedHashSet<>();
        endpoints.add(base.copy().setSecurityPolicy(SecurityPolicy.None).setSecurityMode(MessageSecurityMode.None)
                .build());
        endpoints.add(base.copy().setSecurityPolicy(SecurityPolicy.Basic256Sha256)
                .setSecurityMode(MessageSecurityMode.SignAndEncrypt).build());
        return OpcUaServerConfig.builder()
                .setApplicationUri(NAMESPACE)
                .setApplicationName(LocalizedText.english("Stator benchmark server"))
                .setProductUri(NAMESPACE)
                .setBuildInfo(new BuildInfo(NAMESPACE, "stator", "Stator benchmark server", "1", "1",
                        DateTime.now()))
                .setEndpoints(endpoints)
                .setCertificateManager(new DefaultCertificateManager(quarantine, group))
                .setIdentityValidator(AnonymousIdentityValidator.INSTANCE)
                .build();
    }

    private String url() {
        return "opc.tcp://127.0.0.1:" + port + PATH;
    }

    /** Answers the benchmark's commands until stdin ends. */
    private void serve(BufferedReader in) throws IOException {
        String line;
        while ((line = in.readLine()) != null) {
            String[] words = line.strip().split(" ", 2);
            switch (words[0]) {
                case "CHANGE" -> {
                    int n = Math.max(0, Math.min(Integer.parseInt(words[1].strip()), namespace.size()));
                    changing = n;
                    reply(CHANGING + n);
                }
                case "TRUST" -> {
                    try (InputStream der = Files.newInputStream(Path.of(words[1].strip()))) {
                        trustList.addTrustedCertificate((X509Certificate) CertificateFactory.getInstance("X.509")
                                .generateCertificate(der));
                    } catch (CertificateException e) {
                        throw new IOException("not a certificate: " + words[1], e);
                    }
                    reply(TRUSTED);
                }
                case "STATS" -> reply(STATS + changes + " " + publishes.get());
                default -> System.err.println("opc ua server host: unknown command '" + line + "'");
            }
        }
    }

    private static void reply(String line) {
        System.out.println(line);
        System.out.flush();
    }

    private void stop() {
        running = false;
        try {
            server.shutdown().get(5, TimeUnit.SECONDS);
            namespace.shutdown();
        } catch (Exception e) {
            System.err.println("opc ua server host: shutdown: " + e);
        }
        Stack.releaseSharedResources();
    }

    /**
     * Changes the first {@link #changing} variables once per period, locked half a period ahead of the next publish
     * when a subscription publishes (see the class comment), at a fixed rate otherwise.
     */
    private void changeLoop() {
        long half = periodNanos / 2;
        long last = System.nanoTime();
        long tick = 0;
        while (running) {
            long target = last + periodNanos;
            long publish = lastPublishNanos;
            if (lock && publish != 0 && target - publish < 3 * periodNanos) {
                long t = publish + periodNanos - half;
                // Never twice within one publishing interval: the previous publish may not have come yet.
                while (t - last < half) {
                    t += periodNanos;
                }
                target = t;
            }
            long wait;
            while ((wait = target - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            last = target;
            tick++;
            int n = changing;
            for (int i = 0; i < n; i++) {
                namespace.change(i, tick + i / INDEX_SCALE);
            }
            changes += n;
        }
    }

    /** The Milo subscription services, noting when each publish response leaves. */
    private final class PublishClock implements SubscriptionServiceSet {
        private final SubscriptionServiceSet delegate;

        PublishClock(SubscriptionServiceSet delegate) {
            this.delegate = delegate;
        }

        @Override
        public CompletableFuture<PublishResponse> onPublish(ServiceRequestContext context, PublishRequest request) {
            CompletableFuture<PublishResponse> future = delegate.onPublish(context, request);
            future.thenRun(() -> {
                lastPublishNanos = System.nanoTime();
                publishes.incrementAndGet();
            });
            return future;
        }

        @Override
        public CreateSubscriptionResponse onCreateSubscription(ServiceRequestContext context,
                                                               CreateSubscriptionRequest request) throws UaException {
            return delegate.onCreateSubscription(context, request);
        }

        @Override
        public ModifySubscriptionResponse onModifySubscription(ServiceRequestContext context,
                                                               ModifySubscriptionRequest request) throws UaException {
            return delegate.onModifySubscription(context, request);
        }

        @Override
        public DeleteSubscriptionsResponse onDeleteSubscriptions(ServiceRequestContext context,
                                                                 DeleteSubscriptionsRequest request)
                throws UaException {
            return delegate.onDeleteSubscriptions(context, request);
        }

        @Override
        public TransferSubscriptionsResponse onTransferSubscriptions(ServiceRequestContext context,
                                                                     TransferSubscriptionsRequest request)
                throws UaException {
            return delegate.onTransferSubscriptions(context, request);
        }

        @Override
        public SetPublishingModeResponse onSetPublishingMode(ServiceRequestContext context,
                                                             SetPublishingModeRequest request) throws UaException {
            return delegate.onSetPublishingMode(context, request);
        }

        @Override
        public RepublishResponse onRepublish(ServiceRequestContext context, RepublishRequest request)
                throws UaException {
            return delegate.onRepublish(context, request);
        }
    }

    /**
     * The benchmark's variables, {@code i=1..n}, in a folder {@code Bench} under Objects. Monitored items of their
     * Value attribute are fed at each change (no sampling timer); items on anything else never report.
     */
    private static final class BenchNamespace extends ManagedNamespaceWithLifecycle {
        private final int size;
        private final UaVariableNode[] nodes;
        /** The data items monitoring each variable. */
        private final List<CopyOnWriteArrayList<DataItem>> items;

        BenchNamespace(OpcUaServer server, int size) {
            super(server, NAMESPACE);
            this.size = size;
            this.nodes = new UaVariableNode[size];
            this.items = new ArrayList<>(size);
            for (int i = 0; i < size; i++) {
                items.add(new CopyOnWriteArrayList<>());
            }
            getLifecycleManager().addStartupTask(this::addNodes);
        }

        int size() {
            return size;
        }

        private void addNodes() {
            UaFolderNode folder = new UaFolderNode(getNodeContext(), newNodeId("Bench"), newQualifiedName("Bench"),
                    LocalizedText.english("Bench"));
            getNodeManager().addNode(folder);
            folder.addReference(new org.eclipse.milo.opcua.sdk.core.Reference(folder.getNodeId(), NodeIds.Organizes,
                    NodeIds.ObjectsFolder.expanded(), false));
            DateTime now = new DateTime(Instant.now());
            for (int i = 0; i < size; i++) {
                String name = String.format("V%05d", i + 1);
                UaVariableNode node = new UaVariableNode.UaVariableNodeBuilder(getNodeContext())
                        .setNodeId(newNodeId(i + 1))
                        .setAccessLevel(AccessLevel.READ_ONLY)
                        .setUserAccessLevel(AccessLevel.READ_ONLY)
                        .setBrowseName(newQualifiedName(name))
                        .setDisplayName(LocalizedText.english(name))
                        .setDataType(NodeIds.Double)
                        .setValueRank(ValueRanks.Scalar)
                        .setTypeDefinition(NodeIds.BaseDataVariableType)
                        .build();
                node.setValue(new DataValue(new Variant(i / INDEX_SCALE), StatusCode.GOOD, now, now));
                getNodeManager().addNode(node);
                folder.addOrganizes(node);
                nodes[i] = node;
            }
        }

        /** Sets variable {@code i} (0-based) with a source timestamp read now, and hands it to its items. */
        void change(int i, double value) {
            DateTime now = new DateTime(Instant.now());
            DataValue dv = new DataValue(new Variant(value), StatusCode.GOOD, now, now);
            nodes[i].setValue(dv);
            for (DataItem item : items.get(i)) {
                report(item, dv);
            }
        }

        private void report(DataItem item, DataValue dv) {
            if (item.isSamplingEnabled()) {
                item.setValue(item.getTimestampsToReturn() == null ? dv
                        : DataValue.derivedValue(dv, item.getTimestampsToReturn()));
            }
        }

        /** The 0-based variable an item monitors the value of, or -1. */
        private int index(DataItem item) {
            NodeId id = item.getReadValueId().getNodeId();
            if (!AttributeId.Value.isEqual(item.getReadValueId().getAttributeId())
                    || !id.getNamespaceIndex().equals(getNamespaceIndex())
                    || !(id.getIdentifier() instanceof UInteger u)) {
                return -1;
            }
            long i = u.longValue() - 1;
            return i >= 0 && i < size ? (int) i : -1;
        }

        @Override
        public void onDataItemsCreated(List<DataItem> dataItems) {
            for (DataItem item : dataItems) {
                int i = index(item);
                if (i >= 0) {
                    items.get(i).add(item);
                    // The current value first, as a sampling server would report it.
                    report(item, nodes[i].getValue());
                }
            }
        }

        @Override
        public void onDataItemsModified(List<DataItem> dataItems) {
            // Sampling intervals do not matter: items are fed at each change.
        }

        @Override
        public void onDataItemsDeleted(List<DataItem> dataItems) {
            for (DataItem item : dataItems) {
                int i = index(item);
                if (i >= 0) {
                    items.get(i).remove(item);
                }
            }
        }

        @Override
        public void onMonitoringModeChanged(List<MonitoredItem> monitoredItems) {
            // Checked at each change (isSamplingEnabled).
        }
    }
}
