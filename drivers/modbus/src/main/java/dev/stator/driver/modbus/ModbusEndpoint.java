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
import com.ghgande.j2mod.modbus.msg.WriteMultipleCoilsRequest;
import com.ghgande.j2mod.modbus.msg.WriteMultipleRegistersRequest;
import com.ghgande.j2mod.modbus.msg.WriteSingleRegisterRequest;
import com.ghgande.j2mod.modbus.procimg.InputRegister;
import com.ghgande.j2mod.modbus.procimg.Register;
import com.ghgande.j2mod.modbus.procimg.SimpleRegister;
import com.ghgande.j2mod.modbus.util.BitVector;
import dev.stator.driver.api.Deadband;
import dev.stator.driver.api.DeviceStatus;
import dev.stator.driver.api.DeviceStatus.LinkState;
import dev.stator.driver.api.Endpoint;
import dev.stator.driver.api.Quality;
import dev.stator.driver.api.ResponseTimes;
import dev.stator.driver.api.Scaling;
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
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A Modbus endpoint: one link (TCP or serial) shared by the devices (unit ids) behind it, serialised on one thread
 * ({@code stator-modbus-<endpoint>}) that runs every scan group, write and command in turn.
 *
 * <p>Scheduling: each scan group of each device runs at its own rate; a scan that cannot start on time is counted as
 * an overrun and skipped, never queued behind the others. Writes and "read now" go ahead of scans.
 *
 * <p>Failures: a device that does not answer (timeout, broken link) is retried with an exponential backoff
 * ({@code reconnect-delay} doubling up to {@code reconnect-max}); its tags turn Uncertain
 * ({@code Uncertain_NoCommunicationLastUsableValue}, keeping the last value) while retries remain, then Bad with the
 * reason. A link that cannot be opened fails every device behind it the same way. An exception response (the device
 * answered but refused) marks only the tags of that request; when it refuses addresses, the request is split and the
 * halves read again until the refused address stands alone, so the rest keeps updating. A tag whose last good reading
 * is older than {@code stale-after} scans turns {@code Uncertain_LastUsableValue}.
 */
final class ModbusEndpoint implements Endpoint {

    private static final Logger LOG = LoggerFactory.getLogger(ModbusEndpoint.class);
    private static final long STALE_CHECK_MILLIS = 50;
    private static final long STALE_FLOOR_NANOS = TimeUnit.MILLISECONDS.toNanos(250);
    private static final DateTimeFormatter TRACE_TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS")
            .withZone(ZoneId.systemDefault());

    /** Endpoint-wide settings. */
    record Settings(Duration reconnectDelay, Duration reconnectMax) {
    }

    /** Per-device settings, each with a documented default in {@link ModbusDriverProvider}. */
    record DeviceSettings(int unitId, WordOrder order, int maxRegisters, int maxBits, int maxGap,
                          boolean forceMultipleWrites, int addressBase, Duration requestDelay, int retries,
                          int staleScans) {
    }

    private final String name;
    private final ModbusLink link;
    private final Clock clock;
    private final Settings settings;
    private final List<Device> devices;
    private final Map<String, Device> deviceByName = new LinkedHashMap<>();
    private final Map<String, TagState> tags = new LinkedHashMap<>();
    private final LinkedBlockingQueue<Runnable> tasks = new LinkedBlockingQueue<>();

    private volatile TagValueListener listener;
    private volatile Thread thread;
    private volatile boolean closed;
    /** Link backoff after a failed open; endpoint thread only. */
    private long linkRetryNanos;
    private Duration linkBackoff;
    /** Marks values that stopped updating, even while the endpoint thread waits on a slow device. */
    private volatile ScheduledExecutorService staleWatch;

    ModbusEndpoint(String name, ModbusLink link, Clock clock, Settings settings, List<Device> devices) {
        this.name = name;
        this.link = link;
        this.clock = clock;
        this.settings = settings;
        this.devices = List.copyOf(devices);
        this.linkBackoff = settings.reconnectDelay();
        for (Device d : devices) {
            d.endpoint = this;
            deviceByName.put(d.name, d);
            for (TagState t : d.tags) {
                tags.put(t.binding.name(), t);
            }
            d.replan();
        }
    }

    @Override
    public String name() {
        return name;
    }

    // ------------------------------------------------------------------ lifecycle and the endpoint thread

    @Override
    public synchronized void start(TagValueListener listener) {
        if (thread != null || closed) {
            throw new IllegalStateException("endpoint '" + name + "' was already started");
        }
        this.listener = Objects.requireNonNull(listener);
        long now = System.nanoTime();
        for (Device d : devices) {
            d.state = LinkState.CONNECTING;
            for (ScanGroup g : d.groups) {
                g.due = now;
            }
        }
        Thread t = new Thread(this::run, "stator-modbus-" + name);
        t.setDaemon(true);
        thread = t;
        t.start();
        staleWatch = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread w = new Thread(r, "stator-modbus-" + name + "-stale");
            w.setDaemon(true);
            return w;
        });
        staleWatch.scheduleWithFixedDelay(this::markStale, STALE_CHECK_MILLIS, STALE_CHECK_MILLIS,
                TimeUnit.MILLISECONDS);
    }

    private void run() {
        while (!closed) {
            try {
                Runnable task = tasks.poll();
                if (task != null) {
                    task.run();
                    continue;
                }
                long now = System.nanoTime();
                ScanGroup next = nextDue();
                long wait = next == null ? TimeUnit.MILLISECONDS.toNanos(200) : Math.min(next.due - now,
                        TimeUnit.MILLISECONDS.toNanos(200));
                if (wait > 0) {
                    task = tasks.poll(wait, TimeUnit.NANOSECONDS);
                    if (task != null) {
                        task.run();
                    }
                    continue;
                }
                long started = System.nanoTime();
                scan(next);
                reschedule(next, started);
            } catch (InterruptedException e) {
                if (closed) {
                    return;
                }
            } catch (RuntimeException e) {
                // A fault in one scan must not end acquisition for the whole endpoint.
                LOG.error("endpoint '{}': unexpected error", name, e);
            }
        }
    }

    private ScanGroup nextDue() {
        ScanGroup best = null;
        for (Device d : devices) {
            if (!d.enabled) {
                continue;
            }
            for (ScanGroup g : d.groups) {
                if (!g.blocks.isEmpty() && (best == null || g.due - best.due < 0)) {
                    best = g;
                }
            }
        }
        return best;
    }

    /**
     * Next slot of a group. When the scan ran past its next slot, the slots missed are counted as overruns and
     * skipped, never caught up, and the next scan may start at once: an overloaded group runs back to back rather
     * than waiting for the grid.
     */
    private static void reschedule(ScanGroup g, long startedNanos) {
        long now = System.nanoTime();
        g.recordScan(now - startedNanos);
        g.due += g.periodNanos;
        if (g.due - now <= 0) {
            g.overruns += (now - g.due) / g.periodNanos + 1;
            g.due = now;
        }
    }

    @Override
    public void close() {
        Thread t;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            t = thread;
        }
        // Closing the link first breaks a read that is blocked waiting for a silent device.
        link.close();
        ScheduledExecutorService watch = staleWatch;
        if (watch != null) {
            watch.shutdownNow();
            try {
                watch.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (t != null) {
            t.interrupt();
            try {
                t.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (t.isAlive()) {
                LOG.warn("endpoint '{}': its thread did not stop within 5 s", name);
            }
        }
        link.close();
        for (Device d : devices) {
            d.state = LinkState.STOPPED;
        }
    }

    private void submit(Runnable task) {
        if (closed || thread == null) {
            throw new IllegalStateException("endpoint '" + name + "' is not running");
        }
        tasks.add(task);
    }

    // ------------------------------------------------------------------ scanning

    private void scan(ScanGroup group) {
        Device device = group.device;
        long now = System.nanoTime();
        if (device.retryNanos - now > 0) {
            return; // backing off after failures
        }
        if (!linkUp(device)) {
            return;
        }
        // Blocks may be replaced while isolating a refused address: iterate over a copy.
        for (ReadBlock block : List.copyOf(group.blocks)) {
            if (closed || !device.enabled) {
                return;
            }
            if (!readBlock(group, block)) {
                return;
            }
        }
        group.lastScanNanos = System.nanoTime();
    }

    /** Opens the link if needed and allowed; on failure every device behind it fails. */
    private boolean linkUp(Device device) {
        if (link.isOpen()) {
            return true;
        }
        long now = System.nanoTime();
        if (linkRetryNanos - now > 0) {
            return false;
        }
        if (device.state != LinkState.DISCONNECTED) {
            device.state = LinkState.CONNECTING;
        }
        ModbusFailure failure = link.open();
        if (failure == null) {
            linkBackoff = settings.reconnectDelay();
            LOG.info("endpoint '{}': connected to {}", name, link.describe());
            return true;
        }
        linkRetryNanos = now + linkBackoff.toNanos();
        linkBackoff = min(linkBackoff.multipliedBy(2), settings.reconnectMax());
        Instant t = clock.instant();
        for (Device d : devices) {
            if (d.enabled) {
                d.failed(failure, t);
            }
        }
        return false;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /** Reads one block; returns false when the device failed and the rest of its scan must wait. */
    private boolean readBlock(ScanGroup group, ReadBlock block) {
        Device device = group.device;
        ModbusRequest request = readRequest(block);
        ModbusResponse response;
        try {
            response = device.execute(request);
        } catch (ModbusRequestFailed e) {
            ModbusFailure failure = e.failure();
            Instant now = clock.instant();
            if (failure.linkBroken()) {
                device.failed(failure, now);
                return false;
            }
            device.answered();
            if (failure.isAddressRefusal() && block.tags().size() > 1) {
                isolate(group, block, failure);
                return true;
            }
            device.countError(failure, now);
            for (TagBinding tag : block.tags()) {
                tags.get(tag.name()).publishBad(failure.quality(), failure.detail(), now);
            }
            return true;
        }
        device.answered();
        publishBlock(device, block, response, clock.instant());
        return true;
    }

    /**
     * The device refused some address of a block of several tags: split it in two halves (each planned again), read
     * them, and so on until the refused address stands alone. The new blocks stay: later scans read around it.
     */
    private void isolate(ScanGroup group, ReadBlock block, ModbusFailure failure) {
        List<TagBinding> sorted = new ArrayList<>(block.tags());
        sorted.sort((a, b) -> Integer.compare(group.device.address(a).offset(), group.device.address(b).offset()));
        int half = sorted.size() / 2;
        List<ReadBlock> parts = new ArrayList<>();
        parts.addAll(group.device.planner.plan(sorted.subList(0, half), group.device::address,
                group.device.settings.unitId()));
        parts.addAll(group.device.planner.plan(sorted.subList(half, sorted.size()), group.device::address,
                group.device.settings.unitId()));
        int at = group.blocks.indexOf(block);
        group.blocks.remove(at);
        group.blocks.addAll(at, parts);
        LOG.info("device '{}': {} for {}; reading it as {} requests to isolate the refused address",
                group.device.name, failure.detail(), block, parts.size());
        for (ReadBlock part : parts) {
            if (!readBlock(group, part)) {
                return;
            }
        }
    }

    private static ModbusRequest readRequest(ReadBlock block) {
        ModbusRequest request = switch (block.table()) {
            case COIL -> new ReadCoilsRequest(block.start(), block.count());
            case DISCRETE_INPUT -> new ReadInputDiscretesRequest(block.start(), block.count());
            case INPUT_REGISTER -> new ReadInputRegistersRequest(block.start(), block.count());
            case HOLDING_REGISTER -> new ReadMultipleRegistersRequest(block.start(), block.count());
        };
        request.setUnitID(block.unitId());
        return request;
    }

    private void publishBlock(Device device, ReadBlock block, ModbusResponse response, Instant now) {
        Resolved r = device.resolve(block);
        // One lock for the whole block rather than one per value: the tags of a block share a scan group.
        synchronized (r.states()[0].group.lock) {
            publishBlockLocked(block, r, response, now, device.settings.order());
        }
    }

    private static void publishBlockLocked(ReadBlock block, Resolved r, ModbusResponse response, Instant now,
                                           WordOrder order) {
        long nanos = System.nanoTime();
        if (block.table().isBitTable()) {
            BitVector vector = response instanceof ReadCoilsResponse c ? c.getCoils()
                    : ((ReadInputDiscretesResponse) response).getDiscretes();
            boolean[] bits = new boolean[block.count()];
            for (int i = 0; i < bits.length; i++) {
                bits[i] = vector.getBit(i);
            }
            for (int k = 0; k < r.states().length; k++) {
                Object value = ModbusCodec.decodeBits(r.addresses()[k], bits, block.start());
                r.states()[k].publishGood(value, now, nanos);
            }
            return;
        }
        InputRegister[] registers = response instanceof ReadInputRegistersResponse rr ? rr.getRegisters()
                : ((ReadMultipleRegistersResponse) response).getRegisters();
        int[] words = new int[registers.length];
        for (int i = 0; i < registers.length; i++) {
            words[i] = registers[i].toUnsignedShort();
        }
        for (int k = 0; k < r.states().length; k++) {
            TagState t = r.states()[k];
            Object raw = ModbusCodec.decode(r.addresses()[k], words, block.start(), order);
            t.publishGood(toEngineering(t.binding.scaling(), raw), now, nanos);
        }
    }

    /** The tag states and effective addresses of a block's tags, resolved once instead of per value. */
    record Resolved(TagState[] states, ModbusAddress[] addresses) {
    }

    /** A raw register value in engineering units: a Double, or a List of Doubles for an array. */
    static Object toEngineering(Scaling scaling, Object raw) {
        if (scaling == null) {
            return raw;
        }
        if (raw instanceof List<?> list) {
            return list.stream().map(v -> (Object) scaling.toEngineering(((Number) v).doubleValue())).toList();
        }
        return raw instanceof Number n ? scaling.toEngineering(n.doubleValue()) : raw;
    }

    /** An engineering value as the raw value to write: whole numbers for integer registers. */
    static Object toRaw(Scaling scaling, Object eng, boolean integral) {
        if (scaling == null) {
            return eng;
        }
        if (eng instanceof List<?> list) {
            return list.stream().map(v -> toRaw(scaling, v, integral)).toList();
        }
        if (!(eng instanceof Number n)) {
            return eng;
        }
        double raw = scaling.toRaw(n.doubleValue());
        return integral ? (Object) Math.round(raw) : (Object) raw;
    }

    /**
     * Tags whose last good reading is older than their device's stale-after scans turn Uncertain. Runs on the stale
     * watch thread; each tag's state is guarded by the tag itself, so readings stay in order.
     */
    private void markStale() {
        long nowNanos = System.nanoTime();
        for (Device d : devices) {
            if (!d.enabled) {
                continue;
            }
            for (ScanGroup g : d.groups) {
                // A scan takes its period, or longer when the link is slow: stale means several real scans missed,
                // and never less than a quarter second, which no operator could tell from fresh.
                long limit = Math.max(STALE_FLOOR_NANOS, Math.max(g.periodNanos, g.typicalScanNanos())
                        * d.settings.staleScans());
                synchronized (g.lock) {
                    for (TagState t : g.tags) {
                        t.markStaleIfOlderThan(nowNanos - limit, clock);
                    }
                }
            }
        }
    }

    // ------------------------------------------------------------------ writes

    @Override
    public CompletableFuture<TagValue> write(String tag, Object value) {
        TagState state = tags.get(tag);
        if (state == null) {
            return CompletableFuture.failedFuture(new WriteException(Quality.BAD_NODE_ID_UNKNOWN,
                    "tag '" + tag + "' is not read through endpoint '" + name + "'"));
        }
        Device device = state.device;
        ModbusAddress address = device.address(state.binding);
        if (!state.binding.tag().writable()) {
            return CompletableFuture.failedFuture(new WriteException(Quality.BAD_NOT_WRITABLE,
                    "tag '" + tag + "' is read-only (set writable: true in the project to allow writes)"));
        }
        if (!address.isWritableLocation()) {
            return CompletableFuture.failedFuture(new WriteException(Quality.BAD_NOT_WRITABLE,
                    "tag '" + tag + "' is at " + state.binding.address().format() + ", which Modbus cannot write "
                            + "(only coils and holding registers can be written)"));
        }
        Object normalised = toRaw(state.binding.scaling(), value instanceof List<?> list
                ? list.stream().map(TagValue::normalise).toList() : TagValue.normalise(value),
                !address.dataType().isFloatingPoint());
        ModbusRequest request;
        try {
            // Bits of registers are written by read-modify-write on the endpoint thread; check the value here.
            request = address.bit() >= 0 ? checkBit(normalised) : writeRequest(device, address, normalised);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(new WriteException(Quality.BAD_TYPE_MISMATCH,
                    "tag '" + tag + "': " + e.getMessage()));
        }
        CompletableFuture<TagValue> result = new CompletableFuture<>();
        try {
            submit(() -> doWrite(state, address, normalised, request, result));
        } catch (IllegalStateException e) {
            result.completeExceptionally(new WriteException(Quality.BAD_SHUTDOWN, e.getMessage()));
        }
        return result;
    }

    private static ModbusRequest checkBit(Object value) {
        if (!(value instanceof Boolean)) {
            throw new IllegalArgumentException("a register bit takes true or false, not '" + value + "'");
        }
        return null;
    }

    private void doWrite(TagState state, ModbusAddress address, Object value, ModbusRequest prepared,
                         CompletableFuture<TagValue> result) {
        Device device = state.device;
        String tag = state.binding.name();
        if (!device.enabled) {
            result.completeExceptionally(new WriteException(Quality.BAD_OUT_OF_SERVICE,
                    "tag '" + tag + "': device '" + device.name + "' is out of service"));
            return;
        }
        if (!linkUp(device)) {
            result.completeExceptionally(new WriteException(Quality.BAD_NOT_CONNECTED,
                    "tag '" + tag + "': device '" + device.name + "' is not connected"));
            return;
        }
        try {
            ModbusRequest request = prepared != null ? prepared : bitWrite(device, address, (Boolean) value);
            device.execute(request);
            device.answered();
            LOG.info("tag '{}': wrote {} to {} on device '{}'", tag, value, state.binding.address().format(),
                    device.name);
            // Read back what the device now holds: the operator sees the value the PLC accepted.
            ReadBlock own = new ReadBlock(address.unitOr(device.settings.unitId()), address.table(),
                    address.offset(), address.count(), List.of(state.binding));
            ModbusResponse response = device.execute(readRequest(own));
            device.answered();
            publishBlock(device, own, response, clock.instant());
            result.complete(state.published());
        } catch (ModbusRequestFailed e) {
            ModbusFailure failure = e.failure();
            if (failure.linkBroken()) {
                device.failed(failure, clock.instant());
            } else {
                device.countError(failure, clock.instant());
            }
            result.completeExceptionally(new WriteException(failure.quality(),
                    "tag '" + tag + "': write refused: " + failure.detail()));
        }
    }

    /** Read-modify-write of one bit: read the register, change the bit, write it back. Not atomic in the PLC. */
    private ModbusRequest bitWrite(Device device, ModbusAddress address, boolean on) throws ModbusRequestFailed {
        ReadMultipleRegistersRequest read = new ReadMultipleRegistersRequest(address.offset(), 1);
        read.setUnitID(address.unitOr(device.settings.unitId()));
        ReadMultipleRegistersResponse response = (ReadMultipleRegistersResponse) device.execute(read);
        int word = response.getRegisterValue(0);
        word = on ? word | (1 << address.bit()) : word & ~(1 << address.bit());
        return registerWrite(device, address, new int[] {word & 0xFFFF});
    }

    /** The write request for {@code value} at {@code address} (not a register bit), for the commissioning probe. */
    static ModbusRequest writeRequestFor(Device device, ModbusAddress address, Object value) {
        return writeRequest(device, address, TagValue.normalise(value));
    }

    static ModbusRequest registerWriteRequest(Device device, ModbusAddress address, int[] words) {
        return registerWrite(device, address, words);
    }

    private static ModbusRequest writeRequest(Device device, ModbusAddress address, Object value) {
        boolean multiple = device.settings.forceMultipleWrites();
        int unit = address.unitOr(device.settings.unitId());
        if (address.table() == ModbusTable.COIL) {
            ModbusRequest request;
            if (address.isArray()) {
                List<?> list = asList(value, address);
                BitVector bits = new BitVector(list.size());
                for (int i = 0; i < list.size(); i++) {
                    if (!(list.get(i) instanceof Boolean b)) {
                        throw new IllegalArgumentException("a coil takes true or false, not '" + list.get(i) + "'");
                    }
                    bits.setBit(i, b);
                }
                request = new WriteMultipleCoilsRequest(address.offset(), bits);
            } else {
                if (!(value instanceof Boolean b)) {
                    throw new IllegalArgumentException("a coil takes true or false, not '" + value + "'");
                }
                if (multiple) {
                    BitVector bits = new BitVector(1);
                    bits.setBit(0, b);
                    request = new WriteMultipleCoilsRequest(address.offset(), bits);
                } else {
                    request = new WriteCoilRequest(address.offset(), b);
                }
            }
            request.setUnitID(unit);
            return request;
        }
        int[] words;
        if (address.isArray()) {
            List<?> list = asList(value, address);
            int n = address.registersPerValue();
            words = new int[n * list.size()];
            ModbusAddress one = new ModbusAddress(address.unitId(), address.table(), address.offset(), -1,
                    address.dataType(), 0, address.order());
            for (int i = 0; i < list.size(); i++) {
                System.arraycopy(ModbusCodec.encode(one, list.get(i), device.settings.order()), 0, words, i * n, n);
            }
        } else {
            words = ModbusCodec.encode(address, value, device.settings.order());
        }
        ModbusRequest request = registerWrite(device, address, words);
        request.setUnitID(unit);
        return request;
    }

    private static List<?> asList(Object value, ModbusAddress address) {
        if (!(value instanceof List<?> list) || list.size() != address.length()) {
            throw new IllegalArgumentException(address.format() + " is an array of " + address.length()
                    + " values: write a list of " + address.length());
        }
        return list;
    }

    private static ModbusRequest registerWrite(Device device, ModbusAddress address, int[] words) {
        ModbusRequest request;
        if (words.length == 1 && !device.settings.forceMultipleWrites()) {
            request = new WriteSingleRegisterRequest(address.offset(), new SimpleRegister(words[0]));
        } else {
            Register[] registers = new Register[words.length];
            for (int i = 0; i < words.length; i++) {
                registers[i] = new SimpleRegister(words[i]);
            }
            request = new WriteMultipleRegistersRequest(address.offset(), registers);
        }
        request.setUnitID(address.unitOr(device.settings.unitId()));
        return request;
    }

    // ------------------------------------------------------------------ maintenance and diagnostics

    @Override
    public void setDeviceEnabled(String device, boolean enabled) {
        Device d = deviceByName.get(device);
        if (d == null) {
            throw new IllegalArgumentException("device '" + device + "' is not behind endpoint '" + name + "'");
        }
        submit(() -> {
            if (d.enabled == enabled) {
                return;
            }
            d.enabled = enabled;
            Instant now = clock.instant();
            if (!enabled) {
                d.state = LinkState.DISABLED;
                for (TagState t : d.tags) {
                    t.publishBad(Quality.BAD_OUT_OF_SERVICE, "device taken out of service", now);
                }
                LOG.info("device '{}' taken out of service", device);
            } else {
                d.state = LinkState.CONNECTING;
                d.retryNanos = 0;
                for (ScanGroup g : d.groups) {
                    g.due = System.nanoTime();
                }
                LOG.info("device '{}' back in service", device);
            }
        });
    }

    @Override
    public void setTagEnabled(String tag, boolean enabled) {
        TagState t = tags.get(tag);
        if (t == null) {
            throw new IllegalArgumentException("tag '" + tag + "' is not read through endpoint '" + name + "'");
        }
        submit(() -> {
            if (t.enabled == enabled) {
                return;
            }
            t.enabled = enabled;
            t.device.replan();
            if (!enabled) {
                t.publishBad(Quality.BAD_OUT_OF_SERVICE, "tag taken out of service", clock.instant());
            } else {
                // Read it now rather than at its group's next slot, which may be far away.
                t.device.groups.stream().filter(g -> g.tags.contains(t)).forEach(g -> g.due = System.nanoTime());
            }
            LOG.info("tag '{}' {}", tag, enabled ? "back in service" : "taken out of service");
        });
    }

    @Override
    public void readNow(String device) {
        Device d = deviceByName.get(device);
        if (d == null) {
            throw new IllegalArgumentException("device '" + device + "' is not behind endpoint '" + name + "'");
        }
        submit(() -> {
            d.retryNanos = 0;
            for (ScanGroup g : d.groups) {
                scan(g);
            }
        });
    }

    @Override
    public AutoCloseable trace(String device, Consumer<String> sink) {
        Device d = deviceByName.get(device);
        if (d == null) {
            throw new IllegalArgumentException("device '" + device + "' is not behind endpoint '" + name + "'");
        }
        Objects.requireNonNull(sink);
        d.trace = sink;
        return () -> {
            if (d.trace == sink) {
                d.trace = null;
            }
        };
    }

    @Override
    public List<DeviceStatus> deviceStatus() {
        List<DeviceStatus> list = new ArrayList<>();
        for (Device d : devices) {
            list.add(d.status());
        }
        return list;
    }

    /** How the link is described in device status, e.g. {@code 10.0.0.21:502}. */
    String linkDescription() {
        return link.describe();
    }

    // ------------------------------------------------------------------ devices, groups, tags

    /** A device behind the endpoint: its settings, scan groups, counters and retry state. */
    static final class Device {
        final String name;
        final DeviceSettings settings;
        final BlockPlanner planner;
        final List<TagState> tags = new ArrayList<>();
        final List<ScanGroup> groups = new ArrayList<>();
        private final Map<String, ModbusAddress> effective = new HashMap<>();
        private final Map<String, TagState> stateByName = new HashMap<>();
        /** Endpoint thread only: blocks are replaced, never changed, so identity is the right key. */
        private final Map<ReadBlock, Resolved> resolved = new java.util.IdentityHashMap<>();
        final AtomicLong requests = new AtomicLong();
        final AtomicLong errors = new AtomicLong();
        private final Map<String, Long> errorsByKind = new LinkedHashMap<>();
        final ResponseTimes times = new ResponseTimes();
        ModbusEndpoint endpoint;
        volatile boolean enabled = true;
        volatile LinkState state = LinkState.STOPPED;
        volatile String lastError;
        volatile Instant lastErrorTime;
        volatile long lastResponseNanos = -1;
        volatile Consumer<String> trace;
        /** Endpoint thread only. */
        int consecutiveFailures;
        long retryNanos;
        Duration backoff;

        /**
         * @param bindings  the device's tags
         * @param effective each tag's address with the device's numbering applied (zero-based)
         */
        Device(String name, DeviceSettings settings, List<TagBinding> bindings, Map<String, ModbusAddress> effective) {
            this.name = name;
            this.settings = settings;
            this.planner = new BlockPlanner(settings.maxRegisters(), settings.maxBits(), settings.maxGap());
            this.effective.putAll(effective);
            Map<Duration, ScanGroup> byRate = new LinkedHashMap<>();
            for (TagBinding b : bindings) {
                ScanGroup group = byRate.computeIfAbsent(b.scanRate(), r -> new ScanGroup(this, r));
                TagState t = new TagState(this, b, group);
                tags.add(t);
                stateByName.put(b.name(), t);
                group.tags.add(t);
            }
            groups.addAll(byRate.values());
        }

        ModbusAddress address(TagBinding tag) {
            return effective.get(tag.name());
        }

        /** The block's tags resolved to their states and addresses; cached for planned blocks. */
        Resolved resolve(ReadBlock block) {
            Resolved r = resolved.get(block);
            if (r == null) {
                TagState[] states = new TagState[block.tags().size()];
                ModbusAddress[] addresses = new ModbusAddress[states.length];
                for (int k = 0; k < states.length; k++) {
                    TagBinding b = block.tags().get(k);
                    states[k] = stateByName.get(b.name());
                    addresses[k] = address(b);
                }
                r = new Resolved(states, addresses);
                if (isPlanned(block)) {
                    resolved.put(block, r);
                }
            }
            return r;
        }

        private boolean isPlanned(ReadBlock block) {
            for (ScanGroup g : groups) {
                for (ReadBlock b : g.blocks) {
                    if (b == block) {
                        return true;
                    }
                }
            }
            return false;
        }

        /** Plans every group's blocks from its tags in service. Endpoint thread, or before start. */
        void replan() {
            for (ScanGroup g : groups) {
                List<TagBinding> active = g.tags.stream().filter(t -> t.enabled).map(t -> t.binding).toList();
                g.blocks.clear();
                resolved.clear();
                if (!active.isEmpty()) {
                    g.blocks.addAll(planner.plan(active, this::address, settings.unitId()));
                }
            }
        }

        ModbusResponse execute(ModbusRequest request) throws ModbusRequestFailed {
            Duration delay = settings.requestDelay();
            if (!delay.isZero()) {
                try {
                    // Some devices and gateways need a pause between requests.
                    Thread.sleep(delay.toMillis(), delay.toNanosPart() % 1_000_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new ModbusRequestFailed(ModbusFailure.communication("stopped"));
                }
            }
            requests.incrementAndGet();
            Consumer<String> t = trace;
            if (t != null) {
                t.accept(TRACE_TIME.format(Instant.now()) + " TX " + request.getHexMessage());
            }
            long t0 = System.nanoTime();
            try {
                ModbusResponse response = endpoint.link.execute(request);
                long rtt = System.nanoTime() - t0;
                lastResponseNanos = rtt;
                times.add(rtt);
                if (t != null) {
                    t.accept(TRACE_TIME.format(Instant.now()) + " RX " + response.getHexMessage());
                }
                return response;
            } catch (ModbusRequestFailed e) {
                if (t != null) {
                    t.accept(TRACE_TIME.format(Instant.now()) + " -- " + e.failure().detail());
                }
                throw e;
            }
        }

        /** The device answered (data or an exception): its link is good. */
        void answered() {
            state = LinkState.CONNECTED;
            consecutiveFailures = 0;
            backoff = null;
            retryNanos = 0;
        }

        void countError(ModbusFailure failure, Instant when) {
            errors.incrementAndGet();
            synchronized (errorsByKind) {
                errorsByKind.merge(failure.kind(), 1L, Long::sum);
            }
            lastError = failure.detail();
            lastErrorTime = when;
        }

        /** The device did not answer, or the link failed: back off, and mark every tag Uncertain, then Bad. */
        void failed(ModbusFailure failure, Instant when) {
            if (endpoint.closed) {
                return; // the link was closed under a request by close(): not a failure of the device
            }
            countError(failure, when);
            consecutiveFailures++;
            backoff = backoff == null ? endpoint.settings.reconnectDelay()
                    : min(backoff.multipliedBy(2), endpoint.settings.reconnectMax());
            retryNanos = System.nanoTime() + backoff.toNanos();
            if (state != LinkState.DISCONNECTED) {
                LOG.warn("device '{}' on endpoint '{}': {}", name, endpoint.name, failure.detail());
            }
            state = LinkState.DISCONNECTED;
            boolean retrying = consecutiveFailures <= settings.retries();
            for (TagState t : tags) {
                if (!t.enabled) {
                    continue;
                }
                if (retrying && t.published().hasValue()) {
                    t.publishRetrying(failure.detail(), when);
                } else {
                    t.publishBad(failure.quality(), failure.detail(), when);
                }
            }
        }

        long overruns() {
            long n = 0;
            for (ScanGroup g : groups) {
                n += g.overruns;
            }
            return n;
        }

        DeviceStatus status() {
            long nanos = lastResponseNanos;
            Map<String, Long> kinds;
            synchronized (errorsByKind) {
                kinds = new LinkedHashMap<>(errorsByKind);
            }
            LinkState s = endpoint.thread == null || endpoint.closed ? LinkState.STOPPED
                    : !enabled ? LinkState.DISABLED : state;
            return new DeviceStatus(name, endpoint.name, endpoint.link.describe() + " unit " + settings.unitId(), s,
                    enabled, requests.get(), errors.get(), kinds, lastError, lastErrorTime,
                    nanos < 0 ? -1 : nanos / 1e6, times.percentileMillis(50), times.percentileMillis(99),
                    overruns());
        }
    }

    /** The tags of one device read at one rate, as planned blocks, with the schedule. Endpoint thread only. */
    static final class ScanGroup {
        final Device device;
        final long periodNanos;
        final List<TagState> tags = new ArrayList<>();
        final List<ReadBlock> blocks = new ArrayList<>();
        /** Guards the published state of this group's tags: the endpoint thread publishes, the stale watch marks. */
        final Object lock = new Object();
        long due;
        volatile long overruns;
        long lastScanNanos;
        /** Moving average of how long this group's scans take, read by the stale watch. */
        private volatile long scanNanosAverage;

        ScanGroup(Device device, Duration rate) {
            this.device = device;
            this.periodNanos = rate.toNanos();
        }

        void recordScan(long nanos) {
            long avg = scanNanosAverage;
            scanNanosAverage = avg == 0 ? nanos : avg + (nanos - avg) / 8;
        }

        long typicalScanNanos() {
            return scanNanosAverage;
        }
    }

    /**
     * What was last published for a tag, and whether it is in service. Guarded by its scan group's lock: the endpoint
     * thread publishes readings, the stale watch marks old ones.
     */
    static final class TagState {
        final Device device;
        final TagBinding binding;
        final ScanGroup group;
        volatile boolean enabled = true;
        private TagValue published = TagValue.NO_VALUE_YET;
        /** System.nanoTime() of the last Good reading, or 0. */
        private long lastGoodNanos;

        TagState(Device device, TagBinding binding, ScanGroup group) {
            this.device = device;
            this.binding = binding;
            this.group = group;
        }

        TagValue published() {
            synchronized (group.lock) {
                return published;
            }
        }

        /**
         * A Good reading. The caller holds {@code group.lock}: a block publishes all its values under one lock
         * rather than one lock per value (this is the hot path: every value of every scan).
         */
        void publishGood(Object value, Instant now, long nanos) {
            assert Thread.holdsLock(group.lock);
            lastGoodNanos = nanos;
            Deadband deadband = binding.deadband();
            // Report by exception: a Good number that moved less than the deadband is not reported again.
            if (deadband != null && published.quality().isGood()
                    && published.value() instanceof Number previous && value instanceof Number next
                    && deadband.suppresses(previous.doubleValue(), next.doubleValue(), binding.tag().range())) {
                return;
            }
            publish(TagValue.good(value, now));
        }

        /** No answer, retries left: the last value stays, marked Uncertain. Published on change only. */
        void publishRetrying(String detail, Instant now) {
            synchronized (group.lock) {
                if (published.quality().sameCodeAs(Quality.UNCERTAIN_NO_COMMUNICATION_LAST_USABLE_VALUE)) {
                    return;
                }
                publish(new TagValue(published.value(), Quality.UNCERTAIN_NO_COMMUNICATION_LAST_USABLE_VALUE, now,
                        null, detail));
            }
        }

        void markStaleIfOlderThan(long nanos, Clock clock) {
            synchronized (group.lock) {
                if (enabled && published.quality().isGood() && lastGoodNanos != 0 && lastGoodNanos - nanos < 0) {
                    publish(new TagValue(published.value(), Quality.UNCERTAIN_LAST_USABLE_VALUE, clock.instant(),
                            null, "not updated for " + device.settings.staleScans() + " scans"));
                }
            }
        }

        /** A Bad reading repeated every scan says nothing new: published when quality or reason changes only. */
        void publishBad(Quality quality, String detail, Instant now) {
            synchronized (group.lock) {
                if (!published.hasValue() && !published.isNoValueYet() && published.quality().sameCodeAs(quality)
                        && Objects.equals(published.detail(), detail)) {
                    return;
                }
                publish(TagValue.bad(quality, now, detail));
            }
        }

        private void publish(TagValue value) {
            published = value;
            ModbusEndpoint e = device.endpoint;
            TagValueListener l = e.listener;
            if (l != null && !e.closed) {
                l.onValue(binding, value);
            }
        }
    }
}
