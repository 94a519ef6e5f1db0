package dev.stator.bench;

import com.ghgande.j2mod.modbus.ModbusException;
import com.ghgande.j2mod.modbus.facade.ModbusTCPMaster;
import com.ghgande.j2mod.modbus.procimg.Register;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The ceiling the driver is compared with: plain j2mod read loops with nothing of Stator in between. One thread per
 * device, each with its own persistent {@code ModbusTCPMaster(host, port, timeout, false)}, reads the register ranges
 * the driver put on the wire, back to back, and decodes every tag of the layout into primitive arrays (no boxing, no
 * timestamps, no quality, no tag table). A scan is one pass over the ranges.
 */
final class RawPhase {

    private static final int TIMEOUT_MILLIS = 1_000;
    private static final long JOIN_MILLIS = 5_000;
    private static final long RECONNECT_PAUSE_MILLIS = 100;

    /** The outcome of the phase. */
    record Outcome(PhaseResult result, int valuesChecked, int valuesWrong) {
    }

    private final BenchSettings settings;
    private final RegisterLayout layout;
    private final SlaveProcess slaves;
    private final List<List<BlockRange>> plans;

    /** @param plans per device, the register ranges to read on each pass */
    RawPhase(BenchSettings settings, RegisterLayout layout, SlaveProcess slaves, List<List<BlockRange>> plans) {
        this.settings = settings;
        this.layout = layout;
        this.slaves = slaves;
        this.plans = plans;
    }

    Outcome run() throws InterruptedException {
        int devices = settings.devices();
        List<Reader> readers = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int d = 0; d < devices; d++) {
            Reader r = new Reader(layout, plans.get(d), slaves.ports().get(d));
            readers.add(r);
            Thread t = new Thread(r, String.format("bench-raw-%02d", d));
            t.setDaemon(true);
            threads.add(t);
        }
        threads.forEach(Thread::start);
        try {
            Thread.sleep(TimeUnit.SECONDS.toMillis(settings.warmup()));
            for (Reader r : readers) {
                if (r.failure != null || r.scans.get() == 0) {
                    throw new IllegalStateException("raw reader for port " + r.port + " is not reading after the "
                            + "warm-up" + (r.failure != null ? ": " + r.failure : ""));
                }
            }
            long[] values0 = new long[devices];
            long[] scans0 = new long[devices];
            long[] requests0 = new long[devices];
            long[] errors0 = new long[devices];
            snapshot(readers, values0, scans0, requests0, errors0);
            ResourceMeter meter = new ResourceMeter(slaves::cpuNanos);
            meter.start();
            Thread.sleep(TimeUnit.SECONDS.toMillis(settings.seconds()));
            long[] values1 = new long[devices];
            long[] scans1 = new long[devices];
            long[] requests1 = new long[devices];
            long[] errors1 = new long[devices];
            snapshot(readers, values1, scans1, requests1, errors1);
            ResourceMeter.Usage usage = meter.stop();
            PhaseResult result = new PhaseResult("raw j2mod", DriverPhase.sum(values1, values0), 0,
                    DriverPhase.sum(scans1, scans0), DriverPhase.sum(requests1, requests0),
                    DriverPhase.sum(errors1, errors0), DriverPhase.slowest(scans1, scans0), usage);

            stop(readers, threads);
            int wrong = 0;
            for (int d = 0; d < devices; d++) {
                wrong += readers.get(d).wrongValues(d);
            }
            return new Outcome(result, devices * layout.tagCount(), wrong);
        } finally {
            stop(readers, threads);
        }
    }

    private static void snapshot(List<Reader> readers, long[] values, long[] scans, long[] requests, long[] errors) {
        for (int d = 0; d < readers.size(); d++) {
            Reader r = readers.get(d);
            values[d] = r.values.get();
            scans[d] = r.scans.get();
            requests[d] = r.requests.get();
            errors[d] = r.errors.get();
        }
    }

    private static void stop(List<Reader> readers, List<Thread> threads) throws InterruptedException {
        readers.forEach(r -> r.running = false);
        for (Thread t : threads) {
            t.join(JOIN_MILLIS);
        }
    }

    /** One device's read loop. */
    private static final class Reader implements Runnable {
        private final int port;
        private final BlockRange[] blocks;
        /** The layout entries each block holds, in address order. */
        private final RegisterLayout.Entry[][] entries;
        private final RegisterLayout layout;
        private final long[] longs;
        private final double[] doubles;
        private final int[] words = new int[125];
        final AtomicLong values = new AtomicLong();
        final AtomicLong scans = new AtomicLong();
        final AtomicLong requests = new AtomicLong();
        final AtomicLong errors = new AtomicLong();
        volatile boolean running = true;
        volatile Exception failure;

        Reader(RegisterLayout layout, List<BlockRange> plan, int port) {
            this.layout = layout;
            this.port = port;
            this.blocks = plan.toArray(new BlockRange[0]);
            this.entries = new RegisterLayout.Entry[blocks.length][];
            for (int b = 0; b < blocks.length; b++) {
                BlockRange range = blocks[b];
                entries[b] = layout.entries().stream().filter(range::holds).toArray(RegisterLayout.Entry[]::new);
            }
            this.longs = new long[layout.tagCount()];
            this.doubles = new double[layout.tagCount()];
        }

        @Override
        public void run() {
            String host = "127.0.0.1";
            ModbusTCPMaster master = new ModbusTCPMaster(host, port, TIMEOUT_MILLIS, false);
            try {
                master.connect();
                while (running) {
                    try {
                        scan(master);
                    } catch (ModbusException e) {
                        // Like the driver: count it, open a fresh connection and go on.
                        errors.incrementAndGet();
                        failure = e;
                        master.disconnect();
                        Thread.sleep(RECONNECT_PAUSE_MILLIS);
                        master.connect();
                    }
                }
            } catch (Exception e) {
                failure = e;
            } finally {
                master.disconnect();
            }
        }

        private void scan(ModbusTCPMaster master) throws ModbusException {
            for (int b = 0; b < blocks.length && running; b++) {
                BlockRange block = blocks[b];
                Register[] registers = master.readMultipleRegisters(SlaveHost.UNIT_ID, block.start(), block.count());
                // One writer per counter, as on the driver side: no atomic instruction needed.
                requests.lazySet(requests.get() + 1);
                for (int i = 0; i < registers.length; i++) {
                    words[i] = registers[i].toUnsignedShort();
                }
                for (RegisterLayout.Entry e : entries[b]) {
                    decode(e, e.offset() - block.start());
                }
                values.lazySet(values.get() + entries[b].length);
            }
            scans.lazySet(scans.get() + 1);
        }

        /** The same decoding the driver does for byte order abcd, into plain arrays. */
        private void decode(RegisterLayout.Entry e, int i) {
            int k = e.index();
            switch (e.type()) {
                case UINT16 -> longs[k] = words[i];
                case INT16 -> longs[k] = (short) words[i];
                case INT32 -> longs[k] = word32(i);
                case UINT32 -> longs[k] = word32(i) & 0xFFFF_FFFFL;
                case FLOAT32 -> doubles[k] = Float.intBitsToFloat(word32(i));
                case FLOAT64 -> doubles[k] = Double.longBitsToDouble((long) word32(i) << 32
                        | (word32(i + 2) & 0xFFFF_FFFFL));
                default -> throw new IllegalStateException("no " + e.type() + " in the layout");
            }
        }

        private int word32(int i) {
            return words[i] << 16 | words[i + 1];
        }

        /** Values that differ from what the slave serves; called after the thread has stopped. */
        int wrongValues(int device) {
            int wrong = 0;
            for (RegisterLayout.Entry e : layout.entries()) {
                Object got = e.type().isFloatingPoint() ? (Object) doubles[e.index()] : (Object) longs[e.index()];
                if (!RegisterLayout.matches(device, e, got)) {
                    wrong++;
                }
            }
            return wrong;
        }
    }
}
