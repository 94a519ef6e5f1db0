package dev.stator.driver.opcua;

import org.eclipse.milo.opcua.sdk.core.AccessLevel;
import org.eclipse.milo.opcua.sdk.core.ValueRanks;
import org.eclipse.milo.opcua.sdk.server.EndpointConfig;
import org.eclipse.milo.opcua.sdk.server.ManagedNamespaceWithLifecycle;
import org.eclipse.milo.opcua.sdk.server.OpcUaServer;
import org.eclipse.milo.opcua.sdk.server.OpcUaServerConfig;
import org.eclipse.milo.opcua.sdk.server.OpcUaServerConfigLimits;
import org.eclipse.milo.opcua.sdk.server.Session;
import org.eclipse.milo.opcua.sdk.server.identity.AnonymousIdentityValidator;
import org.eclipse.milo.opcua.sdk.server.identity.CompositeValidator;
import org.eclipse.milo.opcua.sdk.server.identity.UsernameIdentityValidator;
import org.eclipse.milo.opcua.sdk.server.items.DataItem;
import org.eclipse.milo.opcua.sdk.server.items.MonitoredItem;
import org.eclipse.milo.opcua.sdk.server.model.variables.AnalogItemTypeNode;
import org.eclipse.milo.opcua.sdk.server.nodes.UaFolderNode;
import org.eclipse.milo.opcua.sdk.server.nodes.UaNode;
import org.eclipse.milo.opcua.sdk.server.nodes.UaVariableNode;
import org.eclipse.milo.opcua.sdk.server.nodes.factories.NodeFactory;
import org.eclipse.milo.opcua.sdk.server.servicesets.ViewServiceSet;
import org.eclipse.milo.opcua.sdk.server.servicesets.impl.DefaultViewServiceSet;
import org.eclipse.milo.opcua.sdk.server.util.SubscriptionModel;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.types.structured.BrowseNextRequest;
import org.eclipse.milo.opcua.stack.core.types.structured.BrowseNextResponse;
import org.eclipse.milo.opcua.stack.core.types.structured.BrowseRequest;
import org.eclipse.milo.opcua.stack.core.types.structured.BrowseResponse;
import org.eclipse.milo.opcua.stack.core.types.structured.RegisterNodesRequest;
import org.eclipse.milo.opcua.stack.core.types.structured.RegisterNodesResponse;
import org.eclipse.milo.opcua.stack.core.types.structured.TranslateBrowsePathsToNodeIdsRequest;
import org.eclipse.milo.opcua.stack.core.types.structured.TranslateBrowsePathsToNodeIdsResponse;
import org.eclipse.milo.opcua.stack.core.types.structured.UnregisterNodesRequest;
import org.eclipse.milo.opcua.stack.core.types.structured.UnregisterNodesResponse;
import org.eclipse.milo.opcua.stack.transport.server.ServiceRequestContext;
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.Stack;
import org.eclipse.milo.opcua.stack.core.security.CertificateQuarantine;
import org.eclipse.milo.opcua.stack.core.security.DefaultApplicationGroup;
import org.eclipse.milo.opcua.stack.core.security.DefaultCertificateManager;
import org.eclipse.milo.opcua.stack.core.security.DefaultServerCertificateValidator;
import org.eclipse.milo.opcua.stack.core.security.MemoryCertificateQuarantine;
import org.eclipse.milo.opcua.stack.core.security.MemoryCertificateStore;
import org.eclipse.milo.opcua.stack.core.security.MemoryTrustListManager;
import org.eclipse.milo.opcua.stack.core.security.RsaSha256CertificateFactory;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.security.CertificateStore;
import org.eclipse.milo.opcua.stack.core.transport.TransportProfile;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.ExtensionObject;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.QualifiedName;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UInteger;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UShort;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MessageSecurityMode;
import org.eclipse.milo.opcua.stack.core.types.structured.BuildInfo;
import org.eclipse.milo.opcua.stack.core.types.structured.Range;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateBuilder;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateGenerator;
import org.eclipse.milo.opcua.stack.transport.server.tcp.OpcTcpServerTransport;
import org.eclipse.milo.opcua.stack.transport.server.tcp.OpcTcpServerTransportConfig;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Period;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

/**
 * A small OPC UA server on 127.0.0.1 for the driver's tests, built on Milo's server SDK. Its certificate and key live
 * in a folder the test owns, so that a restarted server on the same port is the same server to the client.
 *
 * <p>Namespace {@value #NAMESPACE} holds:
 * <ul>
 *   <li>{@code Analog/Level}: an AnalogItemType (Double, EURange 0..100), writable;</li>
 *   <li>{@code Plain/<Type>}: one writable variable per built-in type (Boolean, SByte, Byte, Int16, UInt16, Int32,
 *       UInt32, Int64, UInt64, Float, Double, String), a Double array and a structure ({@code Plain/Range});</li>
 *   <li>{@code ReadOnly/Limit}: a read-only Double;</li>
 *   <li>{@code Dynamic/Ramp}: a Double that grows by one every 50 ms;</li>
 *   <li>{@code Deep/L1/.../L5/Leaf} and {@code Wide/Item00..11} for browsing.</li>
 * </ul>
 * Users: anonymous, and {@code operator} / {@code secret-1}. Endpoints: None/None and Basic256Sha256 with Sign and
 * with SignAndEncrypt. The server advertises MaxMonitoredItemsPerCall = {@value #MAX_ITEMS_PER_CALL} and refuses
 * reads of more than {@value #MAX_NODES_PER_READ} nodes, and records the size of every CreateMonitoredItems batch.
 */
final class TestServer implements AutoCloseable {

    static final String NAMESPACE = "urn:stator:test-server";
    static final String USER = "operator";
    static final String PASSWORD = "secret-1";
    static final int MAX_ITEMS_PER_CALL = 5;
    static final int MAX_NODES_PER_READ = 40;
    static final String[] TYPES = {"Boolean", "SByte", "Byte", "Int16", "UInt16", "Int32", "UInt32", "Int64",
        "UInt64", "Float", "Double", "String"};

    private final Path pkiDir;
    private final int port;
    private final OpcUaServer server;
    private final TestNamespace namespace;
    private final MemoryTrustListManager trustList;
    private final X509Certificate certificate;
    private final ScheduledExecutorService ramp;
    /** The most references a Browse returns per node, whatever the client asks; 0: what the client asks. */
    volatile int maxReferencesPerNode;
    /** Size of each CreateMonitoredItems batch the server received. */
    final List<Integer> createdBatches = new CopyOnWriteArrayList<>();

    private TestServer(Path pkiDir, int port) throws Exception {
        this.pkiDir = pkiDir;
        this.port = port;
        // Tests reconnect quickly and often; Milo's per-address connection rate limit is for the wild.
        Stack.ConnectionLimits.RATE_LIMIT_ENABLED = false;
        Files.createDirectories(pkiDir);
        KeyPair keyPair = loadOrCreateKeyPair(pkiDir);
        certificate = loadOrCreateCertificate(pkiDir, keyPair);
        trustList = new MemoryTrustListManager();
        Path trustedDir = Files.createDirectories(pkiDir.resolve("trusted"));
        try (var files = Files.list(trustedDir)) {
            for (Path f : files.toList()) {
                trustList.addTrustedCertificate(PkiDirectory.decode(Files.readAllBytes(f)));
            }
        }
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

        Set<EndpointConfig> endpoints = new LinkedHashSet<>();
        EndpointConfig.Builder base = EndpointConfig.newBuilder()
                .setTransportProfile(TransportProfile.TCP_UASC_UABINARY)
                .setBindAddress("127.0.0.1")
                .setHostname("127.0.0.1")
                .setBindPort(port)
                .setPath("/test")
                .setCertificate(certificate)
                .addTokenPolicies(OpcUaServerConfig.USER_TOKEN_POLICY_ANONYMOUS,
                        OpcUaServerConfig.USER_TOKEN_POLICY_USERNAME);
        endpoints.add(base.copy().setSecurityPolicy(SecurityPolicy.None).setSecurityMode(MessageSecurityMode.None)
                .build());
        endpoints.add(base.copy().setSecurityPolicy(SecurityPolicy.Basic256Sha256)
                .setSecurityMode(MessageSecurityMode.Sign).build());
        endpoints.add(base.copy().setSecurityPolicy(SecurityPolicy.Basic256Sha256)
                .setSecurityMode(MessageSecurityMode.SignAndEncrypt).build());

        OpcUaServerConfig config = OpcUaServerConfig.builder()
                .setApplicationUri("urn:stator:test-server")
                .setApplicationName(LocalizedText.english("Stator test server"))
                .setProductUri("urn:stator:test-server")
                .setBuildInfo(new BuildInfo("urn:stator:test-server", "stator", "Stator test server", "1", "1",
                        DateTime.now()))
                .setEndpoints(endpoints)
                .setCertificateManager(new DefaultCertificateManager(quarantine, group))
                .setIdentityValidator(new CompositeValidator(AnonymousIdentityValidator.INSTANCE,
                        new UsernameIdentityValidator(c -> USER.equals(c.getUsername())
                                && PASSWORD.equals(c.getPassword()))))
                .setLimits(new OpcUaServerConfigLimits() {
                    @Override
                    public UInteger getMaxMonitoredItemsPerCall() {
                        return uint(MAX_ITEMS_PER_CALL);
                    }

                    @Override
                    public UInteger getMaxNodesPerRead() {
                        return uint(MAX_NODES_PER_READ);
                    }

                    @Override
                    public Double getMinSubscriptionLifetime() {
                        return 1_000.0;
                    }
                })
                .build();
        server = new OpcUaServer(config, profile -> new OpcTcpServerTransport(
                OpcTcpServerTransportConfig.newBuilder().build()));
        server.addServiceSet("/test", new CappedViewServiceSet(new DefaultViewServiceSet(server)));
        namespace = new TestNamespace(server);
        namespace.startup();

        ramp = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "test-server-ramp-" + port);
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts a server on a free port, keeping its certificate in {@code pkiDir}. */
    static TestServer start(Path pkiDir) throws Exception {
        return start(pkiDir, freePort());
    }

    /** Starts a server on {@code port} (a restart uses the port and the folder of the server it replaces). */
    static TestServer start(Path pkiDir, int port) throws Exception {
        TestServer s = new TestServer(pkiDir, port);
        s.server.startup().get(20, TimeUnit.SECONDS);
        s.ramp.scheduleAtFixedRate(s::step, 50, 50, TimeUnit.MILLISECONDS);
        return s;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    int port() {
        return port;
    }

    String url() {
        return "opc.tcp://127.0.0.1:" + port + "/test";
    }

    Path pkiDir() {
        return pkiDir;
    }

    X509Certificate certificate() {
        return certificate;
    }

    /** Trusts a client certificate, now and for a restarted server using the same folder. */
    void trustClient(X509Certificate client) throws Exception {
        trustList.addTrustedCertificate(client);
        Files.write(pkiDir.resolve("trusted").resolve(PkiDirectory.thumbprint(client) + ".der"),
                client.getEncoded());
    }

    /** The namespace's index on this server. */
    int namespaceIndex() {
        return namespace.getNamespaceIndex().intValue();
    }

    /** Sets a variable's value as the plant would, with a fresh source timestamp. */
    void set(String id, Object value) {
        variable(id).setValue(new DataValue(Variant.of(value), org.eclipse.milo.opcua.stack.core.types.builtin
                .StatusCode.GOOD, DateTime.now()));
    }

    /** The current value of a variable. */
    Object get(String id) {
        return variable(id).getValue().getValue().getValue();
    }

    private UaVariableNode variable(String id) {
        return (UaVariableNode) namespace.getNodeManager().getNode(new NodeId(namespace.getNamespaceIndex(), id))
                .orElseThrow(() -> new IllegalArgumentException("no node " + id));
    }

    private volatile double rampValue;

    private void step() {
        try {
            rampValue += 1;
            set("Dynamic/Ramp", rampValue);
        } catch (RuntimeException e) {
            // The server is stopping.
        }
    }

    /** The ids of the sessions open now. */
    Set<NodeId> sessionIds() {
        Set<NodeId> ids = new LinkedHashSet<>();
        for (Session s : server.getSessionManager().getAllSessions()) {
            ids.add(s.getSessionId());
        }
        return ids;
    }

    /**
     * Ends every session as a session timeout would, keeping their subscriptions for a client to transfer to a new
     * session.
     */
    void dropSessionsKeepingSubscriptions() {
        for (Session s : server.getSessionManager().getAllSessions()) {
            server.getSessionManager().killSession(s.getSessionId(), false);
        }
    }

    /** Stops the server (its port closes; clients see the connection drop). */
    @Override
    public void close() {
        ramp.shutdownNow();
        try {
            namespace.shutdown();
            server.shutdown().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("test server did not stop", e);
        }
    }

    private static KeyPair loadOrCreateKeyPair(Path dir) throws Exception {
        Path keyFile = dir.resolve("server-key.der");
        Path pubFile = dir.resolve("server-cert.der");
        if (Files.exists(keyFile) && Files.exists(pubFile)) {
            PrivateKey key = KeyFactory.getInstance("RSA").generatePrivate(
                    new PKCS8EncodedKeySpec(Files.readAllBytes(keyFile)));
            return new KeyPair(PkiDirectory.decode(Files.readAllBytes(pubFile)).getPublicKey(), key);
        }
        KeyPair keyPair = SelfSignedCertificateGenerator.generateRsaKeyPair(2048);
        Files.write(keyFile, keyPair.getPrivate().getEncoded());
        return keyPair;
    }

    private static X509Certificate loadOrCreateCertificate(Path dir, KeyPair keyPair) throws Exception {
        Path file = dir.resolve("server-cert.der");
        if (Files.exists(file)) {
            return PkiDirectory.decode(Files.readAllBytes(file));
        }
        X509Certificate c = new SelfSignedCertificateBuilder(keyPair)
                .setCommonName("Stator Test Server")
                .setOrganization("Stator")
                .setApplicationUri("urn:stator:test-server")
                .addDnsName("localhost")
                .addIpAddress("127.0.0.1")
                .setValidityPeriod(Period.ofDays(30))
                .build();
        Files.write(file, c.getEncoded());
        return c;
    }

    /** The test variables, wired to a subscription model so that monitored items are sampled. */
    private final class TestNamespace extends ManagedNamespaceWithLifecycle {

        private final SubscriptionModel subscriptionModel;
        private final Map<String, UaNode> folders = new ConcurrentHashMap<>();

        TestNamespace(OpcUaServer server) {
            super(server, NAMESPACE);
            subscriptionModel = new SubscriptionModel(server, this);
            getLifecycleManager().addLifecycle(subscriptionModel);
            getLifecycleManager().addStartupTask(this::addNodes);
        }

        private void addNodes() {
            UaFolderNode root = folder(null, "Test");
            UaFolderNode plain = folder(root, "Plain");
            Object[] values = {false, (byte) -5, org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UByte
                    .valueOf(200), (short) -300, UShort.valueOf(60000), 123456, uint(4000000000L), 1L << 40,
                org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.ULong.valueOf(Long.MAX_VALUE), 1.5f, 21.5,
                "hello"};
            NodeId[] types = {NodeIds.Boolean, NodeIds.SByte, NodeIds.Byte, NodeIds.Int16, NodeIds.UInt16,
                NodeIds.Int32, NodeIds.UInt32, NodeIds.Int64, NodeIds.UInt64, NodeIds.Float, NodeIds.Double,
                NodeIds.String};
            for (int i = 0; i < TYPES.length; i++) {
                variable(plain, "Plain/" + TYPES[i], TYPES[i], types[i], values[i], AccessLevel.READ_WRITE,
                        ValueRanks.Scalar);
            }
            variable(plain, "Plain/Array", "Array", NodeIds.Double, new Double[] {1.0, 2.0, 3.0},
                    AccessLevel.READ_WRITE, ValueRanks.OneDimension);
            variable(plain, "Plain/Range", "Range", NodeIds.Range,
                    ExtensionObject.encode(getServer().getStaticEncodingContext(), new Range(0.0, 10.0)),
                    AccessLevel.READ_WRITE, ValueRanks.Scalar);
            variable(plain, "Plain/Noisy", "Noisy", NodeIds.Double, 10.0, AccessLevel.READ_WRITE,
                    ValueRanks.Scalar);

            UaFolderNode readOnly = folder(root, "ReadOnly");
            variable(readOnly, "ReadOnly/Limit", "Limit", NodeIds.Double, 95.0, AccessLevel.READ_ONLY,
                    ValueRanks.Scalar);

            UaFolderNode dynamic = folder(root, "Dynamic");
            variable(dynamic, "Dynamic/Ramp", "Ramp", NodeIds.Double, 0.0, AccessLevel.READ_ONLY, ValueRanks.Scalar);

            UaFolderNode analog = folder(root, "Analog");
            try {
                AnalogItemTypeNode level = (AnalogItemTypeNode) getNodeFactory().createNode(
                        newNodeId("Analog/Level"), NodeIds.AnalogItemType, new NodeFactory.InstantiationCallback() {
                            @Override
                            public boolean includeOptionalNode(NodeId typeDefinitionId, QualifiedName browseName) {
                                return true;
                            }
                        });
                level.setBrowseName(newQualifiedName("Level"));
                level.setDisplayName(LocalizedText.english("Level"));
                level.setDataType(NodeIds.Double);
                level.setAccessLevel(AccessLevel.toValue(AccessLevel.READ_WRITE));
                level.setUserAccessLevel(AccessLevel.toValue(AccessLevel.READ_WRITE));
                level.setValue(new DataValue(new Variant(50.0)));
                level.setEuRange(new Range(0.0, 100.0));
                getNodeManager().addNode(level);
                analog.addOrganizes(level);
            } catch (Exception e) {
                throw new IllegalStateException("cannot create the analog item", e);
            }

            UaFolderNode parent = folder(root, "Deep");
            String path = "Deep";
            for (int i = 1; i <= 5; i++) {
                path += "/L" + i;
                parent = folder(parent, path, "L" + i);
            }
            variable(parent, path + "/Leaf", "Leaf", NodeIds.Int32, 42, AccessLevel.READ_ONLY, ValueRanks.Scalar);

            UaFolderNode wide = folder(root, "Wide");
            for (int i = 0; i < 12; i++) {
                String name = String.format("Item%02d", i);
                variable(wide, "Wide/" + name, name, NodeIds.Double, (double) i, AccessLevel.READ_WRITE,
                        ValueRanks.Scalar);
            }
        }

        private UaFolderNode folder(UaFolderNode parent, String name) {
            return folder(parent, name, name);
        }

        private UaFolderNode folder(UaFolderNode parent, String id, String name) {
            UaFolderNode f = new UaFolderNode(getNodeContext(), newNodeId(id), newQualifiedName(name),
                    LocalizedText.english(name));
            getNodeManager().addNode(f);
            if (parent == null) {
                f.addReference(new org.eclipse.milo.opcua.sdk.core.Reference(f.getNodeId(), NodeIds.Organizes,
                        NodeIds.ObjectsFolder.expanded(), false));
            } else {
                parent.addOrganizes(f);
            }
            folders.put(id, f);
            return f;
        }

        private void variable(UaFolderNode parent, String id, String name, NodeId type, Object value,
                              Set<AccessLevel> access, int valueRank) {
            UaVariableNode node = new UaVariableNode.UaVariableNodeBuilder(getNodeContext())
                    .setNodeId(newNodeId(id))
                    .setAccessLevel(access)
                    .setUserAccessLevel(access)
                    .setBrowseName(newQualifiedName(name))
                    .setDisplayName(LocalizedText.english(name))
                    .setDataType(type)
                    .setValueRank(valueRank)
                    .setTypeDefinition(NodeIds.BaseDataVariableType)
                    .build();
            node.setValue(new DataValue(Variant.of(value)));
            getNodeManager().addNode(node);
            parent.addOrganizes(node);
        }

        @Override
        public void onDataItemsCreated(List<DataItem> dataItems) {
            createdBatches.add(dataItems.size());
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
    }

    /** The server's view services with a cap of its own on the references returned per node. */
    private final class CappedViewServiceSet implements ViewServiceSet {
        private final ViewServiceSet delegate;

        CappedViewServiceSet(ViewServiceSet delegate) {
            this.delegate = delegate;
        }

        @Override
        public BrowseResponse onBrowse(ServiceRequestContext context, BrowseRequest request) throws UaException {
            int cap = maxReferencesPerNode;
            long asked = request.getRequestedMaxReferencesPerNode().longValue();
            if (cap > 0 && (asked == 0 || asked > cap)) {
                request = new BrowseRequest(request.getRequestHeader(), request.getView(), uint(cap),
                        request.getNodesToBrowse());
            }
            return delegate.onBrowse(context, request);
        }

        @Override
        public BrowseNextResponse onBrowseNext(ServiceRequestContext context, BrowseNextRequest request)
                throws UaException {
            return delegate.onBrowseNext(context, request);
        }

        @Override
        public TranslateBrowsePathsToNodeIdsResponse onTranslateBrowsePaths(ServiceRequestContext context,
                TranslateBrowsePathsToNodeIdsRequest request) throws UaException {
            return delegate.onTranslateBrowsePaths(context, request);
        }

        @Override
        public RegisterNodesResponse onRegisterNodes(ServiceRequestContext context, RegisterNodesRequest request)
                throws UaException {
            return delegate.onRegisterNodes(context, request);
        }

        @Override
        public UnregisterNodesResponse onUnregisterNodes(ServiceRequestContext context,
                UnregisterNodesRequest request) throws UaException {
            return delegate.onUnregisterNodes(context, request);
        }
    }
}
