package dev.stator.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** The proxy's target in tests: a loopback server that sends every byte back, one daemon thread per connection. */
final class EchoServer implements AutoCloseable {

    private final ServerSocket serverSocket;
    private final Thread acceptor;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final List<Thread> handlers = new CopyOnWriteArrayList<>();
    private final AtomicInteger ended = new AtomicInteger();

    private EchoServer(ServerSocket serverSocket) {
        this.serverSocket = serverSocket;
        this.acceptor = new Thread(this::acceptLoop, "test-echo-" + serverSocket.getLocalPort());
        this.acceptor.setDaemon(true);
    }

    static EchoServer start() throws IOException {
        EchoServer server = new EchoServer(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
        server.acceptor.start();
        return server;
    }

    InetSocketAddress address() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), serverSocket.getLocalPort());
    }

    /** Connections whose echo loop ended, by end of stream or by an error such as a reset. */
    int connectionsEnded() {
        return ended.get();
    }

    private void acceptLoop() {
        while (!serverSocket.isClosed()) {
            Socket socket;
            try {
                socket = serverSocket.accept();
            } catch (IOException e) {
                return;
            }
            sockets.add(socket);
            Thread handler = new Thread(() -> echo(socket), acceptor.getName() + "-" + sockets.size());
            handler.setDaemon(true);
            handlers.add(handler);
            handler.start();
        }
    }

    private void echo(Socket socket) {
        byte[] buffer = new byte[8192];
        try (socket; InputStream in = socket.getInputStream(); OutputStream out = socket.getOutputStream()) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
            }
        } catch (IOException e) {
            // A reset ends the echo like an end of stream does.
        } finally {
            ended.incrementAndGet();
        }
    }

    @Override
    public void close() throws IOException {
        serverSocket.close();
        for (Socket socket : sockets) {
            socket.close();
        }
        try {
            acceptor.join(2_000);
            for (Thread handler : handlers) {
                handler.join(2_000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
