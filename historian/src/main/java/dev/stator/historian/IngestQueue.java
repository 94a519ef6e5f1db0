package dev.stator.historian;

import dev.stator.driver.api.TagValue;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The samples between {@code Historian.record} and the WAL thread: one lane per recording thread, each a
 * single-producer single-consumer queue of segments of {@value #SEGMENT} slots in columns of primitives. A reading is
 * converted to the storage's form (kind, 64 bits, text, quality, microseconds) on the recording thread, so that
 * nothing the caller allocated is kept; the recording thread takes no lock and, in the common case, allocates
 * nothing and touches no memory another thread writes, apart from a shared counter once per
 * {@link #creditBlock} samples.
 *
 * <p><b>Bounded.</b> At most {@code capacity} samples wait: a lane takes credits for a run of samples from one
 * shared pool before it fills them, the WAL thread gives them back as it takes samples, and a sample without a
 * credit is refused (dropped by the caller). Memory is the capacity plus one partly filled segment per lane.
 *
 * <p><b>Waking the WAL thread.</b> The WAL thread parks until its next deadline (a block is due at least every
 * 100 ms); a recording thread that takes credits when a sixteenth of the capacity is taken unparks it, so that a
 * burst does not fill the queue while it sleeps, and the WAL thread takes samples in runs of thousands.
 */
final class IngestQueue {

    static final int SEGMENT = 1024;

    private static final VarHandle PUBLISHED;
    private static final VarHandle CONSUMED;
    private static final VarHandle SPARE;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            PUBLISHED = lookup.findVarHandle(Lane.class, "published", long.class);
            CONSUMED = lookup.findVarHandle(Lane.class, "consumed", long.class);
            SPARE = lookup.findVarHandle(Lane.class, "spare", Segment.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** What the WAL thread does with each sample it takes: {@code segment}'s slot {@code i}. */
    interface Consumer {
        void accept(Segment segment, int i);
    }

    /** Slots of samples in columns; written by the lane's thread, then read by the WAL thread. */
    static final class Segment {
        final String[] tag = new String[SEGMENT];
        final long[] time = new long[SEGMENT];
        final byte[] kind = new byte[SEGMENT];
        final long[] bits = new long[SEGMENT];
        final int[] quality = new int[SEGMENT];
        final long[] server = new long[SEGMENT];
        final String[] text = new String[SEGMENT];
        final String[] detail = new String[SEGMENT];
        /** Set before the first sample of the next segment is published. */
        Segment next;

        void fill(Sample into, int i) {
            into.set(time[i], kind[i], bits[i], text[i], quality[i], server[i], detail[i]);
        }

        private void forget() {
            Arrays.fill(tag, null);
            Arrays.fill(text, null);
            Arrays.fill(detail, null);
            next = null;
        }
    }

    /** The queue of one recording thread. */
    static final class Lane {
        final Thread owner;
        // The owner's.
        private Segment write;
        private int writeIndex;
        private int credits;
        /** Samples written, published with release semantics after each one. */
        private volatile long published;
        // The WAL thread's.
        private Segment read;
        private int readIndex;
        /** Samples taken by the WAL thread. */
        private volatile long consumed;
        /** A segment the WAL thread finished with, for the owner to fill again. */
        private volatile Segment spare;

        Lane(Thread owner) {
            this.owner = owner;
            write = new Segment();
            read = write;
        }

        int size() {
            return (int) (published - consumed);
        }
    }

    private final int capacity;
    private final int creditBlock;
    private final long wakeBelow;
    /** Credits in no lane's hands: capacity minus samples waiting, minus credits lanes hold. */
    private final AtomicLong free;
    private final ThreadLocal<Lane> mine = new ThreadLocal<>();
    private volatile Lane[] lanes = new Lane[0];
    private volatile Thread consumer;
    private volatile boolean consumerParked;

    IngestQueue(int capacity) {
        this.capacity = capacity;
        // Few credits per lane for small queues, so that idle lanes hold little of the capacity.
        this.creditBlock = Math.max(1, Math.min(256, capacity / 64));
        this.wakeBelow = capacity - Math.max(1, capacity / 16);
        this.free = new AtomicLong(capacity);
    }

    /**
     * Queues one reading whose timestamps are already converted; false (nothing queued) when the queue is full.
     * Any thread; never blocks.
     */
    boolean offer(String tag, TagValue value, long sourceMicros, long serverMicros) {
        Lane lane = mine.get();
        if (lane == null) {
            lane = register();
        }
        if (lane.credits == 0 && !refill(lane)) {
            return false;
        }
        Segment s = lane.write;
        int i = lane.writeIndex;
        if (i == SEGMENT) {
            Segment next = (Segment) SPARE.getAndSet(lane, (Segment) null);
            if (next == null) {
                next = new Segment();
            }
            s.next = next;
            s = next;
            lane.write = s;
            i = 0;
        }
        put(s, i, tag, value, sourceMicros, serverMicros);
        lane.writeIndex = i + 1;
        lane.credits--;
        PUBLISHED.setRelease(lane, lane.published + 1);
        return true;
    }

    /** Samples waiting. Any thread. */
    int size() {
        int n = 0;
        for (Lane lane : lanes) {
            n += lane.size();
        }
        return n;
    }

    boolean isEmpty() {
        for (Lane lane : lanes) {
            if (lane.size() != 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * Takes what each lane holds, at most {@code perLane} samples of each, in the order each lane's thread queued
     * them. WAL thread. Returns how many were taken.
     */
    int drain(Consumer into, int perLane) {
        int total = 0;
        for (Lane lane : lanes) {
            long available = (long) PUBLISHED.getAcquire(lane) - lane.consumed;
            int n = (int) Math.min(available, perLane);
            if (n <= 0) {
                continue;
            }
            Segment s = lane.read;
            int i = lane.readIndex;
            for (int k = 0; k < n; k++) {
                if (i == SEGMENT) {
                    Segment next = s.next;
                    s.forget();
                    SPARE.setRelease(lane, s);
                    s = next;
                    i = 0;
                }
                into.accept(s, i);
                i++;
            }
            lane.read = s;
            lane.readIndex = i;
            CONSUMED.setRelease(lane, lane.consumed + n);
            free.addAndGet(n);
            total += n;
        }
        return total;
    }

    /**
     * Parks the WAL thread for up to {@code nanos}, unless a sixteenth of the capacity is already taken; a recording
     * thread that finds it so wakes it earlier, and so does {@link #wake}.
     */
    void await(long nanos) {
        consumer = Thread.currentThread();
        consumerParked = true;
        try {
            if (size() < capacity - wakeBelow) {
                LockSupport.parkNanos(this, nanos);
            }
        } finally {
            consumerParked = false;
        }
    }

    /** Wakes the WAL thread if it is parked: a flush or the close is asked for. */
    void wake() {
        Thread c = consumer;
        if (c != null) {
            LockSupport.unpark(c);
        }
    }

    /**
     * Forgets the lanes of threads that have ended, once the WAL thread has taken all they queued, and returns the
     * credits they held. WAL thread.
     */
    void removeEndedLanes() {
        Lane[] current = lanes;
        for (Lane lane : current) {
            if (!lane.owner.isAlive() && lane.size() == 0) {
                synchronized (this) {
                    List<Lane> left = new java.util.ArrayList<>(Arrays.asList(lanes));
                    left.remove(lane);
                    lanes = left.toArray(new Lane[0]);
                }
                // The thread has ended: what it last wrote to the lane is visible (Thread.isAlive()).
                free.addAndGet(lane.credits);
                lane.credits = 0;
            }
        }
    }

    /** The credits no lane holds (for tests). */
    long freeCredits() {
        return free.get();
    }

    int laneCount() {
        return lanes.length;
    }

    private boolean refill(Lane lane) {
        long f;
        long take;
        do {
            f = free.get();
            if (f <= 0) {
                return false;
            }
            take = Math.min(creditBlock, f);
        } while (!free.compareAndSet(f, f - take));
        lane.credits = (int) take;
        if (f - take < wakeBelow && consumerParked) {
            wake();
        }
        return true;
    }

    private synchronized Lane register() {
        Lane lane = new Lane(Thread.currentThread());
        Lane[] more = Arrays.copyOf(lanes, lanes.length + 1);
        more[more.length - 1] = lane;
        lanes = more;
        mine.set(lane);
        return lane;
    }

    private static void put(Segment s, int i, String tag, TagValue value, long sourceMicros, long serverMicros) {
        Object v = value.value();
        byte k;
        long b = 0;
        String t = null;
        if (v instanceof Double d) {
            k = Sample.DOUBLE;
            b = Double.doubleToRawLongBits(d);
        } else if (v instanceof Boolean bool) {
            k = Sample.BOOLEAN;
            b = bool ? 1 : 0;
        } else if (v instanceof Long l) {
            k = Sample.LONG;
            b = l;
        } else if (v == null) {
            k = Sample.NONE;
        } else if (v instanceof List<?> list) {
            k = Sample.ARRAY;
            t = ArrayText.encode(list);
        } else {
            k = Sample.STRING;
            t = Limits.cut((String) v, Limits.MAX_TEXT_LENGTH);
        }
        s.tag[i] = tag;
        s.time[i] = sourceMicros;
        s.kind[i] = k;
        s.bits[i] = b;
        s.text[i] = t;
        s.quality[i] = value.quality().code();
        s.server[i] = serverMicros;
        s.detail[i] = Limits.cut(value.detail(), Limits.MAX_DETAIL_LENGTH);
    }
}
