package dev.stator.historian;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The write-ahead log: append-only segment files in a folder next to the database, {@code <name>.wal/}. Every
 * recorded sample is appended here first and the file is forced to disk at least every flush interval, which is
 * what bounds the loss on a crash; the store thread then reads the log in order and writes compressed chunks to H2.
 * It is also the store-and-forward buffer: while H2 is slow or blocked, samples wait here, up to a cap on disk.
 *
 * <p>A segment is named after its position, the log's byte offset of its first byte ({@code %016x.wal}), and holds
 * blocks: {@code length:int32 crc32c:int32 payload}. A block is written whole and checked on reading, so a block torn
 * by a crash ends its segment. Positions only grow, across segments and restarts, so "everything up to position p
 * is in H2" is one number (the checkpoint).
 *
 * <p>The WAL thread appends, forces and drops segments past the cap; the store thread reads and deletes what H2
 * holds. The segment list is guarded by this object's lock.
 */
final class WriteAheadLog implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WriteAheadLog.class);

    static final String SUFFIX = ".wal";
    private static final long MAGIC = 0x5354_4154_4F52_574CL;
    private static final int FILE_HEADER = 16;
    static final int BLOCK_HEADER = 8;
    private static final int MAX_BLOCK = 64 << 20;

    /** One segment file. Fields other than the final ones are guarded by the log's lock. */
    static final class Segment {
        final long start;
        final Path path;
        long size;
        /** Samples in blocks that the reader has not passed yet, for counting what dropping loses. */
        long samples;
        boolean deleted;

        Segment(long start, Path path, long size) {
            this.start = start;
            this.path = path;
            this.size = size;
        }

        long end() {
            return start + size;
        }
    }

    /** A block read back: its payload and where it sits. */
    record Block(long position, long segmentStart, byte[] payload, int length) {
    }

    private final Path folder;
    private final long segmentBytes;
    private final List<Segment> segments = new ArrayList<>();
    private final CRC32C crc = new CRC32C();
    private final ByteBuffer header = ByteBuffer.allocate(BLOCK_HEADER).order(ByteOrder.BIG_ENDIAN);

    // Writer side, touched by the WAL thread only (and by open/close).
    private FileChannel channel;
    private Segment current;
    private long unsyncedBlocks;

    // Reader side, touched by the store thread only.
    private Segment reading;
    private FileChannel readChannel;
    private long readOffset;
    private byte[] readBuffer = new byte[1 << 16];

    private long droppedSamples;

    private WriteAheadLog(Path folder, long segmentBytes) {
        this.folder = folder;
        this.segmentBytes = segmentBytes;
    }

    /**
     * Opens the log in {@code folder}, creating it if needed, and starts a new segment at a position after every
     * existing one and after {@code notBelow} (the highest position the database has seen).
     */
    static WriteAheadLog open(Path folder, long segmentBytes, long notBelow) throws IOException {
        Files.createDirectories(folder);
        WriteAheadLog log = new WriteAheadLog(folder, segmentBytes);
        long next = notBelow;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder, "*" + SUFFIX)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                long start;
                try {
                    start = Long.parseUnsignedLong(name.substring(0, name.length() - SUFFIX.length()), 16);
                } catch (NumberFormatException e) {
                    continue;
                }
                log.segments.add(new Segment(start, file, 0));
            }
        }
        log.segments.sort((a, b) -> Long.compare(a.start, b.start));
        for (Segment s : log.segments) {
            s.samples = countSamples(s);
            // Torn bytes after the last good block count too: no position is ever used twice.
            next = Math.max(next, s.start + Math.max(0, Files.size(s.path) - FILE_HEADER));
        }
        log.startSegment(next);
        return log;
    }

    Path folder() {
        return folder;
    }

    /** The start position of the segment being written. */
    synchronized long currentStart() {
        return current.start;
    }

    /**
     * Appends one block. Called by the WAL thread.
     *
     * @param payload the block's content, {@code length} bytes from 0
     * @param samples how many samples it holds, for counting drops
     * @return the position just after the block
     */
    long append(byte[] payload, int length, int samples) throws IOException {
        crc.reset();
        crc.update(payload, 0, length);
        header.clear();
        header.putInt(length).putInt((int) crc.getValue()).flip();
        ByteBuffer body = ByteBuffer.wrap(payload, 0, length);
        long at = FILE_HEADER + current.size;
        while (header.hasRemaining()) {
            at += channel.write(header, at);
        }
        while (body.hasRemaining()) {
            at += channel.write(body, at);
        }
        unsyncedBlocks++;
        synchronized (this) {
            current.size = at - FILE_HEADER;
            current.samples += samples;
            notifyAll();
            return current.end();
        }
    }

    /**
     * Starts a new segment when the current one is full. Called by the WAL thread before it begins a block, since
     * tag numbers in a block refer to its segment's definitions.
     */
    void rotateIfFull() throws IOException {
        if (current.size >= segmentBytes) {
            rotate();
        }
    }

    /** Forces what was appended to the disk. Called by the WAL thread. */
    void sync() throws IOException {
        if (unsyncedBlocks > 0) {
            channel.force(false);
            unsyncedBlocks = 0;
        }
    }

    /** The position after the last block appended. */
    synchronized long end() {
        return current.end();
    }

    /** Bytes on disk in all segments. */
    synchronized long bytes() {
        long total = 0;
        for (Segment s : segments) {
            total += s.size;
        }
        return total;
    }

    /** Bytes not yet read by the store thread: the store-and-forward backlog. */
    synchronized long unreadBytes() {
        long total = 0;
        for (Segment s : segments) {
            if (reading == null || s.start > reading.start) {
                total += s.size;
            } else if (s == reading) {
                total += s.size - readOffset;
            }
        }
        return total;
    }

    synchronized long droppedSamples() {
        return droppedSamples;
    }

    /**
     * Drops the oldest segments that the store thread has not begun to read until the log is within {@code cap}
     * bytes, and counts the samples they held. The segment being read and the one being written are kept, so the
     * log may stay above the cap by up to two segments. Called by the WAL thread.
     *
     * @return the samples dropped by this call
     */
    synchronized long dropOldestUnreadAbove(long cap) throws IOException {
        long total = bytes();
        long dropped = 0;
        for (int i = 0; i < segments.size() && total > cap; i++) {
            Segment s = segments.get(i);
            if (s == current || reading != null && s.start <= reading.start) {
                continue;
            }
            Files.deleteIfExists(s.path);
            s.deleted = true;
            total -= s.size;
            dropped += s.samples;
            segments.remove(i--);
        }
        if (total > cap && current.size > 0 && (reading == null || reading != current)) {
            // The segment being written is the only candidate left: start a new one so it can go next time.
            rotate();
        }
        droppedSamples += dropped;
        return dropped;
    }

    /**
     * Deletes the segments that end at or before {@code checkpoint}: everything in them is in H2 and on disk there.
     * Called by the store thread after a synced checkpoint.
     */
    synchronized void deleteUpTo(long checkpoint) throws IOException {
        for (int i = 0; i < segments.size(); i++) {
            Segment s = segments.get(i);
            if (s != current && s != reading && s.end() <= checkpoint) {
                Files.deleteIfExists(s.path);
                s.deleted = true;
                segments.remove(i--);
            }
        }
    }

    /**
     * The next complete block at or after the reader's position, waiting up to {@code waitNanos} for one to be
     * written. Returns null when there is none yet. Called by the store thread.
     */
    Block next(long waitNanos) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + waitNanos;
        while (true) {
            Segment segment;
            long available;
            synchronized (this) {
                if (reading == null || reading.deleted) {
                    if (!advance(reading == null ? Long.MIN_VALUE : reading.start)) {
                        return null;
                    }
                }
                segment = reading;
                available = segment.size - readOffset;
                if (available < BLOCK_HEADER && segment != current) {
                    // A finished segment ends here (possibly with a torn block): go on with the next one.
                    if (!advance(segment.start)) {
                        return null;
                    }
                    continue;
                }
                if (available < BLOCK_HEADER) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return null;
                    }
                    TimeUnit.NANOSECONDS.timedWait(this, left);
                    continue;
                }
            }
            Block block = readBlock(segment, available);
            if (block != null) {
                return block;
            }
            synchronized (this) {
                if (segment != current) {
                    LOG.warn("write-ahead log {}: a damaged block at offset {}; skipping the rest of the segment",
                            segment.path, readOffset);
                    advance(segment.start);
                } else {
                    // Not complete yet (cannot happen: blocks are published after they are written); wait.
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return null;
                    }
                    TimeUnit.NANOSECONDS.timedWait(this, Math.min(left, TimeUnit.MILLISECONDS.toNanos(5)));
                }
            }
        }
    }

    /** Places the reader at the start of the first segment containing {@code position} or after it. */
    synchronized void seek(long position) throws IOException {
        closeReadChannel();
        reading = null;
        for (Segment s : segments) {
            if (s.end() > position || s == current) {
                openReader(s);
                return;
            }
        }
    }

    /** The reader's position: everything before it has been handed out. */
    synchronized long readPosition() {
        return reading == null ? current.start : reading.start + readOffset;
    }

    @Override
    public synchronized void close() {
        closeReadChannel();
        try {
            if (channel != null) {
                channel.force(false);
                channel.close();
            }
        } catch (IOException e) {
            LOG.warn("closing the write-ahead log in {}: {}", folder, e.toString());
        }
        notifyAll();
    }

    /** Deletes every segment: called after a clean shutdown has put everything into H2. */
    synchronized void deleteAll() throws IOException {
        closeReadChannel();
        reading = null;
        if (channel != null) {
            channel.close();
            channel = null;
        }
        for (Segment s : segments) {
            Files.deleteIfExists(s.path);
            s.deleted = true;
        }
        segments.clear();
    }

    private Block readBlock(Segment segment, long available) throws IOException {
        ByteBuffer head = ByteBuffer.allocate(BLOCK_HEADER);
        readFully(head, FILE_HEADER + readOffset);
        head.flip();
        int length = head.getInt();
        int expected = head.getInt();
        if (length <= 0 || length > MAX_BLOCK || BLOCK_HEADER + (long) length > available) {
            return null;
        }
        if (readBuffer.length < length) {
            readBuffer = new byte[Math.max(length, readBuffer.length * 2)];
        }
        readFully(ByteBuffer.wrap(readBuffer, 0, length), FILE_HEADER + readOffset + BLOCK_HEADER);
        CRC32C check = new CRC32C();
        check.update(readBuffer, 0, length);
        if ((int) check.getValue() != expected) {
            return null;
        }
        long position = segment.start + readOffset;
        synchronized (this) {
            readOffset += BLOCK_HEADER + length;
        }
        return new Block(position, segment.start, readBuffer, length);
    }

    private void readFully(ByteBuffer target, long at) throws IOException {
        long p = at;
        while (target.hasRemaining()) {
            int n = readChannel.read(target, p);
            if (n < 0) {
                throw new IOException("unexpected end of " + reading.path);
            }
            p += n;
        }
    }

    /** Moves the reader to the first segment after {@code afterStart}; false when there is none. */
    private boolean advance(long afterStart) throws IOException {
        for (Segment s : segments) {
            if (s.start > afterStart && !s.deleted) {
                openReader(s);
                return true;
            }
        }
        return false;
    }

    private void openReader(Segment s) throws IOException {
        closeReadChannel();
        reading = s;
        readOffset = 0;
        readChannel = FileChannel.open(s.path, StandardOpenOption.READ);
        // Everything before the reader has been handed out; forget its counts.
        for (Segment before : segments) {
            if (before.start < s.start) {
                before.samples = 0;
            }
        }
    }

    private void closeReadChannel() {
        if (readChannel != null) {
            try {
                readChannel.close();
            } catch (IOException e) {
                LOG.debug("closing a write-ahead log segment", e);
            }
            readChannel = null;
        }
    }

    /** Segment sizes leave the file header out: positions are offsets of log content. */
    private void startSegment(long start) throws IOException {
        Path path = folder.resolve(String.format("%016x", start) + SUFFIX);
        FileChannel c = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                StandardOpenOption.READ);
        ByteBuffer fileHeader = ByteBuffer.allocate(FILE_HEADER).putLong(MAGIC).putLong(start).flip();
        while (fileHeader.hasRemaining()) {
            c.write(fileHeader);
        }
        // The new file's name must survive a crash too, or its blocks would be unreachable.
        c.force(true);
        forceFolder();
        Segment s = new Segment(start, path, 0);
        synchronized (this) {
            if (channel != null) {
                channel.force(false);
                channel.close();
            }
            channel = c;
            current = s;
            segments.add(s);
        }
    }

    private void rotate() throws IOException {
        startSegment(current.end());
    }

    private void forceFolder() {
        try (FileChannel dir = FileChannel.open(folder, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException e) {
            // Not every platform can open a folder; the file's own force still covers its content.
            LOG.trace("cannot force folder {}", folder, e);
        }
    }

    /** Counts the samples in a segment from an earlier run, stopping at the first damaged block. */
    private static long countSamples(Segment s) throws IOException {
        long count = 0;
        try (FileChannel c = FileChannel.open(s.path, StandardOpenOption.READ)) {
            long size = c.size();
            ByteBuffer fileHeader = ByteBuffer.allocate(FILE_HEADER);
            c.read(fileHeader, 0);
            fileHeader.flip();
            if (size < FILE_HEADER || fileHeader.getLong() != MAGIC || fileHeader.getLong() != s.start) {
                s.size = 0;
                return 0;
            }
            long at = 0;
            ByteBuffer head = ByteBuffer.allocate(BLOCK_HEADER);
            byte[] buffer = new byte[1 << 16];
            while (FILE_HEADER + at + BLOCK_HEADER <= size) {
                head.clear();
                c.read(head, FILE_HEADER + at);
                head.flip();
                int length = head.getInt();
                int expected = head.getInt();
                if (length <= 0 || length > MAX_BLOCK || FILE_HEADER + at + BLOCK_HEADER + length > size) {
                    break;
                }
                if (buffer.length < length) {
                    buffer = new byte[length];
                }
                ByteBuffer body = ByteBuffer.wrap(buffer, 0, length);
                long p = FILE_HEADER + at + BLOCK_HEADER;
                while (body.hasRemaining()) {
                    int n = c.read(body, p);
                    if (n < 0) {
                        break;
                    }
                    p += n;
                }
                CRC32C check = new CRC32C();
                check.update(buffer, 0, length);
                if ((int) check.getValue() != expected) {
                    break;
                }
                count += WalRecords.sampleCount(buffer, length);
                at += BLOCK_HEADER + length;
            }
            // What follows the last good block is torn: the segment ends there.
            s.size = at;
        }
        return count;
    }
}
