package dev.stator.testsupport;

import java.io.DataInputStream;
import java.io.IOException;
import java.net.Socket;
import java.time.Duration;

/** A blocking loopback client with a read timeout, so no test can hang on a read. */
final class TestClient implements AutoCloseable {

    static final Duration READ_TIMEOUT = Duration.ofSeconds(5);

    private final Socket socket;
    private final DataInputStream in;

    private TestClient(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
    }

    static TestClient connect(FaultProxy proxy) throws IOException {
        Socket socket = new Socket();
        try {
            socket.connect(proxy.address(), 2_000);
            socket.setSoTimeout((int) READ_TIMEOUT.toMillis());
            socket.setTcpNoDelay(true);
            return new TestClient(socket);
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    void send(byte[] bytes) throws IOException {
        socket.getOutputStream().write(bytes);
        socket.getOutputStream().flush();
    }

    byte[] receive(int length) throws IOException {
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        return bytes;
    }

    /** Sends {@code bytes} and reads as many back from the echo server. */
    byte[] roundTrip(byte[] bytes) throws IOException {
        send(bytes);
        return receive(bytes.length);
    }

    /** Reads one byte, or -1 at end of stream. */
    int read() throws IOException {
        return in.read();
    }

    void readTimeout(Duration timeout) throws IOException {
        socket.setSoTimeout((int) timeout.toMillis());
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
