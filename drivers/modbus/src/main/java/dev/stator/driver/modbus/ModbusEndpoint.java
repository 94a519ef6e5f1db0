package dev.stator.driver.modbus;

import com.ghgande.j2mod.modbus.msg.ModbusRequest;
import com.ghgande.j2mod.modbus.msg.ModbusResponse;
import com.ghgande.j2mod.modbus.msg.ReadCoilsRequest;
import com.ghgande.j2mod.modbus.msg.ReadCoilsResponse;
import com.ghgande.j2mod.modbus.msg.ReadInputDiscretesRequest;
import com.ghgande.j2mod.modbus.msg.ReadInputDiscretesResponse;
import com.ghgande.j2mod.modbus.msg.ReadInputRegistersRequest;
import com.ghgande.j2mod.modbus.msg.ReadInputRegistersResponse;
import com.ghgande.j2mod.modbus.msg.ReadMultipleRegistersRequest;
import com.ghgande.j2mod.modbus.msg.ReadMultipleRegistersResponse;
import com.ghgande.j2mod.modbus.msg.WriteCoilRequest;
import com.ghgande.j2mod.modbus.msg.WriteMultipleRegistersRequest;
import com.ghgande.j2mod.modbus.msg.WriteSingleRegisterRequest;
import com.ghgande.j2mod.modbus.procimg.InputRegister;
import com.ghgande.j2mod.modbus.procimg.Register;
import com.ghgande.j2mod.modbus.procimg.SimpleRegister;
import com.ghgande.j2mod.modbus.util.BitVector;
import dev.stator.driver.api.DeviceStatus;
import dev.stator.driver.api.DeviceStatus.LinkState;
import dev.stator.driver.api.Endpoint;
import dev.stator.driver.api.Quality;
import dev.stator.driver.api.TagBinding;
import dev.stator.driver.api.TagValue;
import dev.stator.driver.api.TagValueListener;
import dev.stator.driver.api.WriteException;
import dev.stator.driver.modbus.ModbusLink.ModbusRequestFailed;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A Modbus TCP endpoint: one persistent connection shared by the devices (unit ids) behind it, serialised on one
 * thread ({@code stator-modbus-<endpoint>}) that runs every scan group and every write in turn.
 *
 * <p>When the link fails, every tag of the endpoint turns Bad with the reason, and the endpoint reconnects by itself
 * with an exponential backoff ({@code reconnect-delay} doubling up to 30 s). An exception response marks only the tags
 * of the failing request Bad.
 */
final class ModbusEndpoint implements Endpoint {

    private static final Logger LOG = LoggerFactory.getLogger(ModbusEndpoint.class);
    private static final Duration MAX_RECONNECT_DELAY = Duration.ofSeconds(30);

    private final String name;
    private final ModbusLink link;
    private final List<Device> devices;
    private final Map<String, Device> deviceByTag = new HashMap<>();
    private final Map<String, TagBinding> bindingByTag = new HashMap<>();
    private final Clock clock;
    private final Duration minReconnectDelay;

    /** Last value published per tag; touched only on the endpoint thread. */
    private final Map<String, TagValue> published = new HashMap<>();

    private volatile ScheduledExecutorService executor;
    private volatile Thread scanThread;
    private volatile TagValueListener listener;
    private volatile boolean closed;
    private Duration reconnectDelay;
    private long nextConnectNanos;

    ModbusEndpoint(String name, ModbusLink link, List<Device> devices, Clock clock, Duration reconnectDelay) {
        this.name = name;
        this.link = link;
        this.devices = List.copyOf(devices);
        this.clock = clock;
        this.minReconnectDelay = reconnectDelay;
        this.reconnectDelay = reconnectDelay;
        for (Device d : devices) {
            for (ScanGroup g : d.groups) {
                for (ReadBlock b : g.blocks) {
                    for (TagBinding t : b.tags()) {
                        deviceByTag.put(t.name(), d);
                        bindingByTag.put(t.name(), t);
                    }
                }
            }
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public synchronized void start(TagValueListener listener) {
        if (executor != null || closed) {
            throw new IllegalStateException("endpoint '" + name + "' was already started");
        }
        this.listener = Objects.requireNonNull(listener);
        ScheduledThreadPoolExecutor ex = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "stator-modbus-" + name);
            t.setDaemon(true);
            scanThread = t;
            return t;
        });
        ex.setRemoveOnCancelPolicy(true);
        ex.setContinueExistingPeriodicTasksAfterShutdownPolicy(false);
        executor = ex;
        for (Device d : devices) {
            d.state = LinkState.CONNECTING;
            for (ScanGroup g : d.groups) {
                long period = g.rate.toNanos();
                // A throwable escaping a periodic task would cancel it for good: log it and keep scanning.
                ex.scheduleAtFixedRate(() -> guarded(() -> scan(g)), 0, period, TimeUnit.NANOSECONDS);
            }
        }
    }

    private void guarded(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            LOG.error("endpoint '{}': unexpected error while scanning", name, e);
        }
    }

    private void scan(ScanGroup group) {
        if (closed || !connected()) {
            return;
        }
        for (ReadBlock block : group.blocks) {
            if (closed) {
                return;
            }
            if (!read(group.device, block)) {
                return;
            }
        }
    }

    /** Opens the link if needed and allowed by the backoff; on failure marks every tag Bad. */
    private boolean connected() {
        if (link.isOpen()) {
            return true;
        }
        if (System.nanoTime() - nextConnectNanos < 0) {
            return false;
        }
        for (Device d : devices) {
            if (d.state != LinkState.DISCONNECTED) {
                d.state = LinkState.CONNECTING;
            }
        }
        ModbusFailure failure = link.open();
        if (failure == null) {
            reconnectDelay = minReconnectDelay;
            LOG.info("endpoint '{}': connected to {}", name, link.describe());
            return true;
        }
        linkFailed(failure);
        return false;
    }

    private void linkFailed(ModbusFailure failure) {
        link.close();
        nextConnectNanos = System.nanoTime() + reconnectDelay.toNanos();
        reconnectDelay = min(reconnectDelay.multipliedBy(2), MAX_RECONNECT_DELAY);
        Instant now = clock.instant();
        for (Device d : devices) {
            if (d.state != LinkState.DISCONNECTED) {
                LOG.warn("device '{}' on endpoint '{}': {}", d.name, name, failure.detail());
            }
            d.failed(failure, now);
            d.state = LinkState.DISCONNECTED;
            for (ScanGroup g : d.groups) {
                for (ReadBlock b : g.blocks) {
                    markBad(b, failure, now);
                }
            }
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /** Reads one block; returns false when the link broke and the scan must stop. */
    private boolean read(Device device, ReadBlock block) {
        ModbusRequest request = switch (block.table()) {
            case COIL -> new ReadCoilsRequest(block.start(), block.count());
            case DISCRETE_INPUT -> new ReadInputDiscretesRequest(block.start(), block.count());
            case INPUT_REGISTER -> new ReadInputRegistersRequest(block.start(), block.count());
            case HOLDING_REGISTER -> new ReadMultipleRegistersRequest(block.start(), block.count());
        };
        request.setUnitID(device.unitId);
        long t0 = System.nanoTime();
        device.requests.incrementAndGet();
        ModbusResponse response;
        try {
            response = link.execute(request);
        } catch (ModbusRequestFailed e) {
            ModbusFailure failure = e.failure();
            Instant now = clock.instant();
            if (failure.linkBroken()) {
                linkFailed(failure);
                return false;
            }
            device.failed(failure, now);
            device.state = LinkState.CONNECTED;
            markBad(block, failure, now);
            return true;
        }
        device.lastResponseNanos = System.nanoTime() - t0;
        device.state = LinkState.CONNECTED;
        Instant now = clock.instant();
        if (block.table().isBitTable()) {
            BitVector bits = response instanceof ReadCoilsResponse c ? c.getCoils()
                    : ((ReadInputDiscretesResponse) response).getDiscretes();
            for (TagBinding tag : block.tags()) {
                publish(tag.name(), TagValue.good(bits.getBit(BlockPlanner.address(tag).offset() - block.start()),
                        now));
            }
        } else {
            InputRegister[] registers = response instanceof ReadInputRegistersResponse r ? r.getRegisters()
                    : ((ReadMultipleRegistersResponse) response).getRegisters();
            int[] words = new int[registers.length];
            for (int i = 0; i < registers.length; i++) {
                words[i] = registers[i].toUnsignedShort();
            }
            for (TagBinding tag : block.tags()) {
                publish(tag.name(), TagValue.good(ModbusCodec.decode(BlockPlanner.address(tag), words,
                        block.start()), now));
            }
        }
        return true;
    }

    private void markBad(ReadBlock block, ModbusFailure failure, Instant now) {
        for (TagBinding tag : block.tags()) {
            TagValue previous = published.get(tag.name());
            // A Bad reading repeated every scan says nothing new: publish changes of quality or reason only.
            if (previous == null || previous.hasValue() || !previous.quality().sameCodeAs(failure.quality())
                    || !Objects.equals(previous.detail(), failure.detail())) {
                publish(tag.name(), TagValue.bad(failure.quality(), now, failure.detail()));
            }
        }
    }

    private void publish(String tag, TagValue value) {
        published.put(tag, value);
        TagValueListener l = listener;
        if (l != null && !closed) {
            l.onValue(tag, value);
        }
    }

    @Override
    public CompletableFuture<Void> write(String tag, Object value) {
        TagBinding binding = bindingByTag.get(tag);
        if (binding == null) {
            return CompletableFuture.failedFuture(new WriteException(Quality.BAD_NODE_ID_UNKNOWN,
                    "tag '" + tag + "' is not read through endpoint '" + name + "'"));
        }
        ModbusAddress address = BlockPlanner.address(binding);
        if (!binding.tag().writable()) {
            return CompletableFuture.failedFuture(new WriteException(Quality.BAD_NOT_WRITABLE,
                    "tag '" + tag + "' is read-only (set writable: true in the project to allow writes)"));
        }
        if (!address.isWritableLocation()) {
            return CompletableFuture.failedFuture(new WriteException(Quality.BAD_NOT_WRITABLE,
                    "tag '" + tag + "' is at " + address + ", which Modbus cannot write (only coils and holding "
                            + "registers can be written)"));
        }
        ModbusRequest request;
        try {
            request = writeRequest(address, value);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(new WriteException(Quality.BAD_TYPE_MISMATCH,
                    "tag '" + tag + "': " + e.getMessage()));
        }
        Device device = deviceByTag.get(tag);
        request.setUnitID(device.unitId);
        ScheduledExecutorService ex = executor;
        if (ex == null || closed) {
            return CompletableFuture.failedFuture(new WriteException(Quality.BAD_SHUTDOWN,
                    "endpoint '" + name + "' is not running"));
        }
        CompletableFuture<Void> result = new CompletableFuture<>();
        ex.execute(() -> {
            if (!connected()) {
                result.completeExceptionally(new WriteException(Quality.BAD_NOT_CONNECTED,
                        "tag '" + tag + "': device '" + device.name + "' is not connected"));
                return;
            }
            device.requests.incrementAndGet();
            try {
                link.execute(request);
                LOG.info("tag '{}': wrote {} to {} on device '{}'", tag, value, address, device.name);
                result.complete(null);
            } catch (ModbusRequestFailed e) {
                ModbusFailure failure = e.failure();
                device.failed(failure, clock.instant());
                if (failure.linkBroken()) {
                    linkFailed(failure);
                }
                result.completeExceptionally(new WriteException(failure.quality(),
                        "tag '" + tag + "': write refused: " + failure.detail()));
            }
        });
        return result;
    }

    private static ModbusRequest writeRequest(ModbusAddress address, Object value) {
        if (address.table() == ModbusTable.COIL) {
            if (!(value instanceof Boolean b)) {
                throw new IllegalArgumentException("a coil takes true or false, not '" + value + "'");
            }
            return new WriteCoilRequest(address.offset(), b);
        }
        if (address.bit() >= 0) {
            throw new IllegalArgumentException("writing one bit of a register (" + address + ") is not supported yet");
        }
        int[] words = ModbusCodec.encode(address, TagValue.normalise(value));
        if (words.length == 1) {
            return new WriteSingleRegisterRequest(address.offset(), new SimpleRegister(words[0]));
        }
        Register[] registers = new Register[words.length];
        for (int i = 0; i < words.length; i++) {
            registers[i] = new SimpleRegister(words[i]);
        }
        return new WriteMultipleRegistersRequest(address.offset(), registers);
    }

    @Override
    public List<DeviceStatus> deviceStatus() {
        List<DeviceStatus> list = new ArrayList<>();
        for (Device d : devices) {
            long nanos = d.lastResponseNanos;
            list.add(new DeviceStatus(d.name, name, link.describe() + " unit " + d.unitId,
                    executor == null || closed ? LinkState.STOPPED : d.state, d.requests.get(), d.errors.get(),
                    d.lastError, d.lastErrorTime, nanos < 0 ? -1 : nanos / 1e6));
        }
        return list;
    }

    @Override
    public void close() {
        ScheduledExecutorService ex;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            ex = executor;
        }
        // Closing the socket first breaks a read that is blocked waiting for a silent device.
        link.close();
        if (ex != null) {
            ex.shutdownNow();
            try {
                // The executor reports termination just before its thread ends: wait for the thread itself.
                Thread t = scanThread;
                if (!ex.awaitTermination(5, TimeUnit.SECONDS) || (t != null && !join(t))) {
                    LOG.warn("endpoint '{}': scan thread did not stop within 5 s", name);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        link.close();
    }

    private static boolean join(Thread t) throws InterruptedException {
        t.join(5_000);
        return !t.isAlive();
    }

    /** A device behind the endpoint, with its scan groups and counters. */
    static final class Device {
        final String name;
        final int unitId;
        final List<ScanGroup> groups = new ArrayList<>();
        final AtomicLong requests = new AtomicLong();
        final AtomicLong errors = new AtomicLong();
        volatile LinkState state = LinkState.STOPPED;
        volatile String lastError;
        volatile Instant lastErrorTime;
        volatile long lastResponseNanos = -1;

        Device(String name, int unitId, Map<Duration, List<TagBinding>> tagsByRate, BlockPlanner planner) {
            this.name = name;
            this.unitId = unitId;
            new LinkedHashMap<>(tagsByRate).forEach((rate, tags) -> groups.add(new ScanGroup(this, rate,
                    planner.plan(tags))));
        }

        void failed(ModbusFailure failure, Instant when) {
            errors.incrementAndGet();
            lastError = failure.detail();
            lastErrorTime = when;
        }
    }

    /** The tags of one device read at one rate, as planned blocks. */
    record ScanGroup(Device device, Duration rate, List<ReadBlock> blocks) {
    }
}
