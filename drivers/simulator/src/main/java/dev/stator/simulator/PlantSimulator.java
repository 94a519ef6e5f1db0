package dev.stator.simulator;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pumping station running in real time behind a real Modbus TCP slave, polled exactly like a PLC, and optionally
 * behind an embedded OPC UA server serving the same values: the demo and the tests run it in-process, the command
 * line runs it standalone.
 *
 * <pre>{@code
 * try (PlantSimulator sim = PlantSimulator.builder().modbusPort(5020).opcUaPort(4840).timeScale(60).build()) {
 *     sim.start();
 *     ... poll 127.0.0.1:5020 unit 1 by the RegisterMap ...
 *     ... or read nsu=urn:stator:simulator:pumping-station;s=LT-101 at sim.opcUaEndpointUrl() ...
 * }
 * }</pre>
 *
 * <p>Threads: {@link #start()} opens the slave (j2mod's listener {@code stator-sim-modbus-<port>} and its handlers
 * {@code stator-sim-modbus-<port> Handler}) and starts the plant thread {@code stator-sim-plant-<port>}, which every
 * {@value #STEP_MILLIS} ms of real time advances the model by the real time elapsed times the time scale (in sub-steps
 * of at most 0.1 s simulated) and publishes a new scan of the input registers and discrete inputs. All are daemon
 * threads: a standalone program keeps its main thread waiting until it wants to stop. {@link #close()} stops them all
 * and frees the port; a handler still serving a connected client ends when that client disconnects.
 *
 * <p>With an OPC UA port set, {@link #start()} also starts an Eclipse Milo OPC UA server on threads named
 * {@code stator-sim-opcua-<port>-...} (daemons too), and the plant thread pushes every scan into its address space, so
 * both protocols serve the same measured values; {@link #close()} stops those threads and frees that port as well.
 * Milo's JVM-wide resources (its wheel timer thread {@code milo-netty-wheel-timer}, static caches) are shared with
 * every Milo client and server of the JVM and stay: a program that is done with OPC UA calls Milo's
 * {@code Stack.releaseSharedResources()} at its very end. See {@code docs/simulator.md}.
 *
 * <p>Every public method may be called from any thread. The command setters act exactly like the matching Modbus
 * write and take effect at the next step.
 */
public final class PlantSimulator implements AutoCloseable {

    /** Real time between two plant steps, ms. */
    public static final int STEP_MILLIS = 100;

    /** The highest time scale accepted: ten thousand simulated seconds per real second. */
    public static final double MAX_TIME_SCALE = 10_000;

    /** The OPC UA namespace URI of the pumping station: NodeIds are {@code nsu=<this>;s=<tag>}. */
    public static final String OPC_UA_NAMESPACE_URI = PumpingStationNamespace.URI;

    private static final Logger log = LoggerFactory.getLogger(PlantSimulator.class);
    private static final long STEP_NANOS = TimeUnit.MILLISECONDS.toNanos(STEP_MILLIS);
    // A stall longer than this (debugger, suspended laptop) is not caught up: the plant skips it.
    private static final long MAX_CATCH_UP_NANOS = TimeUnit.SECONDS.toNanos(5);

    private enum State { NEW, RUNNING, CLOSED }

    private final InetAddress bindAddress;
    private final int port;
    private final int unitId;
    private final int maxConnections;
    private final PlantModel model;
    private final PlantProcessImage image;
    private final OpcUaOptions opcUa;
    // The first measured scan: the Modbus image starts from it, and so does the OPC UA address space.
    private final PlantSnapshot firstScan;
    private final Object lifecycle = new Object();
    // Client certificates trusted before start(), written into the PKI when the OPC UA server starts.
    private final List<X509Certificate> pendingTrust = new ArrayList<>();

    private volatile double timeScale;
    private volatile boolean stopping;
    private State state = State.NEW;
    private ModbusTcpServer server;
    // Read by the plant thread every step.
    private volatile OpcUaPlantServer opcUaServer;
    private Thread plantThread;

    private PlantSimulator(Builder b) {
        this.bindAddress = b.bindAddress;
        this.port = b.modbusPort;
        this.unitId = b.unitId;
        this.maxConnections = b.maxConnections;
        this.timeScale = b.timeScale;
        PlantParameters parameters = b.noise ? b.parameters : b.parameters.withoutNoise();
        this.model = new PlantModel(parameters, b.initialState, b.seed);
        this.firstScan = model.measuredSnapshot();
        this.image = new PlantProcessImage(model, WireImage.encode(firstScan, 0));
        this.opcUa = b.opcUaOptions();
    }

    /** A builder with the documented defaults. Any thread. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Opens the Modbus TCP slave and, if an OPC UA port is set, the OPC UA server (creating or loading its
     * certificate in the PKI directory), then starts the plant thread. Called once, by the owner's thread; takes a
     * few seconds with OPC UA.
     *
     * @throws IOException           if a port cannot be bound (taken by another program, or by another Modbus slave
     *                               of this JVM) or the OPC UA PKI directory cannot be used; the message names the
     *                               address or the file. The simulator stays unstarted and holds no port.
     * @throws IllegalStateException if already started or closed
     */
    public void start() throws IOException {
        synchronized (lifecycle) {
            if (state != State.NEW) {
                throw new IllegalStateException("the simulator is " + state.name().toLowerCase() + ", start it once");
            }
            server = ModbusTcpServer.open(bindAddress, port, unitId, maxConnections, image,
                    "stator-sim-modbus-" + port);
            if (opcUa.enabled()) {
                try {
                    opcUaServer = OpcUaPlantServer.start(bindAddress, opcUa, this, firstScan,
                            List.copyOf(pendingTrust));
                } catch (IOException | RuntimeException e) {
                    server.close();
                    server = null;
                    throw e;
                }
                pendingTrust.clear();
            }
            stopping = false;
            plantThread = new Thread(this::runPlant, "stator-sim-plant-" + port);
            plantThread.setDaemon(true);
            plantThread.start();
            state = State.RUNNING;
        }
        log.info("Pumping station simulator running on {}:{} unit {}, time scale {}{}", bindAddress.getHostAddress(),
                port, unitId, timeScale, opcUa.enabled() ? ", OPC UA " + opcUaEndpointUrl() : "");
    }

    /** The Modbus TCP port, as configured (j2mod cannot report an ephemeral port). Any thread. */
    public int modbusPort() {
        return port;
    }

    /** The address the slave binds. Any thread. */
    public InetAddress bindAddress() {
        return bindAddress;
    }

    /** The Modbus unit id served. Any thread. */
    public int unitId() {
        return unitId;
    }

    /** The OPC UA TCP port as configured, or 0 when the simulator serves no OPC UA. Any thread. */
    public int opcUaPort() {
        return opcUa.port();
    }

    /** Whether this simulator serves OPC UA too (an OPC UA port was set). Any thread. */
    public boolean hasOpcUa() {
        return opcUa.port() > 0;
    }

    /**
     * The OPC UA endpoint URL, {@code opc.tcp://<bind address>:<port>/stator} (this machine's name instead of the
     * address when binding every interface). Known before {@link #start()}. Any thread.
     *
     * @throws IllegalStateException if the simulator serves no OPC UA
     */
    public String opcUaEndpointUrl() {
        requireOpcUa();
        return OpcUaPlantServer.endpointUrl(bindAddress, opcUa.port());
    }

    /** The OPC UA namespace URI of the pumping station, {@value #OPC_UA_NAMESPACE_URI}. Any thread. */
    public String opcUaNamespaceUri() {
        return OPC_UA_NAMESPACE_URI;
    }

    /**
     * The OPC UA server's certificate (self-signed, application URI {@code urn:stator:simulator}), for a client to
     * trust. Any thread.
     *
     * @throws IllegalStateException if the simulator serves no OPC UA or is not running (the certificate is created or
     *                               loaded by {@link #start()})
     */
    public X509Certificate opcUaServerCertificate() {
        requireOpcUa();
        synchronized (lifecycle) {
            if (state != State.RUNNING) {
                throw new IllegalStateException("the simulator is " + state.name().toLowerCase()
                        + ": its OPC UA certificate exists while it runs");
            }
            return opcUaServer.certificate();
        }
    }

    /**
     * Trusts an OPC UA client's application certificate: writes it into the trusted list of the PKI directory
     * ({@code trusted/certs}), so that a client presenting it may open a signed or encrypted channel. Before
     * {@link #start()} the certificate is remembered and written at start. Any thread.
     *
     * @throws IllegalStateException if the simulator serves no OPC UA or is closed
     */
    public void trustOpcUaClient(X509Certificate clientCertificate) {
        Objects.requireNonNull(clientCertificate, "clientCertificate");
        requireOpcUa();
        synchronized (lifecycle) {
            switch (state) {
                case NEW -> pendingTrust.add(clientCertificate);
                case RUNNING -> opcUaServer.trust(clientCertificate);
                case CLOSED -> throw new IllegalStateException("the simulator is closed");
            }
        }
    }

    /** The OPC UA PKI directory in use, or null when no OPC UA server runs. For tests. */
    Path opcUaPkiDirectoryInUse() {
        OpcUaPlantServer running = opcUaServer;
        return running == null ? null : running.pkiDirectory();
    }

    private void requireOpcUa() {
        if (!opcUa.enabled()) {
            throw new IllegalStateException("this simulator serves no OPC UA: set PlantSimulator.Builder.opcUaPort");
        }
    }

    /** Whether started and not yet closed. Any thread. */
    public boolean isRunning() {
        synchronized (lifecycle) {
            return state == State.RUNNING;
        }
    }

    /** The true state of the plant now, without noise: what tests compare the wire against. Any thread. */
    public PlantSnapshot snapshot() {
        synchronized (model) {
            return model.snapshot();
        }
    }

    /** Simulated seconds per real second. Any thread. */
    public double timeScale() {
        return timeScale;
    }

    /**
     * Sets simulated seconds per real second, from the next step: 0 freezes the plant, 60 runs a minute per second.
     * Any thread.
     *
     * @throws IllegalArgumentException outside 0 to {@link #MAX_TIME_SCALE}
     */
    public void setTimeScale(double scale) {
        this.timeScale = checkTimeScale(scale);
    }

    /** Sets the run command of {@code pump}, as a write of its run coil. Any thread. */
    public void setPumpCommand(Pump pump, boolean run) {
        image.writeCoils(RegisterMap.runCommandCoil(Objects.requireNonNull(pump, "pump")), new boolean[] {run});
    }

    /** Puts LIC-101 in auto (true) or manual, as a write of its mode coil. Any thread. */
    public void setControllerAuto(boolean auto) {
        image.writeCoils(RegisterMap.COIL_LIC101_AUTO, new boolean[] {auto});
    }

    /** Writes the LIC-101 setpoint, m, as one FC16 float32 write: clamped to 0.3-3.8 m. Any thread. */
    public void setSetpoint(double metres) {
        image.writeHoldingRegisters(RegisterMap.HR_LIC101_SETPOINT, floatWords(metres));
    }

    /** Writes the LIC-101 output, %, as one FC16 float32 write: taken in manual only, clamped 0-100. Any thread. */
    public void setManualOutput(double percent) {
        image.writeHoldingRegisters(RegisterMap.HR_LIC101_OUTPUT, floatWords(percent));
    }

    /** Injects (true) or clears (false) the unbalance fault of {@code pump}, as a write of its fault coil. */
    public void injectUnbalance(Pump pump, boolean injected) {
        image.writeCoils(RegisterMap.unbalanceCoil(Objects.requireNonNull(pump, "pump")), new boolean[] {injected});
    }

    /**
     * Stops the plant thread, closes the Modbus slave and the OPC UA server (dropping their clients) and frees both
     * ports; waits a bounded time (a few seconds at most) for the server threads to end. Deletes a temporary OPC UA
     * PKI directory. Idempotent; a simulator cannot be started again (build a new one). Any thread but the plant
     * thread.
     */
    @Override
    public void close() {
        Thread thread;
        ModbusTcpServer closing;
        OpcUaPlantServer closingOpcUa;
        synchronized (lifecycle) {
            if (state == State.CLOSED) {
                return;
            }
            state = State.CLOSED;
            thread = plantThread;
            closing = server;
            closingOpcUa = opcUaServer;
            plantThread = null;
            server = null;
            pendingTrust.clear();
        }
        if (thread != null) {
            stopping = true;
            thread.interrupt();
            try {
                thread.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (thread.isAlive()) {
                log.warn("the plant thread did not stop within 5 s");
            }
        }
        image.close();
        if (closing != null) {
            closing.close();
        }
        // After the plant thread has stopped: nothing publishes into the address space any more.
        if (closingOpcUa != null) {
            opcUaServer = null;
            closingOpcUa.close();
        }
        if (closing != null) {
            log.info("Pumping station simulator on port {} closed", port);
        }
    }

    private void runPlant() {
        long started = System.nanoTime();
        long last = started;
        long next = started;
        boolean[] wasTripped = new boolean[Pump.values().length];
        long failures = 0;
        while (!stopping) {
            next += STEP_NANOS;
            long now = System.nanoTime();
            long elapsed = now - last;
            if (elapsed > MAX_CATCH_UP_NANOS) {
                log.warn("the plant thread stalled for {} ms; skipping the gap", elapsed / 1_000_000);
                elapsed = STEP_NANOS;
                next = now + STEP_NANOS;
            }
            last = now;
            try {
                step(elapsed * 1e-9 * timeScale, (now - started) / 1_000_000_000L, wasTripped);
            } catch (RuntimeException e) {
                // Keep serving the last good scan rather than die: a frozen PLC is easier to diagnose than none.
                // Log the first failure and then one a minute, not ten a second.
                if (failures++ % 600 == 0) {
                    log.error("plant step failed ({} times so far)", failures, e);
                }
            }
            long wait = next - System.nanoTime();
            if (wait > 0) {
                try {
                    TimeUnit.NANOSECONDS.sleep(wait);
                } catch (InterruptedException e) {
                    return;
                }
            } else if (wait < -STEP_NANOS) {
                next = System.nanoTime();
            }
        }
    }

    private void step(double simulatedSeconds, long realSeconds, boolean[] wasTripped) {
        PlantSnapshot measured;
        synchronized (model) {
            model.step(simulatedSeconds);
            measured = model.measuredSnapshot();
        }
        int heartbeat = (int) (realSeconds & 0xFFFF);
        image.publish(WireImage.encode(measured, heartbeat));
        OpcUaPlantServer opcUaNow = opcUaServer;
        if (opcUaNow != null) {
            opcUaNow.publish(measured, heartbeat, Instant.now());
        }
        for (Pump pump : Pump.values()) {
            boolean tripped = measured.pump(pump).tripped();
            if (tripped && !wasTripped[pump.ordinal()]) {
                log.warn("{} tripped: level low-low ({} m)", pump.tag(), String.format("%.2f", measured.level()));
            }
            wasTripped[pump.ordinal()] = tripped;
        }
    }

    private static int[] floatWords(double value) {
        int[] words = new int[2];
        WireImage.putFloat(words, 0, value);
        return words;
    }

    private static double checkTimeScale(double scale) {
        if (!(scale >= 0 && scale <= MAX_TIME_SCALE)) {
            throw new IllegalArgumentException("time scale must be 0 to " + MAX_TIME_SCALE + ", got " + scale);
        }
        return scale;
    }

    /**
     * Configures a {@link PlantSimulator}. Defaults: bind 127.0.0.1, port {@value #DEFAULT_PORT}, unit 1, time scale
     * 1, seed {@value #DEFAULT_SEED}, noise on, {@link PlantParameters#DEFAULTS}, {@link InitialState#DEFAULT}, up to
     * {@value #DEFAULT_MAX_CONNECTIONS} client connections at once; no OPC UA server (when one is set: a temporary PKI
     * directory, anonymous access on, no users). Not thread-safe; use from one thread.
     */
    public static final class Builder {

        /** Default Modbus TCP port: unprivileged, unlike 502. */
        public static final int DEFAULT_PORT = 5020;
        /** Default noise seed. */
        public static final long DEFAULT_SEED = 101L;
        /** Default number of simultaneous client connections. */
        public static final int DEFAULT_MAX_CONNECTIONS = 8;

        private InetAddress bindAddress = loopback();
        private int modbusPort = DEFAULT_PORT;
        private int unitId = 1;
        private double timeScale = 1.0;
        private long seed = DEFAULT_SEED;
        private boolean noise = true;
        private PlantParameters parameters = PlantParameters.DEFAULTS;
        private InitialState initialState = InitialState.DEFAULT;
        private int maxConnections = DEFAULT_MAX_CONNECTIONS;
        private int opcUaPort;
        private Path opcUaPkiDirectory;
        private final Map<String, String> opcUaUsers = new LinkedHashMap<>();
        private boolean opcUaAnonymous = true;

        private Builder() {
        }

        /** The address to listen on; 127.0.0.1 by default. */
        public Builder bindAddress(InetAddress address) {
            this.bindAddress = Objects.requireNonNull(address, "address");
            return this;
        }

        /** The TCP port, 1-65535. Pass a free one: j2mod cannot bind port 0 and report the port it got. */
        public Builder modbusPort(int port) {
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("Modbus TCP port must be 1-65535, got " + port);
            }
            this.modbusPort = port;
            return this;
        }

        /** The unit id served, 1-247; requests to other unit ids answer exception 02. */
        public Builder unitId(int id) {
            if (id < 1 || id > 247) {
                throw new IllegalArgumentException("Modbus unit id must be 1-247, got " + id);
            }
            this.unitId = id;
            return this;
        }

        /** Simulated seconds per real second, 0 to {@link PlantSimulator#MAX_TIME_SCALE}. */
        public Builder timeScale(double scale) {
            this.timeScale = checkTimeScale(scale);
            return this;
        }

        /** Seed of the measurement noise: the same seed gives the same noise sequence. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Measurement noise on (default) or off: off, the wire carries the true values. */
        public Builder noise(boolean on) {
            this.noise = on;
            return this;
        }

        /** The plant constants. */
        public Builder parameters(PlantParameters parameters) {
            this.parameters = Objects.requireNonNull(parameters, "parameters");
            return this;
        }

        /** Where the plant starts. */
        public Builder initialState(InitialState state) {
            this.initialState = Objects.requireNonNull(state, "state");
            return this;
        }

        /** How many clients may be connected at once (each holds one j2mod handler thread), 1-64. */
        public Builder maxConnections(int connections) {
            if (connections < 1 || connections > 64) {
                throw new IllegalArgumentException("maxConnections must be 1-64, got " + connections);
            }
            this.maxConnections = connections;
            return this;
        }

        /**
         * The OPC UA server's TCP port, 1-65535, or 0 (the default) for no OPC UA server. Pass a free port, as for
         * Modbus. The endpoint URL is {@code opc.tcp://<bind address>:<port>/stator}.
         */
        public Builder opcUaPort(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("OPC UA port must be 1-65535, or 0 for none, got " + port);
            }
            this.opcUaPort = port;
            return this;
        }

        /**
         * The OPC UA PKI directory: the server's key and certificate (created there on the first start, reused on
         * the next) and the trusted and issuer certificate lists. Default: a new temporary directory, deleted on
         * close, so a new certificate at every start.
         */
        public Builder opcUaPkiDirectory(Path directory) {
            this.opcUaPkiDirectory = Objects.requireNonNull(directory, "directory");
            return this;
        }

        /**
         * Accepts the OPC UA username identity {@code user} with {@code password}. Call once per user; a second call
         * for the same user replaces the password. The server compares passwords, it keeps no hash.
         */
        public Builder opcUaUser(String user, String password) {
            Objects.requireNonNull(user, "user");
            Objects.requireNonNull(password, "password");
            if (user.isEmpty()) {
                throw new IllegalArgumentException("an OPC UA user name cannot be empty");
            }
            opcUaUsers.put(user, password);
            return this;
        }

        /** Whether the OPC UA anonymous identity is accepted; true by default. */
        public Builder opcUaAnonymous(boolean accepted) {
            this.opcUaAnonymous = accepted;
            return this;
        }

        /**
         * A new simulator, not yet started.
         *
         * @throws IllegalStateException if the OPC UA port equals the Modbus port, or OPC UA accepts neither the
         *                               anonymous identity nor any user
         */
        public PlantSimulator build() {
            if (opcUaPort != 0 && opcUaPort == modbusPort) {
                throw new IllegalStateException("OPC UA and Modbus cannot share port " + opcUaPort);
            }
            if (opcUaPort != 0 && !opcUaAnonymous && opcUaUsers.isEmpty()) {
                throw new IllegalStateException("OPC UA without anonymous access needs at least one opcUaUser");
            }
            return new PlantSimulator(this);
        }

        private OpcUaOptions opcUaOptions() {
            return opcUaPort == 0 ? OpcUaOptions.OFF
                    : new OpcUaOptions(opcUaPort, opcUaPkiDirectory, opcUaUsers, opcUaAnonymous);
        }

        private static InetAddress loopback() {
            try {
                return InetAddress.getByAddress("localhost", new byte[] {127, 0, 0, 1});
            } catch (UnknownHostException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
