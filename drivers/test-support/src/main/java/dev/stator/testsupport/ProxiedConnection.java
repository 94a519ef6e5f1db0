package dev.stator.testsupport;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One client connection and the proxy's own connection to the target, each registered with the proxy's selector,
 * with one {@link Flow} per direction. Proxy loop thread only.
 */
final class ProxiedConnection {

    private final long id;
    private final SocketChannel client;
    private final SocketChannel server;
    private final Flow toServer;
    private final Flow toClient;
    private SelectionKey clientKey;
    private SelectionKey serverKey;

    private ProxiedConnection(long id, SocketChannel client, SocketChannel server, Faults faults,
            AtomicLong bytesToTarget, AtomicLong bytesToClients, AtomicLong bytesDropped) {
        this.id = id;
        this.client = client;
        this.server = server;
        this.toServer = new Flow(client, server, faults, bytesToTarget, bytesDropped);
        this.toClient = new Flow(server, client, faults, bytesToClients, bytesDropped);
    }

    /** Registers both connected channels with {@code selector}; on failure both are reset. */
    static ProxiedConnection open(long id, SocketChannel client, SocketChannel server, Selector selector,
            Faults faults, AtomicLong bytesToTarget, AtomicLong bytesToClients, AtomicLong bytesDropped)
            throws IOException {
        ProxiedConnection connection = new ProxiedConnection(id, client, server, faults, bytesToTarget,
                bytesToClients, bytesDropped);
        try {
            for (SocketChannel channel : new SocketChannel[] {client, server}) {
                channel.configureBlocking(false);
                // Requests of a polling master are small: do not let Nagle hold them back on top of an injected delay.
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            }
            connection.clientKey = client.register(selector, SelectionKey.OP_READ, connection);
            connection.serverKey = server.register(selector, SelectionKey.OP_READ, connection);
        } catch (IOException e) {
            connection.reset();
            throw e;
        }
        return connection;
    }

    /** Reads what the channel of {@code key} has ready into the flow it feeds. */
    void onReadable(SelectionKey key, ByteBuffer scratch, long now) throws IOException {
        if (key == clientKey) {
            toServer.read(scratch, now);
        } else {
            toClient.read(scratch, now);
        }
    }

    /**
     * Writes what is due both ways and sets which socket events the selector must watch for.
     *
     * @return nanoseconds until a timer must wake the loop for this connection, or {@link Flow#NO_TIMER}
     */
    long pump(long now) throws IOException {
        long wait = Math.min(toServer.write(now), toClient.write(now));
        clientKey.interestOps(ops(toServer.wantsRead(), toClient.wantsWrite()));
        serverKey.interestOps(ops(toClient.wantsRead(), toServer.wantsWrite()));
        return wait;
    }

    /** Whether both sides ended their streams and each end was passed on. */
    boolean finished() {
        return toServer.finished() && toClient.finished();
    }

    /** Closes both sides after an orderly end. */
    void close() {
        closeQuietly(client);
        closeQuietly(server);
    }

    /**
     * Resets both sides: each peer gets a TCP RST. A registered channel's socket is only released at the selector's
     * next select, so the caller selects before it reports the reset as done.
     */
    void reset() {
        resetQuietly(client);
        resetQuietly(server);
    }

    static void resetQuietly(SocketChannel channel) {
        try {
            // Linger 0 turns the close into an RST instead of a FIN.
            channel.setOption(StandardSocketOptions.SO_LINGER, 0);
        } catch (ClosedChannelException e) {
            return;
        } catch (IOException e) {
            // Still close it below; the peer then sees a FIN at worst.
        }
        closeQuietly(channel);
    }

    private static void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // Nothing more to release.
        }
    }

    private static int ops(boolean read, boolean write) {
        return (read ? SelectionKey.OP_READ : 0) | (write ? SelectionKey.OP_WRITE : 0);
    }

    @Override
    public String toString() {
        return "connection " + id;
    }
}
