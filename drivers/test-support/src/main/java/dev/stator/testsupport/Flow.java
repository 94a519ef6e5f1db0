package dev.stator.testsupport;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One direction of a proxied connection: bytes read from the source wait in order until they are due, then go to the
 * sink. The end of the source's stream is passed on as a half-close once everything before it was written.
 * Proxy loop thread only.
 */
final class Flow {

    /** Returned by {@link #write} when only a socket event can move this flow on. */
    static final long NO_TIMER = Long.MAX_VALUE;

    /** Stop reading the source beyond this, so a slow, delayed or throttled sink pushes back on the sender. */
    private static final int MAX_QUEUED = 256 * 1024;

    /** A throttled flow writes one twentieth of a second's worth at a time, so the rate holds over short spans. */
    private static final int SLICES_PER_SECOND = 20;

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final SocketChannel source;
    private final SocketChannel sink;
    private final Faults faults;
    private final AtomicLong forwarded;
    private final AtomicLong dropped;
    private final ArrayDeque<Chunk> queue = new ArrayDeque<>();
    private int queuedBytes;
    private boolean sourceEnded;
    private boolean sinkShut;
    private boolean sinkFull;
    private long nextSliceNanos;

    Flow(SocketChannel source, SocketChannel sink, Faults faults, AtomicLong forwarded, AtomicLong dropped) {
        this.source = source;
        this.sink = sink;
        this.faults = faults;
        this.forwarded = forwarded;
        this.dropped = dropped;
        this.nextSliceNanos = System.nanoTime();
    }

    /** Reads what the source has ready into the queue, or drops it while black-holed. */
    void read(ByteBuffer scratch, long now) throws IOException {
        scratch.clear();
        int n = source.read(scratch);
        if (n < 0) {
            sourceEnded = true;
            return;
        }
        if (n == 0) {
            return;
        }
        if (faults.blackhole()) {
            dropped.addAndGet(n);
            return;
        }
        scratch.flip();
        ByteBuffer copy = ByteBuffer.allocate(n).put(scratch).flip();
        queue.add(new Chunk(copy, now + faults.delayNanos()));
        queuedBytes += n;
    }

    /**
     * Writes every queued byte that is due and that the throttle and the sink allow.
     *
     * @return nanoseconds until this flow can write again without a socket event, or {@link #NO_TIMER}
     */
    long write(long now) throws IOException {
        sinkFull = false;
        if (faults.blackhole()) {
            // Bytes in flight when the link breaks are lost too; the end of stream waits, as a FIN would.
            dropQueue();
            return NO_TIMER;
        }
        while (!queue.isEmpty()) {
            Chunk head = queue.peek();
            long untilDue = head.dueNanos() - now;
            if (untilDue > 0) {
                return untilDue;
            }
            int rate = faults.bytesPerSecond();
            long untilSlice = nextSliceNanos - now;
            if (rate > 0 && untilSlice > 0) {
                return untilSlice;
            }
            ByteBuffer data = head.data();
            int attempt = rate > 0 ? Math.min(data.remaining(), Math.max(1, rate / SLICES_PER_SECOND))
                    : data.remaining();
            int limit = data.limit();
            data.limit(data.position() + attempt);
            // Counted before the write and corrected after it, so a peer never holds bytes the counter lacks.
            forwarded.addAndGet(attempt);
            int written = 0;
            try {
                written = sink.write(data);
            } finally {
                data.limit(limit);
                forwarded.addAndGet(written - attempt);
            }
            queuedBytes -= written;
            if (rate > 0) {
                // Paced from now, never from a past slot: a throttled line has no credit to burst with.
                nextSliceNanos = now + written * NANOS_PER_SECOND / rate;
            }
            if (!data.hasRemaining()) {
                queue.poll();
            }
            if (written < attempt) {
                sinkFull = true;
                return NO_TIMER;
            }
        }
        if (sourceEnded && !sinkShut) {
            sink.shutdownOutput();
            sinkShut = true;
        }
        return NO_TIMER;
    }

    /** Whether the source should be read: not at its end and the queue has room. */
    boolean wantsRead() {
        return !sourceEnded && queuedBytes < MAX_QUEUED;
    }

    /** Whether the sink's send buffer was full at the last write, so a writable event must wake the flow. */
    boolean wantsWrite() {
        return sinkFull;
    }

    /** Whether the source ended and that end was passed on to the sink. */
    boolean finished() {
        return sinkShut;
    }

    private void dropQueue() {
        if (queuedBytes > 0) {
            dropped.addAndGet(queuedBytes);
        }
        queue.clear();
        queuedBytes = 0;
    }

    private record Chunk(ByteBuffer data, long dueNanos) {
    }
}
