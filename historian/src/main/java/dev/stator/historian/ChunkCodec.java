package dev.stator.historian;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The binary form of a chunk: the samples of one tag over a stretch of time, in time order, split into intervals of
 * up to {@value #INTERVAL} samples that decode on their own.
 *
 * <pre>
 * chunk    = version:u8  samples:varint  base:zigzag  intervals:varint  entry*  data*
 * entry    = bytes:varint  count:varint  first:zigzag  span:varint  summary        (times relative to base/first)
 * summary  = samples usable gaps [first last min max (time value)] sum             (see Summary)
 * The chunk's own summary is the intervals' summaries added up.
 * data     = times  attributes  [server times]  doubles  longs  booleans  texts    (byte aligned)
 * times    = delta-of-delta of microseconds, Rice coded
 * attributes = runs of (count, kind, quality, detail): these change rarely
 * doubles  = FloatCodec (decimal or XOR, 32- or 64-bit); longs = Rice-coded deltas;
 * booleans = first value and Rice-coded run lengths; texts = length and UTF-8
 * </pre>
 *
 * A query reads the chunk summary, then the interval summaries, and decodes only the intervals it must. Instances
 * hold scratch space: one per thread.
 */
final class ChunkCodec {

    static final int VERSION = 1;
    static final int INTERVAL = 512;
    /** Intervals smaller than this are encoded again when a chunk is sealed, if there are several in a row. */
    static final int SMALL_INTERVAL = INTERVAL / 4;

    private static final int KIND_BITS = 3;

    private final long[] scratch = new long[INTERVAL];
    private final long[] values = new long[INTERVAL];
    private final BitWriter data = new BitWriter(4096);
    private final BitWriter head = new BitWriter(512);

    /** The layout of one chunk: where each interval starts and what its summary says. */
    static final class Directory {
        long base;
        int samples;
        final Summary summary = new Summary();
        int intervals;
        int[] offset;
        int[] length;
        int[] count;
        long[] first;
        long[] last;
        Summary[] intervalSummary;
    }

    /** Encodes samples {@code [from, to)} of {@code samples}, which are in time order; fills {@code summary}. */
    byte[] encode(SampleBuffer samples, int from, int to, Summary summary) {
        int n = to - from;
        if (n <= 0) {
            throw new IllegalArgumentException("a chunk holds at least one sample");
        }
        int intervals = (n + INTERVAL - 1) / INTERVAL;
        long base = samples.time[from];
        head.reset();
        data.reset();
        summary.clear();
        Summary interval = new Summary();
        BitWriter entries = new BitWriter(64 * intervals);
        for (int i = 0; i < intervals; i++) {
            int a = from + i * INTERVAL;
            int b = Math.min(to, a + INTERVAL);
            interval.clear();
            for (int s = a; s < b; s++) {
                interval.add(samples.time[s], samples.kind[s], samples.bits[s], samples.quality[s]);
            }
            summary.addLater(interval);
            long before = data.bitLength();
            writeInterval(samples, a, b);
            data.alignToByte();
            int bytes = (int) ((data.bitLength() - before) >>> 3);
            entries.writeVarInt(bytes);
            entries.writeVarInt(b - a);
            entries.writeZigZag(samples.time[a] - base);
            entries.writeVarLong(samples.time[b - 1] - samples.time[a]);
            interval.write(entries, samples.time[a], samples.time[b - 1]);
        }
        head.write(VERSION, 8);
        head.writeVarInt(n);
        head.writeZigZag(base);
        head.writeVarInt(intervals);
        // Header, entries and data each end on a byte: one copy into the chunk.
        byte[] chunk = new byte[head.byteLength() + entries.byteLength() + data.byteLength()];
        data.copyTo(chunk, entries.copyTo(chunk, head.copyTo(chunk, 0)));
        return chunk;
    }

    /**
     * One chunk made of the intervals of {@code pieces}, chunks whose samples follow each other in time: the
     * intervals' data and summaries are copied as they are, nothing is decoded.
     */
    static byte[] assemble(List<byte[]> pieces) {
        if (pieces.size() == 1) {
            return pieces.get(0);
        }
        List<Part> parts = new ArrayList<>();
        for (byte[] piece : pieces) {
            Directory d = directory(piece);
            for (int i = 0; i < d.intervals; i++) {
                parts.add(new Part(piece, d, i));
            }
        }
        return build(parts);
    }

    /**
     * One chunk of the samples of {@code pieces}, chunks whose samples follow each other in time, made as
     * {@link #assemble} makes it, except that each run of two or more intervals of fewer than
     * {@value #SMALL_INTERVAL} samples is decoded and encoded again into full intervals. Slices published while
     * samples trickled in (one a second for a tag read every second) become a chunk of full intervals; slices
     * published while samples poured in are copied as they are, without the cost of encoding them twice.
     */
    byte[] merge(List<byte[]> pieces) {
        List<Part> parts = new ArrayList<>();
        List<Part> run = new ArrayList<>();
        for (byte[] piece : pieces) {
            Directory d = directory(piece);
            for (int i = 0; i < d.intervals; i++) {
                Part part = new Part(piece, d, i);
                if (d.count[i] < SMALL_INTERVAL) {
                    run.add(part);
                } else {
                    reencode(run, parts);
                    parts.add(part);
                }
            }
        }
        reencode(run, parts);
        return parts.size() == 1 && parts.get(0).directory().intervals == 1 ? parts.get(0).chunk() : build(parts);
    }

    /** Adds the intervals of {@code run} to {@code parts}: encoded again when there are several. Empties run. */
    private void reencode(List<Part> run, List<Part> parts) {
        if (run.size() < 2) {
            parts.addAll(run);
            run.clear();
            return;
        }
        int n = 0;
        for (Part p : run) {
            n += p.directory().count[p.interval()];
        }
        SampleBuffer samples = new SampleBuffer(n);
        for (Part p : run) {
            decodeInterval(p.chunk(), p.directory(), p.interval(), samples);
        }
        byte[] encoded = encode(samples, 0, samples.size(), new Summary());
        Directory d = directory(encoded);
        for (int i = 0; i < d.intervals; i++) {
            parts.add(new Part(encoded, d, i));
        }
        run.clear();
    }

    /** The number of samples a chunk holds, from its header. */
    static int samples(byte[] chunk) {
        BitReader in = new BitReader(chunk, 0, chunk.length);
        in.read(8);
        return in.readVarInt();
    }

    /** Interval {@code interval} of {@code chunk}, whose directory is {@code directory}: a part of a chunk to build. */
    private record Part(byte[] chunk, Directory directory, int interval) {
    }

    /** A chunk of the given intervals, in order, copied as they are. */
    private static byte[] build(List<Part> parts) {
        int samples = 0;
        int dataBytes = 0;
        for (Part p : parts) {
            samples += p.directory().count[p.interval()];
            dataBytes += p.directory().length[p.interval()];
        }
        Directory firstDirectory = parts.get(0).directory();
        long base = firstDirectory.first[parts.get(0).interval()];
        BitWriter head = new BitWriter(32);
        head.write(VERSION, 8);
        head.writeVarInt(samples);
        head.writeZigZag(base);
        head.writeVarInt(parts.size());
        BitWriter entries = new BitWriter(64 * parts.size());
        for (Part p : parts) {
            Directory d = p.directory();
            int i = p.interval();
            entries.writeVarInt(d.length[i]);
            entries.writeVarInt(d.count[i]);
            entries.writeZigZag(d.first[i] - base);
            entries.writeVarLong(d.last[i] - d.first[i]);
            d.intervalSummary[i].write(entries, d.first[i], d.last[i]);
        }
        byte[] chunk = new byte[head.byteLength() + entries.byteLength() + dataBytes];
        int at = entries.copyTo(chunk, head.copyTo(chunk, 0));
        for (Part p : parts) {
            int i = p.interval();
            System.arraycopy(p.chunk(), p.directory().offset[i], chunk, at, p.directory().length[i]);
            at += p.directory().length[i];
        }
        return chunk;
    }

    /** Reads the header and the interval entries. */
    static Directory directory(byte[] chunk) {
        BitReader in = new BitReader(chunk, 0, chunk.length);
        int version = (int) in.read(8);
        if (version != VERSION) {
            throw new IllegalStateException("unknown chunk format " + version);
        }
        Directory d = new Directory();
        d.samples = in.readVarInt();
        d.base = in.readZigZag();
        d.intervals = in.readVarInt();
        d.offset = new int[d.intervals];
        d.length = new int[d.intervals];
        d.count = new int[d.intervals];
        d.first = new long[d.intervals];
        d.last = new long[d.intervals];
        d.intervalSummary = new Summary[d.intervals];
        for (int i = 0; i < d.intervals; i++) {
            d.length[i] = in.readVarInt();
            d.count[i] = in.readVarInt();
            d.first[i] = d.base + in.readZigZag();
            d.last[i] = d.first[i] + in.readVarLong();
            d.intervalSummary[i] = new Summary().read(in, d.first[i], d.last[i]);
            d.summary.addLater(d.intervalSummary[i]);
        }
        in.alignToByte();
        in.checkWithin();
        int at = (int) (in.bitPosition() >>> 3);
        for (int i = 0; i < d.intervals; i++) {
            d.offset[i] = at;
            at += d.length[i];
        }
        if (at != chunk.length) {
            throw new IllegalStateException("a chunk's intervals add up to " + at + " bytes, not " + chunk.length);
        }
        return d;
    }

    /** Appends every sample of {@code chunk} to {@code out}. */
    void decodeAll(byte[] chunk, SampleBuffer out) {
        Directory d = directory(chunk);
        for (int i = 0; i < d.intervals; i++) {
            decodeInterval(chunk, d, i, out);
        }
    }

    /** Appends the samples of interval {@code i} to {@code out}. */
    void decodeInterval(byte[] chunk, Directory d, int i, SampleBuffer out) {
        BitReader in = new BitReader(chunk, d.offset[i], d.length[i]);
        readInterval(in, d.count[i], d.first[i], out);
        in.checkWithin();
    }

    private void writeInterval(SampleBuffer s, int a, int b) {
        int n = b - a;
        BitWriter out = data;
        // The first step on its own: inside the Rice blocks it would inflate the parameter of the first block.
        long previousDelta = n > 1 ? s.time[a + 1] - s.time[a] : 0;
        out.writeZigZag(previousDelta);
        for (int i = 2; i < n; i++) {
            long delta = s.time[a + i] - s.time[a + i - 1];
            long dod = delta - previousDelta;
            previousDelta = delta;
            scratch[i - 2] = (dod << 1) ^ (dod >> 63);
        }
        RiceCoder.write(out, scratch, 0, Math.max(0, n - 2));

        int runs = 0;
        for (int i = a; i < b; i++) {
            if (i == a || !sameAttributes(s, i - 1, i)) {
                runs++;
            }
        }
        out.writeVarInt(runs);
        int runStart = a;
        for (int i = a + 1; i <= b; i++) {
            if (i == b || !sameAttributes(s, i - 1, i)) {
                out.writeVarInt(i - runStart);
                out.write(s.kind[runStart], KIND_BITS);
                out.writeVarInt(s.quality[runStart]);
                writeText(out, s.detail(runStart));
                runStart = i;
            }
        }

        boolean servers = false;
        for (int i = a; i < b && !servers; i++) {
            servers = s.serverTime(i) != Sample.NO_SERVER_TIME;
        }
        out.writeBit(servers);
        if (servers) {
            for (int i = 0; i < n; i++) {
                long server = s.serverTime(a + i);
                long d = server - s.time[a + i];
                scratch[i] = server == Sample.NO_SERVER_TIME ? 0 : ((d << 1) ^ (d >> 63)) + 1;
            }
            RiceCoder.write(out, scratch, 0, n);
        }

        int m = gather(s, a, b, Sample.DOUBLE);
        if (m > 0) {
            FloatCodec.write(out, values, 0, m, scratch);
        }
        m = gather(s, a, b, Sample.LONG);
        if (m > 0) {
            long previous = 0;
            for (int i = 0; i < m; i++) {
                long delta = values[i] - previous;
                previous = values[i];
                scratch[i] = (delta << 1) ^ (delta >> 63);
            }
            RiceCoder.write(out, scratch, 0, m);
        }
        m = gather(s, a, b, Sample.BOOLEAN);
        if (m > 0) {
            out.writeBit(values[0] != 0);
            int lengths = 0;
            int start = 0;
            for (int i = 1; i <= m; i++) {
                if (i == m || values[i] != values[i - 1]) {
                    scratch[lengths++] = i - start - 1;
                    start = i;
                }
            }
            out.writeVarInt(lengths);
            RiceCoder.write(out, scratch, 0, lengths);
        }
        for (int i = a; i < b; i++) {
            if (s.kind[i] == Sample.STRING || s.kind[i] == Sample.ARRAY) {
                writeText(out, s.text(i));
            }
        }
    }

    private void readInterval(BitReader in, int n, long firstTime, SampleBuffer out) {
        long delta = in.readZigZag();
        RiceCoder.read(in, scratch, 0, Math.max(0, n - 2));
        long[] times = new long[n];
        times[0] = firstTime;
        if (n > 1) {
            times[1] = firstTime + delta;
        }
        for (int i = 2; i < n; i++) {
            long z = scratch[i - 2];
            delta += (z >>> 1) ^ -(z & 1);
            times[i] = times[i - 1] + delta;
        }

        byte[] kinds = new byte[n];
        int[] qualities = new int[n];
        String[] details = null;
        int runs = in.readVarInt();
        int at = 0;
        int[] perKind = new int[Sample.KINDS];
        for (int r = 0; r < runs; r++) {
            int length = in.readVarInt();
            byte kind = (byte) in.read(KIND_BITS);
            int quality = in.readVarInt();
            String detail = readText(in);
            if (length <= 0 || at + length > n || kind >= Sample.KINDS) {
                throw new IllegalStateException("damaged attribute runs in a chunk");
            }
            if (detail != null && details == null) {
                details = new String[n];
            }
            for (int i = at; i < at + length; i++) {
                kinds[i] = kind;
                qualities[i] = quality;
                if (details != null) {
                    details[i] = detail;
                }
            }
            perKind[kind] += length;
            at += length;
        }
        if (at != n) {
            throw new IllegalStateException("attribute runs cover " + at + " of " + n + " samples");
        }

        long[] servers = null;
        if (in.readBit()) {
            servers = new long[n];
            RiceCoder.read(in, scratch, 0, n);
            for (int i = 0; i < n; i++) {
                long u = scratch[i];
                if (u == 0) {
                    servers[i] = Sample.NO_SERVER_TIME;
                } else {
                    long z = u - 1;
                    servers[i] = times[i] + ((z >>> 1) ^ -(z & 1));
                }
            }
        }

        long[] doubles = null;
        if (perKind[Sample.DOUBLE] > 0) {
            doubles = new long[perKind[Sample.DOUBLE]];
            FloatCodec.read(in, doubles, 0, doubles.length, scratch);
        }
        long[] longs = null;
        if (perKind[Sample.LONG] > 0) {
            longs = new long[perKind[Sample.LONG]];
            RiceCoder.read(in, scratch, 0, longs.length);
            long previous = 0;
            for (int i = 0; i < longs.length; i++) {
                long z = scratch[i];
                previous += (z >>> 1) ^ -(z & 1);
                longs[i] = previous;
            }
        }
        long[] booleans = null;
        if (perKind[Sample.BOOLEAN] > 0) {
            booleans = new long[perKind[Sample.BOOLEAN]];
            long value = in.readBit() ? 1 : 0;
            int lengths = in.readVarInt();
            RiceCoder.read(in, scratch, 0, lengths);
            int i = 0;
            for (int r = 0; r < lengths; r++) {
                long run = scratch[r] + 1;
                if (i + run > booleans.length) {
                    throw new IllegalStateException("damaged boolean runs in a chunk");
                }
                for (long k = 0; k < run; k++) {
                    booleans[i++] = value;
                }
                value ^= 1;
            }
        }

        int d = 0;
        int l = 0;
        int bo = 0;
        for (int i = 0; i < n; i++) {
            byte kind = kinds[i];
            long bits = 0;
            String text = null;
            switch (kind) {
                case Sample.DOUBLE -> bits = doubles[d++];
                case Sample.LONG -> bits = longs[l++];
                case Sample.BOOLEAN -> bits = booleans[bo++];
                case Sample.STRING, Sample.ARRAY -> text = readText(in);
                default -> {
                }
            }
            out.add(times[i], kind, bits, text, qualities[i], servers == null ? Sample.NO_SERVER_TIME : servers[i],
                    details == null ? null : details[i]);
        }
    }

    private int gather(SampleBuffer s, int a, int b, byte kind) {
        int m = 0;
        for (int i = a; i < b; i++) {
            if (s.kind[i] == kind) {
                values[m++] = s.bits[i];
            }
        }
        return m;
    }

    private static boolean sameAttributes(SampleBuffer s, int i, int j) {
        return s.kind[i] == s.kind[j] && s.quality[i] == s.quality[j]
                && Objects.equals(s.detail(i), s.detail(j));
    }

    /** Null as 0, otherwise the UTF-8 length plus one and the bytes. */
    private static void writeText(BitWriter out, String text) {
        if (text == null) {
            out.writeVarInt(0);
            return;
        }
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        out.writeVarInt(utf8.length + 1);
        out.writeBytes(utf8, 0, utf8.length);
    }

    private static String readText(BitReader in) {
        int length = in.readVarInt();
        if (length == 0) {
            return null;
        }
        byte[] utf8 = new byte[length - 1];
        in.readBytes(utf8, 0, utf8.length);
        return new String(utf8, StandardCharsets.UTF_8);
    }
}
