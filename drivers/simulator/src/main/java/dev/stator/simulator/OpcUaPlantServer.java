package dev.stator.simulator;

import io.netty.channel.nio.NioEventLoopGroup;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.Security;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.eclipse.milo.opcua.sdk.server.EndpointConfig;
import org.eclipse.milo.opcua.sdk.server.OpcUaServer;
import org.eclipse.milo.opcua.sdk.server.OpcUaServerConfig;
import org.eclipse.milo.opcua.sdk.server.identity.AnonymousIdentityValidator;
import org.eclipse.milo.opcua.sdk.server.identity.CompositeValidator;
import org.eclipse.milo.opcua.sdk.server.identity.IdentityValidator;
import org.eclipse.milo.opcua.sdk.server.identity.UsernameIdentityValidator;
import org.eclipse.milo.opcua.sdk.server.util.HostnameUtil;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MessageSecurityMode;
import org.eclipse.milo.opcua.stack.core.types.enumerated.UserTokenType;
import org.eclipse.milo.opcua.stack.core.types.structured.BuildInfo;
import org.eclipse.milo.opcua.stack.core.types.structured.UserTokenPolicy;
import org.eclipse.milo.opcua.stack.transport.server.tcp.OpcTcpServerTransport;
import org.eclipse.milo.opcua.stack.transport.server.tcp.OpcTcpServerTransportConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The simulator's embedded Eclipse Milo OPC UA server: endpoints, identities, PKI and the pumping station namespace,
 * with the lifecycle Milo leaves to its caller.
 *
 * <p>Threads: the server runs on threads of its own, all daemons named {@code stator-sim-opcua-<port>-io-N} (Netty
 * event loop), {@code -worker-N} (service requests, sampling) and {@code -timer-N} (publishing and session timers),
 * plus Milo's {@code milo-trust-list-watcher}. {@link #close()} stops them all, waiting a bounded time. What stays
 * behind is JVM-wide and shared with every other Milo server and client of the JVM: the wheel timer
 * {@code milo-netty-wheel-timer} that Milo's server transport uses for secure channel lifetimes (it cannot be
 * configured), Netty's and Milo's static caches, and Milo's one-shot {@code milo-nonce-util-secure-random} seeding
 * thread. Only {@code Stack.releaseSharedResources()} ends them, and only the program may call it, at its very end.
 */
final class OpcUaPlantServer implements AutoCloseable {

    /** Path of the endpoint URL. */
    static final String PATH = "/stator";

    private static final Logger log = LoggerFactory.getLogger(OpcUaPlantServer.class);
    private static final long TIMEOUT_SECONDS = 5;
    private static final List<SecurityPolicy> SECURE_POLICIES = List.of(SecurityPolicy.Basic256Sha256,
            SecurityPolicy.Aes128_Sha256_RsaOaep, SecurityPolicy.Aes256_Sha256_RsaPss);

    private final OpcUaServer server;
    private final PumpingStationNamespace namespace;
    private final SimulatorPki pki;
    private final NioEventLoopGroup io;
    private final ThreadPoolExecutor workers;
    private final ScheduledThreadPoolExecutor timers;
    private final String endpointUrl;

    private OpcUaPlantServer(OpcUaServer server, PumpingStationNamespace namespace, SimulatorPki pki,
            NioEventLoopGroup io, ThreadPoolExecutor workers, ScheduledThreadPoolExecutor timers, String endpointUrl) {
        this.server = server;
        this.namespace = namespace;
        this.pki = pki;
        this.io = io;
        this.workers = workers;
        this.timers = timers;
        this.endpointUrl = endpointUrl;
    }

    /**
     * The endpoint URL clients connect to: {@code opc.tcp://<host>:<port>/stator}, where the host is the bind address
     * (or this machine's name when binding every interface).
     */
    static String endpointUrl(InetAddress bindAddress, int port) {
        String host = advertisedHost(bindAddress);
        return "opc.tcp://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port + PATH;
    }

    /**
     * Opens the PKI, builds the namespace and binds {@code bindAddress:port}. On failure everything started so far
     * is stopped again.
     *
     * @param bindAddress the address to bind and advertise
     * @param options     port, PKI directory and identities
     * @param plant       where writes go
     * @param firstScan   the values to show until the first {@link #publish}
     * @param trusted     client certificates to trust before the first client arrives
     * @throws IOException naming the address if the port cannot be bound or the server does not start, or naming the
     *                     directory if the PKI cannot be set up
     */
    static OpcUaPlantServer start(InetAddress bindAddress, OpcUaOptions options, PlantSimulator plant,
            PlantSnapshot firstScan, List<X509Certificate> trusted) throws IOException {
        installBouncyCastle();
        int port = options.port();
        String host = advertisedHost(bindAddress);
        String where = bindAddress.getHostAddress() + ":" + port;
        requireFree(bindAddress, port, where);
        SimulatorPki pki = SimulatorPki.open(options.pkiDirectory(), dnsNames(bindAddress, host),
                ipAddresses(bindAddress));

        String prefix = "stator-sim-opcua-" + port;
        NioEventLoopGroup io = new NioEventLoopGroup(1, daemonThreads(prefix + "-io"));
        // Like Milo's own shared executor: Milo may block a worker on another task, so do not bound the pool.
        ThreadPoolExecutor workers = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS,
                new SynchronousQueue<>(), daemonThreads(prefix + "-worker"));
        ScheduledThreadPoolExecutor timers = new ScheduledThreadPoolExecutor(2, daemonThreads(prefix + "-timer"));
        timers.setRemoveOnCancelPolicy(true);
        timers.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);

        OpcUaServer server = null;
        PumpingStationNamespace namespace = null;
        try {
            trusted.forEach(pki::trust);
            OpcUaServerConfig config = OpcUaServerConfig.builder()
                    .setApplicationUri(SimulatorPki.APPLICATION_URI)
                    .setApplicationName(LocalizedText.english("Stator plant simulator"))
                    .setProductUri(SimulatorPki.APPLICATION_URI)
                    .setBuildInfo(new BuildInfo(SimulatorPki.APPLICATION_URI, "Stator", "Stator plant simulator",
                            version(), "", DateTime.MIN_VALUE))
                    .setEndpoints(endpoints(bindAddress.getHostAddress(), host, port, pki.certificate(), options))
                    .setIdentityValidator(identityValidator(options))
                    .setCertificateManager(pki.certificateManager())
                    .setExecutor(workers)
                    .setScheduledExecutor(timers)
                    .build();
            OpcTcpServerTransportConfig transport = OpcTcpServerTransportConfig.newBuilder()
                    .setEventLoop(io)
                    .setExecutor(workers)
                    .build();
            server = new OpcUaServer(config, profile -> new OpcTcpServerTransport(transport));
            namespace = new PumpingStationNamespace(server, plant, firstScan);
            // The address space is complete before the port opens: no client sees it half built.
            namespace.startup();
            server.startup().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            // Milo fails its startup when no endpoint could be bound.
            stop(server, namespace, pki, io, workers, timers);
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new IOException("Cannot serve OPC UA on " + where + ": " + cause.getMessage()
                    + " (is another program using this port?)", cause);
        } catch (RuntimeException e) {
            stop(server, namespace, pki, io, workers, timers);
            throw new IOException("Cannot start the OPC UA server on " + where + ": " + e, e);
        } catch (InterruptedException e) {
            stop(server, namespace, pki, io, workers, timers);
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while starting the OPC UA server on " + where);
        }
        String url = endpointUrl(bindAddress, port);
        log.info("OPC UA server listening on {} (bound to {}), PKI in {}", url, where, pki.directory());
        return new OpcUaPlantServer(server, namespace, pki, io, workers, timers, url);
    }

    /** The endpoint URL. */
    String endpointUrl() {
        return endpointUrl;
    }

    /** The server's certificate. */
    X509Certificate certificate() {
        return pki.certificate();
    }

    /** The PKI directory. */
    Path pkiDirectory() {
        return pki.directory();
    }

    /** Trusts a client certificate (written into the PKI's trusted list). Any thread. */
    void trust(X509Certificate clientCertificate) {
        pki.trust(clientCertificate);
    }

    /** Shows one scan of the plant. Plant thread. */
    void publish(PlantSnapshot measured, int heartbeat, Instant time) {
        namespace.publish(measured, heartbeat, time);
    }

    /**
     * Closes every connection, frees the port and stops the server's threads, waiting at most a few seconds for
     * each. Leaves Milo's JVM-wide resources alone: other servers and clients of this JVM may use them.
     */
    @Override
    public void close() {
        stop(server, namespace, pki, io, workers, timers);
        log.info("OPC UA server {} closed", endpointUrl);
    }

    private static void stop(OpcUaServer server, PumpingStationNamespace namespace, SimulatorPki pki,
            NioEventLoopGroup io, ExecutorService workers, ScheduledThreadPoolExecutor timers) {
        // The server first: deleting its subscriptions still needs the namespace's sampling model running.
        if (server != null) {
            try {
                server.shutdown().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException | RuntimeException e) {
                log.warn("OPC UA server shutdown failed: {}", e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (namespace != null) {
            try {
                namespace.shutdown();
            } catch (RuntimeException e) {
                log.warn("OPC UA namespace shutdown failed: {}", e.toString());
            }
        }
        pki.close();
        io.shutdownGracefully(0, TIMEOUT_SECONDS, TimeUnit.SECONDS).awaitUninterruptibly(TIMEOUT_SECONDS,
                TimeUnit.SECONDS);
        timers.shutdownNow();
        workers.shutdown();
        awaitTermination(workers, "worker");
        awaitTermination(timers, "timer");
        if (!io.isTerminated()) {
            log.warn("the OPC UA event loop did not stop within {} s", TIMEOUT_SECONDS);
        }
    }

    private static void awaitTermination(ExecutorService executor, String name) {
        try {
            if (!executor.awaitTermination(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                executor.shutdownNow();
                log.warn("the OPC UA {} threads did not stop within {} s", name, TIMEOUT_SECONDS);
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    private static Set<EndpointConfig> endpoints(String bindAddress, String host, int port,
            X509Certificate certificate, OpcUaOptions options) {
        EndpointConfig.Builder base = EndpointConfig.newBuilder()
                .setBindAddress(bindAddress)
                .setHostname(host)
                .setBindPort(port)
                .setPath(PATH)
                .setCertificate(certificate);
        Set<EndpointConfig> endpoints = new LinkedHashSet<>();
        endpoints.add(endpoint(base, SecurityPolicy.None, MessageSecurityMode.None, options));
        for (SecurityPolicy policy : SECURE_POLICIES) {
            endpoints.add(endpoint(base, policy, MessageSecurityMode.Sign, options));
            endpoints.add(endpoint(base, policy, MessageSecurityMode.SignAndEncrypt, options));
        }
        return endpoints;
    }

    private static EndpointConfig endpoint(EndpointConfig.Builder base, SecurityPolicy policy,
            MessageSecurityMode mode, OpcUaOptions options) {
        EndpointConfig.Builder endpoint = base.copy().setSecurityPolicy(policy).setSecurityMode(mode);
        if (options.anonymous()) {
            endpoint.addTokenPolicy(OpcUaServerConfig.USER_TOKEN_POLICY_ANONYMOUS);
        }
        if (!options.users().isEmpty()) {
            // The password is always encrypted with the server's key: on an unsecured channel with Basic256Sha256,
            // on a secured one with the channel's own policy.
            SecurityPolicy passwordPolicy = policy == SecurityPolicy.None ? SecurityPolicy.Basic256Sha256 : policy;
            endpoint.addTokenPolicy(new UserTokenPolicy("username", UserTokenType.UserName, null, null,
                    passwordPolicy.getUri()));
        }
        return endpoint.build();
    }

    private static IdentityValidator identityValidator(OpcUaOptions options) {
        List<IdentityValidator> validators = new ArrayList<>();
        if (options.anonymous()) {
            validators.add(AnonymousIdentityValidator.INSTANCE);
        }
        Map<String, String> users = options.users();
        if (!users.isEmpty()) {
            validators.add(new UsernameIdentityValidator(
                    challenge -> passwordMatches(users.get(challenge.getUsername()), challenge.getPassword())));
        }
        return new CompositeValidator(validators);
    }

    // Constant time, so the answer's delay does not tell how much of a password was right.
    private static boolean passwordMatches(String expected, String given) {
        if (expected == null || given == null) {
            return false;
        }
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                given.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Fails early, with a plain message, on a port that is taken: Milo would build the whole server first and then log
     * a stack trace per endpoint. Milo's own bind failure still covers a port taken between this check and the bind.
     */
    private static void requireFree(InetAddress bindAddress, int port, String where) throws IOException {
        try (ServerSocket probe = new ServerSocket(port, 1, bindAddress)) {
            probe.getLocalPort();
        } catch (IOException e) {
            throw new IOException("Cannot serve OPC UA on " + where + ": " + e.getMessage()
                    + " (is another program using this port?)", e);
        }
    }

    /**
     * Milo signs Aes256_Sha256_RsaPss messages with "SHA256withRSA/PSS", which only Bouncy Castle provides, and
     * expects the application to register it. Added last, so the JDK's providers keep precedence for everything
     * else; JVM-wide and kept, like any provider.
     */
    private static void installBouncyCastle() {
        if (Security.getProvider(BouncyCastleProvider.PROVIDER_NAME) == null) {
            Security.addProvider(new BouncyCastleProvider());
        }
    }

    private static String advertisedHost(InetAddress bindAddress) {
        return bindAddress.isAnyLocalAddress() ? HostnameUtil.getHostname() : bindAddress.getHostAddress();
    }

    private static List<String> dnsNames(InetAddress bindAddress, String host) {
        Set<String> names = new LinkedHashSet<>();
        names.add("localhost");
        if (bindAddress.isAnyLocalAddress()) {
            names.add(host);
        }
        return List.copyOf(names);
    }

    private static List<String> ipAddresses(InetAddress bindAddress) {
        Set<String> addresses = new LinkedHashSet<>();
        addresses.add("127.0.0.1");
        if (!bindAddress.isAnyLocalAddress()) {
            addresses.add(bindAddress.getHostAddress());
        }
        return List.copyOf(addresses);
    }

    private static String version() {
        String version = OpcUaPlantServer.class.getPackage().getImplementationVersion();
        return version != null ? version : "dev";
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
