package dev.stator.historian;

import java.util.ArrayDeque;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Encodes the full intervals of open chunks on a thread of its own, beside the store thread: encoding is about a
 * quarter of the store thread's work under a heavy load, and the store thread is the one that limits ingest. A piece
 * handed over stays readable (its samples) until encoded; whoever needs its bytes first, this thread or the store
 * thread, encodes it (see {@link TagState.Piece#chunk}), so nothing ever waits for a piece this thread has not started.
 *
 * <p>The buffers of raw samples go round: the store thread fills one per tag, hands it over in a piece, and gets it
 * back once the piece's bytes are committed ({@link #recycle}), so that they stay in the old generation instead of
 * being garbage a second old. Spare buffers are the store thread's alone.
 */
final class PieceEncoder implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(PieceEncoder.class);

    /** Pieces waiting; beyond, the store thread encodes them itself. */
    private static final int QUEUE = 16_384;
    /** Spare buffers kept for reuse. */
    private static final int SPARES = 16_384;

    private final BlockingQueue<TagState.Piece> queue = new ArrayBlockingQueue<>(QUEUE);
    private final ChunkCodec codec = new ChunkCodec();
    private final ArrayDeque<SampleBuffer> spares = new ArrayDeque<>();
    private volatile boolean stopped;

    /** Offers a piece for encoding; false when the queue is full or the thread has stopped. Store thread. */
    boolean submit(TagState.Piece piece) {
        return !stopped && queue.offer(piece);
    }

    /** A buffer for a tag's raw samples: a spare one, or a new one. Store thread. */
    SampleBuffer spare() {
        SampleBuffer b = spares.poll();
        return b != null ? b : new SampleBuffer(ChunkCodec.INTERVAL);
    }

    /** Takes back the buffer of a piece whose bytes are committed and that nobody reads any more. Store thread. */
    void recycle(SampleBuffer buffer) {
        if (spares.size() < SPARES) {
            buffer.clear();
            spares.add(buffer);
        }
    }

    /**
     * Lets go of spare buffers beyond {@code keep}: after a burst (a backlog caught up, say) the pool shrinks back
     * to what the samples coming in need. Store thread.
     */
    void trim(int keep) {
        while (spares.size() > keep) {
            spares.poll();
        }
    }

    /** Ends the thread once the pieces queued are encoded; pieces submitted later are refused. Any thread. */
    void stop() {
        stopped = true;
    }

    @Override
    public void run() {
        try {
            while (true) {
                TagState.Piece piece = queue.poll(50, TimeUnit.MILLISECONDS);
                if (piece != null) {
                    piece.encodeIfQueued(codec);
                } else if (stopped) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            // The store thread encodes what is left itself.
            stopped = true;
            LOG.error("history encoder thread stopped by an unexpected error; the writer thread encodes alone", e);
        }
    }
}
