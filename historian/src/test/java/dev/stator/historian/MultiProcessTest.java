package dev.stator.historian;

import static dev.stator.historian.TestSupport.T0;
import static dev.stator.historian.TestSupport.WAIT;
import static dev.stator.historian.TestSupport.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.stator.driver.api.TagValue;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The workstation (this JVM) and {@code stator history export} (a child JVM) on one database file. Decision: they
 * share it through H2's automatic mixed mode, with the server confined to the loopback address.
 */
class MultiProcessTest {

    private static final Duration CHILD_WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void anotherProcessExportsWhileTheWorkstationKeepsWriting() throws Exception {
        Path db = dir.resolve("history");
        Path csv = dir.resolve("export.csv");
        try (Historian historian = Historian.open(db)) {
            assertThat(HistoryFile.sharedAccess()).isTrue();
            for (int i = 0; i < 1_000; i++) {
                historian.record("TT-101", TagValue.good((long) i, at(i)));
            }
            assertThat(historian.flush(WAIT)).isTrue();
            assertListensOnLoopbackOnly(historian.serverAddress());

            try (ChildJvm export = ChildJvm.start(List.of(), HistoryChild.class,
                    "export", db.toString(), "TT-101", csv.toString())) {
                assertThat(export.awaitLine("OPEN", CHILD_WAIT)).isEqualTo("OPEN throughServer=true");
                for (int i = 1_000; i < 2_000; i++) {
                    historian.record("TT-101", TagValue.good((long) i, at(i)));
                }
                assertThat(export.awaitLine("EXPORTED", CHILD_WAIT)).startsWith("EXPORTED ");
                assertThat(export.awaitExit(CHILD_WAIT)).as(export.transcript()).isZero();
            }

            List<String> lines = Files.readAllLines(csv);
            assertThat(lines.get(0)).isEqualTo("time,value,quality");
            assertThat(lines.get(1)).isEqualTo("2026-11-25T12:00:00.000Z,0,Good");
            assertThat(lines.get(1_000)).isEqualTo("2026-11-25T12:16:39.000Z,999,Good");
            assertThat(lines.size()).isBetween(1_001, 2_001);

            assertThat(historian.flush(WAIT)).isTrue();
            assertThat(historian.writtenSamples()).isEqualTo(2_000);
            assertThat(historian.holdsFile()).isTrue();
        }
    }

    @Test
    void aWorkstationStartingDuringAnExportWaitsAndThenHoldsTheFileItself() throws Exception {
        Path db = dir.resolve("history");
        try (Historian first = Historian.open(db)) {
            first.record("TT-101", TagValue.good(1L, at(1)));
        }
        try (ChildJvm export = ChildJvm.start(List.of(), HistoryChild.class, "hold", db.toString())) {
            // The export holds the file and serves it; a workstation connecting now would go through its server.
            assertThat(export.awaitLine("HOLDING", CHILD_WAIT)).isEqualTo("HOLDING throughServer=false");
            String exportServer = HistoryFile.of(db).serverAddress().orElseThrow();

            FutureTask<Historian> opening = new FutureTask<>(() -> Historian.open(db,
                    new HistorianSettings(1_000, Duration.ofSeconds(1), 100, CHILD_WAIT, WAIT)));
            new Thread(opening, "test-opening").start();
            Thread.sleep(1_000);
            assertThat(opening.isDone()).as("waits while the export holds the file").isFalse();

            export.send("done");
            assertThat(export.awaitLine("CLOSED", CHILD_WAIT)).isEqualTo("CLOSED");
            try (Historian historian = opening.get(CHILD_WAIT.toSeconds(), TimeUnit.SECONDS)) {
                assertThat(historian.holdsFile()).isTrue();
                assertThat(historian.serverAddress()).isNotNull().isNotEqualTo(exportServer);
                historian.record("TT-101", TagValue.good(2L, at(2)));
                assertThat(historian.flush(WAIT)).isTrue();
                assertThat(historian.query("TT-101", T0, at(10))).extracting(TagValue::value)
                        .containsExactly(1L, 2L);
            }
            assertThat(export.awaitExit(CHILD_WAIT)).isZero();
        }
    }

    @Test
    void aWorkstationGivesUpWithAClearMessageWhenTheExportDoesNotLetGo() throws Exception {
        Path db = dir.resolve("history");
        Historian.open(db).close();
        try (ChildJvm export = ChildJvm.start(List.of(), HistoryChild.class, "hold", db.toString())) {
            assertThat(export.awaitLine("HOLDING", CHILD_WAIT)).isEqualTo("HOLDING throughServer=false");

            assertThatThrownBy(() -> Historian.open(db,
                    new HistorianSettings(1_000, Duration.ofSeconds(1), 100, Duration.ofSeconds(1), WAIT)))
                    .isInstanceOf(HistoryInUseException.class)
                    .hasMessage("history database " + dir.resolve("history.mv.db") + " is held by another Stator"
                            + " program (an export, or a second workstation on the same data folder) and was not"
                            + " released within 1 s; let the export finish or stop the other program, then start"
                            + " again");

            export.send("done");
            assertThat(export.awaitExit(CHILD_WAIT)).isZero();
        }
    }

    @Test
    void whenTheServerCannotBeConfinedToLoopbackTheWorkstationHoldsTheFileAlone() throws Exception {
        Path db = dir.resolve("history");
        // A bind address that is not loopback: the child must refuse to share rather than listen on the network.
        try (ChildJvm workstation = ChildJvm.start(List.of("-Dh2.bindAddress=0.0.0.0"), HistoryChild.class,
                "write", db.toString(), "TT-101", "10")) {
            assertThat(workstation.awaitLine("WRITTEN", CHILD_WAIT)).isEqualTo("WRITTEN flushed=true shared=false");

            assertThatThrownBy(() -> Historian.openForReading(db))
                    .isInstanceOf(HistoryInUseException.class)
                    .hasMessage("history database " + dir.resolve("history.mv.db") + " is in use by a running Stator"
                            + " workstation; stop it, or export from the console");

            workstation.send("done");
            assertThat(workstation.awaitExit(CHILD_WAIT)).as(workstation.transcript()).isZero();
        }
        try (HistoryReader reader = Historian.openForReading(db)) {
            assertThat(reader.query("TT-101", Instant.MIN, Instant.MAX)).hasSize(10);
        }
    }

    /**
     * The evidence that the sharing server is not reachable from the plant network: the kernel's table of listening
     * sockets shows it bound to a loopback address, and connecting to its port through this machine's other
     * addresses fails while loopback works. The lock file alone proves nothing: it says "localhost" either way.
     */
    private static void assertListensOnLoopbackOnly(String serverAddress) throws IOException {
        assertThat(serverAddress).isNotNull().startsWith("localhost:");
        int port = Integer.parseInt(serverAddress.substring(serverAddress.lastIndexOf(':') + 1));

        List<InetAddress> listening = listeningAddresses(port);
        if (listening != null) {
            assertThat(listening).isNotEmpty().allSatisfy(a -> assertThat(a.isLoopbackAddress())
                    .as("listening on %s", a).isTrue());
        }
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2_000);
        }
        List<InetAddress> others = new ArrayList<>();
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                if (!address.isLoopbackAddress() && !address.isLinkLocalAddress()) {
                    others.add(address);
                }
            }
        }
        assumeThat(listening != null || !others.isEmpty()).as("a way to see the binding").isTrue();
        for (InetAddress address : others) {
            try (Socket socket = new Socket()) {
                assertThatThrownBy(() -> socket.connect(new InetSocketAddress(address, port), 2_000))
                        .as("connecting through %s", address).isInstanceOf(IOException.class);
            }
        }
    }

    /** The local addresses listening on {@code port} per /proc/net/tcp and tcp6, or null off Linux. */
    private static List<InetAddress> listeningAddresses(int port) throws IOException {
        Path tcp = Path.of("/proc/net/tcp");
        if (!Files.isReadable(tcp)) {
            return null;
        }
        List<InetAddress> addresses = new ArrayList<>();
        for (Path table : List.of(tcp, Path.of("/proc/net/tcp6"))) {
            if (!Files.isReadable(table)) {
                continue;
            }
            for (String line : Files.readAllLines(table)) {
                String[] fields = line.trim().split("\\s+");
                if (fields.length < 4 || !fields[3].equals("0A")) {
                    continue;
                }
                String[] local = fields[1].split(":");
                if (Integer.parseInt(local[1], 16) == port) {
                    addresses.add(procAddress(local[0]));
                }
            }
        }
        return addresses;
    }

    /** /proc/net/tcp writes addresses as 32-bit words in host (little-endian) order. */
    private static InetAddress procAddress(String hex) throws IOException {
        byte[] raw = HexFormat.of().parseHex(hex);
        byte[] address = new byte[raw.length];
        for (int word = 0; word < raw.length; word += 4) {
            for (int i = 0; i < 4; i++) {
                address[word + i] = raw[word + 3 - i];
            }
        }
        return InetAddress.getByAddress(address);
    }
}
