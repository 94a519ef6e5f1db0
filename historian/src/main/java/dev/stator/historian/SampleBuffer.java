package dev.stator.historian;

import dev.stator.driver.api.TagValue;
import java.util.Arrays;

/**
 * A growable run of samples in columns of primitives, in time order: the unpublished samples of a tag, a decoded
 * chunk, the input of an encoding. Server times, text and details take memory only once some sample has one. Not
 * thread-safe; a tag's buffer is guarded by its tag's lock when queries read it.
 */
final class SampleBuffer {

    private static final int INITIAL = 8;

    long[] time;
    byte[] kind;
    long[] bits;
    int[] quality;
    /** Null while no sample has a server time. */
    long[] server;
    /** Null while no sample has text (String or array). */
    String[] text;
    /** Null while no sample has a detail. */
    String[] detail;
    private int size;

    SampleBuffer() {
        this(INITIAL);
    }

    SampleBuffer(int capacity) {
        int c = Math.max(1, capacity);
        time = new long[c];
        kind = new byte[c];
        bits = new long[c];
        quality = new int[c];
    }

    int size() {
        return size;
    }

    int capacity() {
        return time.length;
    }

    boolean isEmpty() {
        return size == 0;
    }

    void clear() {
        size = 0;
        server = null;
        text = null;
        detail = null;
    }

    long firstTime() {
        return time[0];
    }

    long lastTime() {
        return time[size - 1];
    }

    long serverTime(int i) {
        return server == null ? Sample.NO_SERVER_TIME : server[i];
    }

    String text(int i) {
        return text == null ? null : text[i];
    }

    String detail(int i) {
        return detail == null ? null : detail[i];
    }

    void add(Sample s) {
        add(s.time, s.kind, s.bits, s.text, s.quality, s.serverTime, s.detail);
    }

    void add(long t, byte k, long b, String txt, int q, long srv, String det) {
        ensure(size + 1);
        put(size, t, k, b, txt, q, srv, det);
        size++;
    }

    /** Copies sample {@code i} of {@code other} to the end. */
    void add(SampleBuffer other, int i) {
        add(other.time[i], other.kind[i], other.bits[i], other.text(i), other.quality[i], other.serverTime(i),
                other.detail(i));
    }

    /**
     * Inserts in time order after every sample with the same or an earlier time, but not before index
     * {@code lowest}, so that equal timestamps keep the order they were recorded in. Samples nearly always arrive
     * in order, so the search starts at the end.
     */
    void insertInOrder(Sample s, int lowest) {
        int at = size;
        while (at > lowest && time[at - 1] > s.time) {
            at--;
        }
        if (at == size) {
            add(s);
            return;
        }
        ensure(size + 1);
        shift(at);
        put(at, s.time, s.kind, s.bits, s.text, s.quality, s.serverTime, s.detail);
        size++;
    }

    /** Drops the first {@code n} samples. */
    void removeFirst(int n) {
        if (n >= size) {
            clear();
            return;
        }
        int rest = size - n;
        System.arraycopy(time, n, time, 0, rest);
        System.arraycopy(kind, n, kind, 0, rest);
        System.arraycopy(bits, n, bits, 0, rest);
        System.arraycopy(quality, n, quality, 0, rest);
        if (server != null) {
            System.arraycopy(server, n, server, 0, rest);
        }
        if (text != null) {
            System.arraycopy(text, n, text, 0, rest);
            Arrays.fill(text, rest, size, null);
        }
        if (detail != null) {
            System.arraycopy(detail, n, detail, 0, rest);
            Arrays.fill(detail, rest, size, null);
        }
        size = rest;
    }

    /** A copy of samples {@code [from, to)}. */
    SampleBuffer copy(int from, int to) {
        SampleBuffer copy = new SampleBuffer(Math.max(1, to - from));
        for (int i = from; i < to; i++) {
            copy.add(this, i);
        }
        return copy;
    }

    void get(int i, Sample into) {
        into.set(time[i], kind[i], bits[i], text(i), quality[i], serverTime(i), detail(i));
    }

    boolean isUsable(int i) {
        return Sample.isUsable(kind[i], bits[i], quality[i]);
    }

    boolean isGapEvent(int i) {
        return Sample.isGapEvent(kind[i], quality[i]);
    }

    double numeric(int i) {
        return Sample.numeric(kind[i], bits[i]);
    }

    /** Sample {@code i} as a reading; null for a gap marker. */
    TagValue toTagValue(int i) {
        return Sample.toTagValue(time[i], kind[i], bits[i], text(i), quality[i], serverTime(i), detail(i));
    }

    private void put(int i, long t, byte k, long b, String txt, int q, long srv, String det) {
        time[i] = t;
        kind[i] = k;
        bits[i] = b;
        quality[i] = q;
        if (srv != Sample.NO_SERVER_TIME || server != null) {
            if (server == null) {
                server = new long[time.length];
                Arrays.fill(server, Sample.NO_SERVER_TIME);
            }
            server[i] = srv;
        }
        if (txt != null || text != null) {
            if (text == null) {
                text = new String[time.length];
            }
            text[i] = txt;
        }
        if (det != null || detail != null) {
            if (detail == null) {
                detail = new String[time.length];
            }
            detail[i] = det;
        }
    }

    private void shift(int at) {
        int n = size - at;
        System.arraycopy(time, at, time, at + 1, n);
        System.arraycopy(kind, at, kind, at + 1, n);
        System.arraycopy(bits, at, bits, at + 1, n);
        System.arraycopy(quality, at, quality, at + 1, n);
        if (server != null) {
            System.arraycopy(server, at, server, at + 1, n);
        }
        if (text != null) {
            System.arraycopy(text, at, text, at + 1, n);
        }
        if (detail != null) {
            System.arraycopy(detail, at, detail, at + 1, n);
        }
    }

    private void ensure(int capacity) {
        if (capacity <= time.length) {
            return;
        }
        int c = Math.max(capacity, time.length * 2);
        time = Arrays.copyOf(time, c);
        kind = Arrays.copyOf(kind, c);
        bits = Arrays.copyOf(bits, c);
        quality = Arrays.copyOf(quality, c);
        if (server != null) {
            int old = server.length;
            server = Arrays.copyOf(server, c);
            Arrays.fill(server, old, c, Sample.NO_SERVER_TIME);
        }
        if (text != null) {
            text = Arrays.copyOf(text, c);
        }
        if (detail != null) {
            detail = Arrays.copyOf(detail, c);
        }
    }
}
