package dev.stator.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A loopback TCP proxy for tests that forwards bytes between clients and one target server, and injects the link
 * failures plants really have, switchable at any time while connections are open.
 *
 * <pre>{@code
 * try (FaultProxy proxy = FaultProxy.start(new InetSocketAddress("127.0.0.1", slavePort))) {
 *     // point the driver at proxy.port() instead of slavePort, then:
 *     proxy.blackhole();        // cable pulled: writes succeed, nothing comes back
 *     proxy.heal();
 *     proxy.resetConnections(); // PLC rebooted
 * }
 * }</pre>
 *
 * <p>The proxy listens on 127.0.0.1 on an ephemeral port and only forwards to a loopback target. For every accepted
 * client it opens its own connection to the target (a client is reset at once if the target cannot be reached) and
 * passes each side's end of stream on to the other. At most {@value #MAX_CONNECTIONS} connections are open at a time;
 * one more is reset at once.
 *
 * <p>Threads: one daemon thread named {@code stator-proxy-<port>} serves every connection with non-blocking I/O and
 * is stopped and joined by {@link #close()}. Every public method may be called from any thread. The switches
 * ({@link #blackhole()}, {@link #delay}, {@link #throttle}) take effect on the next byte read or written, on open and
 * new connections alike; {@link #resetConnections()}, {@link #refuseConnections} and {@link #heal()} return once done.
 */
public final class FaultProxy implements AutoCloseable {

    /** Connections open at the same time; a client beyond this is reset. */
    public static final int MAX_CONNECTIONS = 64;

    private static final Logger log = LoggerFactory.getLogger(FaultProxy.class);

    private static final InetAddress LOOPBACK = loopback();
    private static final int BACKLOG = 50;
    private static final int READ_BUFFER_SIZE = 16 * 1024;
    /** The loop thread connects to the target itself: a loopback connect is answered at once, or not at all. */
    private static final int CONNECT_TIMEOUT_MILLIS = 2_000;
    /** How long a caller waits for the loop thread to carry out a reset or a listener switch. */
    private static final long COMMAND_TIMEOUT_MILLIS = 5_000;
    private static final long CLOSE_TIMEOUT_MILLIS = 5_000;

    private final InetSocketAddress target;
    private final int port;
    private final Selector selector;
    private final Thread loop;
    private final Faults faults = new Faults();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicLong bytesToTarget = new AtomicLong();
    private final AtomicLong bytesToClients = new AtomicLong();
    private final AtomicLong bytesDropped = new AtomicLong();
    private final Object acceptedChanged = new Object();
    private volatile boolean closing;

    /** Guarded by itself; {@code loopEnded} too. */
    private final ArrayDeque<Command> commands = new ArrayDeque<>();
    private boolean loopEnded;

    // Loop thread only.
    private ServerSocketChannel listener;
    private final Set<ProxiedConnection> connections = new LinkedHashSet<>();
    private final ByteBuffer scratch = ByteBuffer.allocateDirect(READ_BUFFER_SIZE);

    private FaultProxy(InetSocketAddress target, Selector selector, ServerSocketChannel listener) {
        this.target = target;
        this.selector = selector;
        this.listener = listener;
        this.port = listener.socket().getLocalPort();
        this.loop = new Thread(this::run, "stator-proxy-" + port);
        this.loop.setDaemon(true);
    }

    /**
     * Starts a proxy to {@code target}, listening on 127.0.0.1 on an ephemeral port, forwarding normally.
     *
     * @param target a resolved loopback address with a port, where the real server listens
     * @throws IllegalArgumentException if {@code target} is not a loopback address with a port
     * @throws IOException if no port can be opened
     */
    public static FaultProxy start(InetSocketAddress target) throws IOException {
        Objects.requireNonNull(target, "target");
        if (target.isUnresolved() || !target.getAddress().isLoopbackAddress() || target.getPort() == 0) {
            throw new IllegalArgumentException("FaultProxy forwards to a loopback address with a port only, not "
                    + target);
        }
        Selector selector = Selector.open();
        ServerSocketChannel listener = null;
        FaultProxy proxy;
        try {
            listener = listen(0);
            listener.register(selector, SelectionKey.OP_ACCEPT);
            proxy = new FaultProxy(target, selector, listener);
        } catch (IOException | RuntimeException e) {
            if (listener != null) {
                listener.close();
            }
            selector.close();
            throw e;
        }
        proxy.loop.start();
        log.info("Fault proxy listening on 127.0.0.1:{}, forwarding to {}", proxy.port, target);
        return proxy;
    }

    /** The port clients connect to on 127.0.0.1; the same for the proxy's whole life. */
    public int port() {
        return port;
    }

    /** The address clients connect to: 127.0.0.1 and {@link #port()}. */
    public InetSocketAddress address() {
        return new InetSocketAddress(LOOPBACK, port);
    }

    /** The server the proxy forwards to. */
    public InetSocketAddress target() {
        return target;
    }

    /**
     * Drops every byte in both directions without closing any socket, like a pulled cable or a dead switch: a
     * client's writes succeed and nothing ever comes back. Applies to open connections, to bytes already on their way
     * (they are lost) and to new connections, which are accepted and get nothing through. An end of stream is held
     * back too. Lifted by {@link #heal()}.
     */
    public void blackhole() {
        faults.blackhole(true);
        selector.wakeup();
        log.info("Fault proxy {}: black hole", port);
    }

    /**
     * Resets every open connection on both sides: the client and the target each get a TCP RST. Returns once the
     * resets are sent. Later connections are forwarded as before.
     */
    public void resetConnections() {
        onLoop("reset the connections", () -> {
            int count = connections.size();
            for (ProxiedConnection connection : connections) {
                connection.reset();
            }
            connections.clear();
            open.set(0);
            log.info("Fault proxy {}: reset {} connection(s)", port, count);
        });
    }

    /**
     * Stops or restarts accepting connections. While refusing, the proxy does not listen at all, so a new connect
     * fails with "connection refused", like a server whose process is down. Open connections, including those whose
     * connect had returned before this call, are left as they are. Returns once the listening socket is closed or open
     * again.
     *
     * @param refuse {@code true} to refuse new connections, {@code false} to accept them again on the same port
     * @throws UncheckedIOException if the port cannot be listened on again
     */
    public void refuseConnections(boolean refuse) {
        if (refuse) {
            onLoop("stop listening", this::stopListening);
        } else {
            onLoop("listen again", this::listenAgain);
        }
    }

    /**
     * Adds {@code latency} to every chunk of bytes in each direction, keeping their order; a round trip through the
     * proxy takes at least twice as long. Applies to bytes read from now on; {@link Duration#ZERO} removes it.
     *
     * @param latency added to each chunk in each direction
     * @throws IllegalArgumentException if {@code latency} is negative
     */
    public void delay(Duration latency) {
        Objects.requireNonNull(latency, "latency");
        if (latency.isNegative()) {
            throw new IllegalArgumentException("A delay cannot be negative: " + latency);
        }
        faults.delayNanos(latency.toNanos());
        selector.wakeup();
        log.info("Fault proxy {}: delay {} ms", port, latency.toMillis());
    }

    /**
     * Limits throughput to {@code bytesPerSecond} in each direction of each connection, like a slow serial gateway.
     * Lifted by {@link #heal()}.
     *
     * @param bytesPerSecond the most each direction of each connection carries per second
     * @throws IllegalArgumentException if {@code bytesPerSecond} is not positive
     */
    public void throttle(int bytesPerSecond) {
        if (bytesPerSecond <= 0) {
            throw new IllegalArgumentException("A throughput limit must be positive, not " + bytesPerSecond
                    + " bytes/s; heal() lifts it");
        }
        faults.bytesPerSecond(bytesPerSecond);
        selector.wakeup();
        log.info("Fault proxy {}: throttle {} bytes/s", port, bytesPerSecond);
    }

    /**
     * Back to normal forwarding: no black hole, no delay, no throttle, accepting connections. Connections that were
     * black-holed and are still open carry bytes again; the bytes dropped meanwhile are gone, as on a real network.
     * Returns once the proxy listens again.
     *
     * @throws UncheckedIOException if the port cannot be listened on again
     */
    public void heal() {
        faults.clear();
        selector.wakeup();
        onLoop("listen again", this::listenAgain);
        log.info("Fault proxy {}: healed", port);
    }

    /** Client connections accepted since start, including those reset or black-holed. */
    public long connectionsAccepted() {
        return accepted.get();
    }

    /** Connections open now, client and target side both up. */
    public int openConnections() {
        return open.get();
    }

    /** Bytes written to the target, from all clients; counted by the time the target can read them. */
    public long bytesToTarget() {
        return bytesToTarget.get();
    }

    /** Bytes written to clients, from the target; counted by the time a client can read them. */
    public long bytesToClients() {
        return bytesToClients.get();
    }

    /** Bytes dropped by {@link #blackhole()}, both directions. */
    public long bytesDropped() {
        return bytesDropped.get();
    }

    /**
     * Waits until at least {@code n} client connections have been accepted since start, for instance until a driver
     * has reconnected after {@link #resetConnections()}.
     *
     * @param n       the count of {@link #connectionsAccepted()} to wait for
     * @param timeout how long to wait at most
     * @return whether they were within {@code timeout}
     * @throws InterruptedException if the calling thread is interrupted while waiting
     */
    public boolean awaitConnections(int n, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (acceptedChanged) {
            while (accepted.get() < n) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(acceptedChanged, left);
            }
            return true;
        }
    }

    /**
     * Resets every connection, stops listening and joins the proxy thread (waiting at most 5 s). Idempotent; the
     * switches do nothing afterwards.
     */
    @Override
    public void close() {
        closing = true;
        selector.wakeup();
        if (Thread.currentThread() == loop) {
            return;
        }
        try {
            loop.join(CLOSE_TIMEOUT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        if (loop.isAlive()) {
            log.warn("Fault proxy {}: thread {} did not stop within {} ms", port, loop.getName(),
                    CLOSE_TIMEOUT_MILLIS);
        }
    }

    @Override
    public String toString() {
        return "FaultProxy[127.0.0.1:" + port + " -> " + target + "]";
    }

    /** Runs {@code action} on the loop thread and waits for it; does nothing once the proxy is closed. */
    private void onLoop(String what, Runnable action) {
        Command command = new Command(action, new CompletableFuture<>());
        synchronized (commands) {
            if (loopEnded) {
                return;
            }
            commands.add(command);
        }
        selector.wakeup();
        try {
            command.done().get(COMMAND_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (CancellationException e) {
            // Closed meanwhile: there is nothing left to act on.
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException) {
                throw (RuntimeException) cause;
            }
            if (cause instanceof Error) {
                throw (Error) cause;
            }
            throw new IllegalStateException("Fault proxy " + port + " could not " + what, cause);
        } catch (TimeoutException e) {
            throw new IllegalStateException("Fault proxy " + port + " did not " + what + " within "
                    + COMMAND_TIMEOUT_MILLIS + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while fault proxy " + port + " was to " + what, e);
        }
    }

    private void run() {
        try {
            while (!closing) {
                runCommands();
                long wait = pumpAll(System.nanoTime());
                if (wait == Flow.NO_TIMER) {
                    selector.select();
                } else {
                    // Round up: waking a little early would only spin until the chunk is due.
                    selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(wait + 999_999)));
                }
                handleSelected();
            }
        } catch (IOException | RuntimeException e) {
            log.error("Fault proxy {} stopped on an unexpected failure", port, e);
        } finally {
            shutDown();
        }
    }

    private void runCommands() throws IOException {
        List<Command> batch;
        synchronized (commands) {
            if (commands.isEmpty()) {
                return;
            }
            batch = new ArrayList<>(commands);
            commands.clear();
        }
        List<Runnable> replies = new ArrayList<>();
        for (Command command : batch) {
            try {
                command.action().run();
                replies.add(() -> command.done().complete(null));
            } catch (RuntimeException e) {
                replies.add(() -> command.done().completeExceptionally(e));
            }
        }
        try {
            // A closed channel releases its socket (sends the RST, stops listening) only when the selector next
            // selects: do it before the callers hear the command is done, or a connect right after
            // refuseConnections(true) still gets through.
            selector.selectNow();
            handleSelected();
        } finally {
            replies.forEach(Runnable::run);
        }
    }

    private long pumpAll(long now) {
        long wait = Flow.NO_TIMER;
        for (Iterator<ProxiedConnection> it = connections.iterator(); it.hasNext(); ) {
            ProxiedConnection connection = it.next();
            try {
                wait = Math.min(wait, connection.pump(now));
                if (connection.finished()) {
                    it.remove();
                    open.decrementAndGet();
                    connection.close();
                    log.debug("Fault proxy {}: {} ended", port, connection);
                }
            } catch (IOException e) {
                it.remove();
                open.decrementAndGet();
                connection.reset();
                log.debug("Fault proxy {}: {} failed and was reset: {}", port, connection, e.toString());
            }
        }
        return wait;
    }

    private void handleSelected() {
        Set<SelectionKey> selected = selector.selectedKeys();
        long now = System.nanoTime();
        for (SelectionKey key : selected) {
            if (!key.isValid()) {
                continue;
            }
            if (key.isAcceptable()) {
                accept();
            } else if (key.isReadable()) {
                ProxiedConnection connection = (ProxiedConnection) key.attachment();
                try {
                    connection.onReadable(key, scratch, now);
                } catch (IOException e) {
                    if (connections.remove(connection)) {
                        open.decrementAndGet();
                    }
                    connection.reset();
                    log.debug("Fault proxy {}: {} failed and was reset: {}", port, connection, e.toString());
                }
            }
            // A writable sink is served by the next pump.
        }
        selected.clear();
    }

    /** Takes one client from the accept queue and connects it through; returns false if the queue was empty. */
    private boolean accept() {
        SocketChannel client;
        try {
            client = listener.accept();
        } catch (IOException e) {
            log.warn("Fault proxy {}: accept failed: {}", port, e.toString());
            return false;
        }
        if (client == null) {
            return false;
        }
        serve(client);
        return true;
    }

    private void serve(SocketChannel client) {
        long id = accepted.incrementAndGet();
        synchronized (acceptedChanged) {
            acceptedChanged.notifyAll();
        }
        if (connections.size() >= MAX_CONNECTIONS) {
            log.warn("Fault proxy {}: {} connections open, resetting one more", port, MAX_CONNECTIONS);
            ProxiedConnection.resetQuietly(client);
            return;
        }
        SocketChannel server;
        try {
            server = SocketChannel.open();
        } catch (IOException e) {
            log.warn("Fault proxy {}: no socket for the target: {}", port, e.toString());
            ProxiedConnection.resetQuietly(client);
            return;
        }
        try {
            server.socket().connect(target, CONNECT_TIMEOUT_MILLIS);
        } catch (IOException e) {
            // The target is down: the client sees its connection reset, as through a NAT box or a gateway.
            log.debug("Fault proxy {}: cannot reach {}, resetting the client: {}", port, target, e.toString());
            ProxiedConnection.resetQuietly(server);
            ProxiedConnection.resetQuietly(client);
            return;
        }
        try {
            ProxiedConnection connection = ProxiedConnection.open(id, client, server, selector, faults,
                    bytesToTarget, bytesToClients, bytesDropped);
            connections.add(connection);
            open.incrementAndGet();
            log.debug("Fault proxy {}: {} opened", port, connection);
        } catch (IOException e) {
            log.warn("Fault proxy {}: cannot serve a new connection: {}", port, e.toString());
        }
    }

    private void stopListening() {
        if (listener == null) {
            return;
        }
        // A client whose connect() has returned waits in the accept queue, and closing the listener would reset it:
        // serve those first, so only connects made after refuseConnections(true) fail.
        int drained = 0;
        while (drained < BACKLOG && accept()) {
            drained++;
        }
        closeListener();
        log.info("Fault proxy {}: refusing connections", port);
    }

    private void closeListener() {
        if (listener == null) {
            return;
        }
        try {
            listener.close();
        } catch (IOException e) {
            log.debug("Fault proxy {}: closing the listener: {}", port, e.toString());
        }
        listener = null;
    }

    private void listenAgain() {
        if (listener != null) {
            return;
        }
        try {
            ServerSocketChannel reopened = listen(port);
            try {
                reopened.register(selector, SelectionKey.OP_ACCEPT);
            } catch (IOException e) {
                reopened.close();
                throw e;
            }
            listener = reopened;
        } catch (IOException e) {
            throw new UncheckedIOException("Fault proxy cannot listen on 127.0.0.1:" + port + " again: "
                    + e.getMessage(), e);
        }
        log.info("Fault proxy {}: accepting connections", port);
    }

    private void shutDown() {
        for (ProxiedConnection connection : connections) {
            connection.reset();
        }
        connections.clear();
        open.set(0);
        closeListener();
        try {
            // Releases every socket whose close was deferred by its registration.
            selector.close();
        } catch (IOException e) {
            log.debug("Fault proxy {}: closing the selector: {}", port, e.toString());
        }
        List<Command> pending;
        synchronized (commands) {
            loopEnded = true;
            pending = new ArrayList<>(commands);
            commands.clear();
        }
        for (Command command : pending) {
            command.done().cancel(false);
        }
        log.info("Fault proxy {}: closed", port);
    }

    /** An action for the loop thread, and the future its caller waits on. */
    private record Command(Runnable action, CompletableFuture<Void> done) {
    }

    private static ServerSocketChannel listen(int port) throws IOException {
        ServerSocketChannel channel = ServerSocketChannel.open();
        try {
            // Binding the same port again after refusing must not wait for old connections' TIME_WAIT.
            channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            channel.bind(new InetSocketAddress(LOOPBACK, port), BACKLOG);
            channel.configureBlocking(false);
            return channel;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    private static InetAddress loopback() {
        try {
            return InetAddress.getByAddress("localhost", new byte[] {127, 0, 0, 1});
        } catch (IOException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
