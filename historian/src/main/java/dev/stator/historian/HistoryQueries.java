package dev.stator.historian;

import dev.stator.driver.api.Quality;
import dev.stator.driver.api.TagValue;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * The read side shared by {@link Historian} and {@link HistoryReader}. Each call opens its own session, so calls from
 * several threads do not wait for each other, and closes it before returning.
 *
 * <p>A tag's samples come from its sealed chunks, the slices of its open chunk, and, in the writing process, what the
 * store thread holds and has not committed (the tail). These are merged in time order; chunks that overlap in time
 * (late samples) are decoded together and merged sample by sample, equal times in recording order. The tail is
 * snapshotted before H2 is read, and a tail part whose row the read returned is left out, so a commit happening in
 * between neither hides nor doubles a sample.
 */
final class HistoryQueries {

    /** A trend may be at most this many pixels wide. */
    static final int MAX_WIDTH = 100_000;
    /** An interpolation may have at most this many steps. */
    static final int MAX_STEPS = 1_000_000;

    private static final long TAIL_ORDER = Long.MAX_VALUE / 2;

    private final HistoryFile file;
    private final Function<String, TagState.TailSnapshot> live;
    /** Summaries that stood for samples, and intervals decoded, since opening: how much work queries did. */
    final LongAdder summariesRead = new LongAdder();
    final LongAdder intervalsDecoded = new LongAdder();

    /**
     * @param live the store thread's tail of a tag, in the writing process; null for a reader
     */
    HistoryQueries(HistoryFile file, Function<String, TagState.TailSnapshot> live) {
        this.file = file;
        this.live = live;
    }

    List<String> tags() throws HistoryException {
        try (Connection connection = file.connect(true, false)) {
            return ChunkStore.tags(connection);
        } catch (SQLException e) {
            throw file.translate(e, "read");
        }
    }

    boolean hasHistory(String tag) throws HistoryException {
        Objects.requireNonNull(tag, "tag");
        TagState.TailSnapshot tail = live == null ? null : live.apply(tag);
        if (tail != null && (!tail.parts().isEmpty() || tail.held() != null)) {
            return true;
        }
        try (Connection connection = file.connect(true, false);
             PreparedStatement select = connection.prepareStatement("SELECT 1 FROM tag WHERE name = ?"
                     + " AND (last_us IS NOT NULL OR held IS NOT NULL)")) {
            select.setString(1, tag);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw file.translate(e, "read");
        }
    }

    List<TagValue> query(String tag, Instant from, Instant to) throws HistoryException {
        List<TagValue> samples = new ArrayList<>();
        stream(tag, from, to, samples::add);
        return samples;
    }

    <X extends Exception> long stream(String tag, Instant from, Instant to, SampleVisitor<X> visitor)
            throws HistoryException, X {
        Objects.requireNonNull(tag, "tag");
        Objects.requireNonNull(visitor, "visitor");
        long fromMicros = Micros.ceil(Objects.requireNonNull(from, "from"));
        long toMicros = Micros.ceil(Objects.requireNonNull(to, "to"));
        if (fromMicros >= toMicros) {
            return 0;
        }
        long[] count = {0};
        scan(tag, fromMicros, toMicros, new Consumer<X>() {
            @Override
            public void sample(SampleBuffer b, int i) throws X {
                if (b.kind[i] != Sample.GAP) {
                    visitor.visit(b.toTagValue(i));
                    count[0]++;
                }
            }
        });
        return count[0];
    }

    Optional<TagValue> lastBefore(String tag, Instant time) throws HistoryException {
        Objects.requireNonNull(tag, "tag");
        long before = Micros.ceil(Objects.requireNonNull(time, "time"));
        try (Connection connection = file.connect(true, false)) {
            TagInfo info = tagInfo(connection, tag);
            if (info == null) {
                return Optional.empty();
            }
            Event e = latestBefore(connection, info, before, true);
            return e == null ? Optional.empty() : Optional.of(e.value());
        } catch (SQLException e) {
            throw file.translate(e, "read");
        }
    }

    List<Aggregate> aggregate(String tag, Buckets buckets) throws HistoryException {
        Objects.requireNonNull(tag, "tag");
        List<Instant> bounds = buckets.boundaries();
        long[] micros = new long[bounds.size()];
        for (int i = 0; i < micros.length; i++) {
            micros[i] = Micros.ceil(bounds.get(i));
        }
        Binner binner = new Binner(micros, false);
        scan(tag, micros[0], micros[micros.length - 1], binner);
        List<Aggregate> out = new ArrayList<>(binner.bins);
        for (int b = 0; b < binner.bins; b++) {
            out.add(binner.aggregate(b, bounds.get(b), bounds.get(b + 1)));
        }
        return out;
    }

    List<TrendPoint> m4(String tag, Instant from, Instant to, int width) throws HistoryException {
        Objects.requireNonNull(tag, "tag");
        if (width < 1 || width > MAX_WIDTH) {
            throw new IllegalArgumentException("a trend is 1 to " + MAX_WIDTH + " pixels wide, not " + width);
        }
        long fromMicros = Micros.ceil(Objects.requireNonNull(from, "from"));
        long toMicros = Micros.ceil(Objects.requireNonNull(to, "to"));
        if (fromMicros >= toMicros) {
            return List.of();
        }
        Binner binner = new Binner(columns(fromMicros, toMicros, width), true);
        scan(tag, fromMicros, toMicros, binner);
        return binner.points();
    }

    /** Column {@code c} spans {@code [from + c * span / width, from + (c + 1) * span / width)}, rounded down. */
    static long[] columns(long from, long to, int width) {
        long span = to - from;
        long whole = span / width;
        long rest = span % width;
        long[] bounds = new long[width + 1];
        for (int c = 0; c <= width; c++) {
            bounds[c] = from + c * whole + c * rest / width;
        }
        return bounds;
    }

    List<InterpolatedValue> interpolate(String tag, Instant from, Instant to, Duration step,
                                        Interpolation requested) throws HistoryException {
        Objects.requireNonNull(tag, "tag");
        Objects.requireNonNull(step, "step");
        long fromMicros = Micros.ceil(Objects.requireNonNull(from, "from"));
        long toMicros = Micros.ceil(Objects.requireNonNull(to, "to"));
        long stepMicros = step.toNanos() / 1_000;
        if (stepMicros <= 0) {
            throw new IllegalArgumentException("an interpolation step is at least 1 microsecond, not " + step);
        }
        if (fromMicros >= toMicros) {
            return List.of();
        }
        long steps = (toMicros - fromMicros + stepMicros - 1) / stepMicros;
        if (steps > MAX_STEPS) {
            throw new IllegalArgumentException("at most " + MAX_STEPS + " interpolated values, not " + steps);
        }
        try (Connection connection = file.connect(true, true)) {
            TagInfo info = tagInfo(connection, tag);
            List<InterpolatedValue> out = new ArrayList<>((int) steps);
            Interpolation mode = requested != null ? requested
                    : info != null && info.tail != null ? info.tail.interpolation()
                    : info != null ? info.interpolation : Interpolation.LINEAR;
            Interpolator interpolator = new Interpolator(fromMicros, stepMicros, (int) steps, mode, out);
            if (info != null) {
                interpolator.previous = latestBefore(connection, info, fromMicros, false);
                drive(connection, info, fromMicros, toMicros, interpolator);
                interpolator.finish(earliestFrom(connection, info, toMicros));
            } else {
                interpolator.finish(null);
            }
            return out;
        } catch (SQLException e) {
            throw file.translate(e, "read");
        }
    }

    // ---- the merge

    /** Receives samples in time order, and summaries in their place where it accepts them. */
    interface Consumer<X extends Exception> {

        /** Whether the summary of samples spanning {@code [start, end]} may stand for them. */
        default boolean acceptsSummary(long start, long end, int gaps) {
            return false;
        }

        default void summary(Summary summary) {
        }

        void sample(SampleBuffer samples, int index) throws X;
    }

    private <X extends Exception> void scan(String tag, long from, long to, Consumer<X> consumer)
            throws HistoryException, X {
        try (Connection connection = file.connect(true, true)) {
            TagInfo info = tagInfo(connection, tag);
            if (info != null) {
                drive(connection, info, from, to, consumer);
            }
        } catch (SQLException e) {
            throw file.translate(e, "read");
        }
    }

    /** What a query knows of a tag before reading its chunks. */
    private record TagInfo(int id, TagState.TailSnapshot tail, byte[] dbHeld, Interpolation interpolation) {
    }

    /** The tag's id, and, taken now, before its rows are read, the writer's tail. Null when the tag is unknown. */
    private TagInfo tagInfo(Connection connection, String tag) throws SQLException {
        TagState.TailSnapshot tail = live == null ? null : live.apply(tag);
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT id, held, interpolation FROM tag WHERE name = ?")) {
            select.setString(1, tag);
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                return new TagInfo(rs.getInt(1), tail, rs.getBytes(2),
                        rs.getInt(3) == 0 ? Interpolation.STEP : Interpolation.LINEAR);
            }
        }
    }

    /** A source of samples: a chunk or slice from H2, or part of the writer's tail (decoded already). */
    private static final class Row {
        final long start;
        final long end;
        /** Recording order: H2 rows by sequence, the tail after them all. */
        final long order;
        /** The row's id (see TagState.rowId); for a tail part, the id of the row it was written into, or 0. */
        final long id;
        final boolean fromTail;
        final byte[] data;
        SampleBuffer samples;

        Row(long start, long end, long order, long id, boolean fromTail, byte[] data, SampleBuffer samples) {
            this.start = start;
            this.end = end;
            this.order = order;
            this.id = id;
            this.fromTail = fromTail;
            this.data = data;
            this.samples = samples;
        }
    }

    private static final Comparator<Row> BY_START = Comparator.<Row>comparingLong(r -> r.start)
            .thenComparingLong(r -> r.order);

    /** Rows overlapping {@code [from, to)} in order of start, H2's sealed chunks streamed and merged with the rest. */
    private final class Rows implements AutoCloseable {

        private final PreparedStatement select;
        private final ResultSet chunks;
        private final List<Row> extras;
        private final Set<Long> seen = new HashSet<>();
        private Row nextChunk;
        private int nextExtra;

        Rows(Connection connection, TagInfo info, long from, long to) throws SQLException {
            extras = extras(connection, info, from, to);
            select = connection.prepareStatement(ChunkStore.SELECT_RANGE);
            select.setFetchSize(64);
            select.setInt(1, info.id);
            select.setLong(2, from < Long.MIN_VALUE + ChunkStore.MAX_SPAN_MICROS ? Long.MIN_VALUE
                    : from - ChunkStore.MAX_SPAN_MICROS);
            select.setLong(3, to);
            select.setLong(4, from);
            chunks = select.executeQuery();
        }

        Row next() throws SQLException {
            while (true) {
                if (nextChunk == null && chunks.next()) {
                    long seq = chunks.getLong(2);
                    nextChunk = new Row(chunks.getLong(1), chunks.getLong(3), seq, TagState.rowId(seq, true), false,
                            chunks.getBytes(4), null);
                }
                Row extra = nextExtra < extras.size() ? extras.get(nextExtra) : null;
                Row row;
                if (nextChunk != null && (extra == null || BY_START.compare(nextChunk, extra) <= 0)) {
                    row = nextChunk;
                    nextChunk = null;
                } else if (extra != null) {
                    row = extra;
                    nextExtra++;
                } else {
                    return null;
                }
                if (row.fromTail && row.id != TagState.UNWRITTEN && seen.contains(row.id)) {
                    // Committed after the tail was taken: H2 returned these samples already.
                    continue;
                }
                if (!row.fromTail) {
                    seen.add(row.id);
                }
                return row;
            }
        }

        @Override
        public void close() throws SQLException {
            try {
                chunks.close();
            } finally {
                select.close();
            }
        }
    }

    /** The slices of the open chunk, the tail and the held reading that overlap {@code [from, to)}, in order. */
    private List<Row> extras(Connection connection, TagInfo info, long from, long to) throws SQLException {
        List<Row> rows = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(ChunkStore.SELECT_HEAD)) {
            select.setInt(1, info.id);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    long start = rs.getLong(1);
                    long end = rs.getLong(3);
                    if (start < to && end >= from) {
                        long seq = rs.getLong(2);
                        rows.add(new Row(start, end, seq, TagState.rowId(seq, false), false, rs.getBytes(4), null));
                    }
                }
            }
        }
        long order = TAIL_ORDER;
        Sample held = null;
        if (info.tail != null) {
            for (TagState.TailPart part : info.tail.parts()) {
                if (part.first() < to && part.last() >= from) {
                    rows.add(new Row(part.first(), part.last(), order, part.rowId(), true, part.chunk(),
                            part.samples()));
                }
                order++;
            }
            held = info.tail.held();
        } else if (info.dbHeld != null) {
            SampleBuffer one = new SampleBuffer(1);
            new ChunkCodec().decodeAll(info.dbHeld, one);
            held = new Sample();
            one.get(0, held);
        }
        if (held != null && held.time >= from && held.time < to) {
            SampleBuffer one = new SampleBuffer(1);
            one.add(held);
            rows.add(new Row(held.time, held.time, order, TagState.UNWRITTEN, true, null, one));
        }
        rows.sort(BY_START);
        return rows;
    }

    /**
     * Hands every sample of {@code [from, to)} to {@code consumer} in time order, or the summary of a whole chunk or
     * interval where the consumer accepts it. Chunks that overlap in time are decoded and merged.
     */
    private <X extends Exception> void drive(Connection connection, TagInfo info, long from, long to,
                                             Consumer<X> consumer) throws SQLException, X {
        ChunkCodec codec = new ChunkCodec();
        SampleBuffer buffer = new SampleBuffer(ChunkCodec.INTERVAL);
        List<Row> cluster = new ArrayList<>();
        long clusterEnd = Long.MIN_VALUE;
        try (Rows rows = new Rows(connection, info, from, to)) {
            Row row;
            while ((row = rows.next()) != null) {
                if (!cluster.isEmpty() && row.start > clusterEnd) {
                    emit(cluster, from, to, consumer, codec, buffer);
                    cluster.clear();
                    clusterEnd = Long.MIN_VALUE;
                }
                cluster.add(row);
                clusterEnd = Math.max(clusterEnd, row.end);
            }
        }
        if (!cluster.isEmpty()) {
            emit(cluster, from, to, consumer, codec, buffer);
        }
    }

    private <X extends Exception> void emit(List<Row> cluster, long from, long to, Consumer<X> consumer,
                                            ChunkCodec codec, SampleBuffer buffer) throws X {
        if (cluster.size() == 1) {
            emitOne(cluster.get(0), from, to, consumer, codec, buffer);
            return;
        }
        // Overlapping rows: all their samples, ordered by time, then recording order.
        int total = 0;
        for (Row r : cluster) {
            if (r.samples == null) {
                r.samples = new SampleBuffer();
                codec.decodeAll(r.data, r.samples);
            }
            total += r.samples.size();
        }
        long[] keys = new long[total];
        int[] rowOf = new int[total];
        int[] indexOf = new int[total];
        Integer[] sorted = new Integer[total];
        int n = 0;
        for (int r = 0; r < cluster.size(); r++) {
            SampleBuffer s = cluster.get(r).samples;
            for (int i = 0; i < s.size(); i++) {
                keys[n] = s.time[i];
                rowOf[n] = r;
                indexOf[n] = i;
                sorted[n] = n;
                n++;
            }
        }
        // Rows are in start order, not recording order: sort ties by each row's order, then position.
        long[] rowOrder = new long[cluster.size()];
        for (int r = 0; r < cluster.size(); r++) {
            rowOrder[r] = cluster.get(r).order;
        }
        Arrays.sort(sorted, (a, b) -> {
            int c = Long.compare(keys[a], keys[b]);
            if (c != 0) {
                return c;
            }
            c = Long.compare(rowOrder[rowOf[a]], rowOrder[rowOf[b]]);
            return c != 0 ? c : Integer.compare(indexOf[a], indexOf[b]);
        });
        for (Integer k : sorted) {
            long t = keys[k];
            if (t >= from && t < to) {
                consumer.sample(cluster.get(rowOf[k]).samples, indexOf[k]);
            }
        }
    }

    private <X extends Exception> void emitOne(Row row, long from, long to, Consumer<X> consumer, ChunkCodec codec,
                                               SampleBuffer buffer) throws X {
        if (row.samples != null) {
            SampleBuffer s = row.samples;
            for (int i = 0; i < s.size(); i++) {
                if (s.time[i] >= from && s.time[i] < to) {
                    consumer.sample(s, i);
                }
            }
            return;
        }
        ChunkCodec.Directory d = ChunkCodec.directory(row.data);
        if (row.start >= from && row.end < to && consumer.acceptsSummary(row.start, row.end, d.summary.gaps)) {
            consumer.summary(d.summary);
            summariesRead.increment();
            return;
        }
        for (int k = 0; k < d.intervals; k++) {
            long first = d.first[k];
            long last = d.last[k];
            if (last < from || first >= to) {
                continue;
            }
            if (first >= from && last < to && consumer.acceptsSummary(first, last, d.intervalSummary[k].gaps)) {
                consumer.summary(d.intervalSummary[k]);
                summariesRead.increment();
                continue;
            }
            buffer.clear();
            codec.decodeInterval(row.data, d, k, buffer);
            intervalsDecoded.increment();
            for (int i = 0; i < buffer.size(); i++) {
                if (buffer.time[i] >= from && buffer.time[i] < to) {
                    consumer.sample(buffer, i);
                }
            }
        }
    }

    // ---- single samples around a time

    /** One sample found by a search, with its place in recording order for ties. */
    private record Event(long time, long order, int index, byte kind, long bits, int quality, String text,
                         long server, String detail) {

        static Event of(SampleBuffer s, int i, long order) {
            return new Event(s.time[i], order, i, s.kind[i], s.bits[i], s.quality[i], s.text(i), s.serverTime(i),
                    s.detail(i));
        }

        boolean laterThan(Event other) {
            if (other == null) {
                return true;
            }
            if (time != other.time) {
                return time > other.time;
            }
            return order != other.order ? order > other.order : index > other.index;
        }

        boolean usable() {
            return Sample.isUsable(kind, bits, quality);
        }

        double numeric() {
            return Sample.numeric(kind, bits);
        }

        TagValue value() {
            return Sample.toTagValue(time, kind, bits, text, quality, server, detail);
        }
    }

    /** The latest sample before {@code before}; gap markers included or not. */
    private Event latestBefore(Connection connection, TagInfo info, long before, boolean skipMarkers)
            throws SQLException {
        Event best = null;
        ChunkCodec codec = new ChunkCodec();
        for (Row row : extras(connection, info, Long.MIN_VALUE, before)) {
            best = latestIn(row, before, skipMarkers, best, codec);
        }
        try (PreparedStatement select = connection.prepareStatement(ChunkStore.SELECT_BEFORE)) {
            select.setFetchSize(16);
            select.setInt(1, info.id);
            select.setLong(2, before);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    long start = rs.getLong(1);
                    if (best != null && start + ChunkStore.MAX_SPAN_MICROS < best.time) {
                        // This chunk and every earlier one end before the sample found.
                        break;
                    }
                    long end = rs.getLong(3);
                    if (best != null && end < best.time) {
                        continue;
                    }
                    long seq = rs.getLong(2);
                    Row row = new Row(start, end, seq, TagState.rowId(seq, true), false, rs.getBytes(4), null);
                    best = latestIn(row, before, skipMarkers, best, codec);
                }
            }
        }
        return best;
    }

    private static Event latestIn(Row row, long before, boolean skipMarkers, Event best, ChunkCodec codec) {
        SampleBuffer s = row.samples;
        if (s == null) {
            s = new SampleBuffer();
            codec.decodeAll(row.data, s);
        }
        for (int i = s.size() - 1; i >= 0; i--) {
            if (s.time[i] >= before || skipMarkers && s.kind[i] == Sample.GAP) {
                continue;
            }
            Event e = Event.of(s, i, row.order);
            if (e.laterThan(best)) {
                best = e;
            }
            break;
        }
        return best;
    }

    /** The earliest sample at or after {@code from}, gap markers included. */
    private Event earliestFrom(Connection connection, TagInfo info, long from) throws SQLException {
        Event[] best = {null};
        try {
            drive(connection, info, from, Long.MAX_VALUE, new Consumer<RuntimeException>() {
                @Override
                public void sample(SampleBuffer samples, int index) {
                    best[0] = Event.of(samples, index, 0);
                    throw new Found();
                }
            });
        } catch (Found found) {
            // best[0] holds it.
        }
        return best[0];
    }

    /** Ends a forward search at its first sample. */
    private static final class Found extends RuntimeException {
        Found() {
            super(null, null, false, false);
        }
    }

    // ---- interpolation

    /** Walks the step times through the events, never across a Bad reading or a gap marker. */
    private static final class Interpolator implements Consumer<RuntimeException> {

        private final long from;
        private final long step;
        private final int steps;
        private final Interpolation mode;
        private final List<InterpolatedValue> out;
        private int k;
        Event previous;

        Interpolator(long from, long step, int steps, Interpolation mode, List<InterpolatedValue> out) {
            this.from = from;
            this.step = step;
            this.steps = steps;
            this.mode = mode;
            this.out = out;
        }

        @Override
        public void sample(SampleBuffer samples, int index) {
            Event e = Event.of(samples, index, 0);
            while (k < steps && at(k) < e.time) {
                emit(at(k), e);
                k++;
            }
            previous = e;
        }

        void finish(Event next) {
            while (k < steps) {
                emit(at(k), next);
                k++;
            }
        }

        private long at(int i) {
            return from + i * step;
        }

        private void emit(long t, Event next) {
            Instant time = Micros.toInstant(t);
            Event p = previous;
            if (p == null) {
                out.add(new InterpolatedValue(time, Double.NaN, Quality.BAD));
                return;
            }
            if (!p.usable()) {
                Quality q = Sample.isBad(p.quality) ? Quality.of(p.quality) : Quality.BAD;
                out.add(new InterpolatedValue(time, Double.NaN, q));
                return;
            }
            double v = p.numeric();
            Quality q = Quality.of(p.quality);
            if (mode == Interpolation.LINEAR && next != null && next.usable() && next.time > p.time && t > p.time) {
                double nv = next.numeric();
                v = v + (nv - v) * ((double) (t - p.time) / (double) (next.time - p.time));
                if (q.isGood() && !Quality.of(next.quality).isGood()) {
                    q = Quality.of(next.quality);
                }
            }
            out.add(new InterpolatedValue(time, v, q));
        }
    }

    // ---- buckets and pixel columns

    /**
     * Sums up usable samples per bucket; for M4 also remembers where gaps fall between them. Every item (a sample,
     * or a summary standing for a gap-free run) gets a number in the order it comes, so that "is there a gap
     * between these two points" is a comparison of numbers.
     */
    private static final class Binner implements Consumer<RuntimeException> {

        final int bins;
        private final long[] bounds;
        private final boolean m4;
        private final long[] count;
        private final double[] sum;
        private final double[] first;
        private final double[] last;
        private final double[] min;
        private final double[] max;
        private final long[] firstTime;
        private final long[] lastTime;
        private final long[] minTime;
        private final long[] maxTime;
        private final long[] firstItem;
        private final long[] lastItem;
        private final long[] minItem;
        private final long[] maxItem;
        private int cursor;
        private long item;
        private long[] gaps = new long[16];
        private int gapCount;
        private boolean inGap;

        Binner(long[] bounds, boolean m4) {
            this.bounds = bounds;
            this.m4 = m4;
            this.bins = bounds.length - 1;
            count = new long[bins];
            sum = new double[bins];
            first = new double[bins];
            last = new double[bins];
            min = new double[bins];
            max = new double[bins];
            firstTime = new long[bins];
            lastTime = new long[bins];
            minTime = new long[bins];
            maxTime = new long[bins];
            firstItem = m4 ? new long[bins] : null;
            lastItem = m4 ? new long[bins] : null;
            minItem = m4 ? new long[bins] : null;
            maxItem = m4 ? new long[bins] : null;
        }

        /** The bin of {@code t}; times only grow, so the search moves forward. */
        private int bin(long t) {
            while (cursor < bins - 1 && bounds[cursor + 1] <= t) {
                cursor++;
            }
            return cursor;
        }

        @Override
        public boolean acceptsSummary(long start, long end, int gapEvents) {
            if (m4 && gapEvents > 0) {
                return false;
            }
            int b = bin(start);
            return end < bounds[b + 1];
        }

        @Override
        public void summary(Summary s) {
            item++;
            if (s.usable == 0) {
                return;
            }
            inGap = false;
            int b = bin(s.firstTime);
            if (count[b] == 0) {
                first[b] = s.first;
                firstTime[b] = s.firstTime;
                min[b] = s.min;
                minTime[b] = s.minTime;
                max[b] = s.max;
                maxTime[b] = s.maxTime;
                if (m4) {
                    firstItem[b] = item;
                    minItem[b] = item;
                    maxItem[b] = item;
                }
            } else {
                if (s.min < min[b]) {
                    min[b] = s.min;
                    minTime[b] = s.minTime;
                    if (m4) {
                        minItem[b] = item;
                    }
                }
                if (s.max > max[b]) {
                    max[b] = s.max;
                    maxTime[b] = s.maxTime;
                    if (m4) {
                        maxItem[b] = item;
                    }
                }
            }
            last[b] = s.last;
            lastTime[b] = s.lastTime;
            if (m4) {
                lastItem[b] = item;
            }
            count[b] += s.usable;
            sum[b] += s.sum;
        }

        @Override
        public void sample(SampleBuffer s, int i) {
            item++;
            if (Sample.isGapEvent(s.kind[i], s.quality[i])) {
                if (m4 && !inGap) {
                    if (gapCount == gaps.length) {
                        gaps = Arrays.copyOf(gaps, gapCount * 2);
                    }
                    gaps[gapCount++] = item;
                }
                inGap = true;
                return;
            }
            if (!s.isUsable(i)) {
                return;
            }
            inGap = false;
            long t = s.time[i];
            double v = s.numeric(i);
            int b = bin(t);
            if (count[b] == 0) {
                first[b] = v;
                firstTime[b] = t;
                min[b] = v;
                minTime[b] = t;
                max[b] = v;
                maxTime[b] = t;
                if (m4) {
                    firstItem[b] = item;
                    minItem[b] = item;
                    maxItem[b] = item;
                }
            } else {
                if (v < min[b]) {
                    min[b] = v;
                    minTime[b] = t;
                    if (m4) {
                        minItem[b] = item;
                    }
                }
                if (v > max[b]) {
                    max[b] = v;
                    maxTime[b] = t;
                    if (m4) {
                        maxItem[b] = item;
                    }
                }
            }
            last[b] = v;
            lastTime[b] = t;
            if (m4) {
                lastItem[b] = item;
            }
            count[b]++;
            sum[b] += v;
        }

        Aggregate aggregate(int b, Instant start, Instant end) {
            if (count[b] == 0) {
                return new Aggregate(start, end, 0, Double.NaN, null, Double.NaN, null, Double.NaN, null,
                        Double.NaN, null, 0);
            }
            return new Aggregate(start, end, count[b], min[b], Micros.toInstant(minTime[b]), max[b],
                    Micros.toInstant(maxTime[b]), first[b], Micros.toInstant(firstTime[b]), last[b],
                    Micros.toInstant(lastTime[b]), sum[b]);
        }

        /** Per column its first, minimum, maximum and last, in time order, without repeats. */
        List<TrendPoint> points() {
            List<TrendPoint> out = new ArrayList<>();
            long previousItem = Long.MIN_VALUE;
            long[][] p = new long[4][];
            for (int b = 0; b < bins; b++) {
                if (count[b] == 0) {
                    continue;
                }
                // time, item, role, value bits
                p[0] = new long[] {firstTime[b], firstItem[b], 0, Double.doubleToRawLongBits(first[b])};
                p[1] = new long[] {minTime[b], minItem[b], 1, Double.doubleToRawLongBits(min[b])};
                p[2] = new long[] {maxTime[b], maxItem[b], 2, Double.doubleToRawLongBits(max[b])};
                p[3] = new long[] {lastTime[b], lastItem[b], 3, Double.doubleToRawLongBits(last[b])};
                Arrays.sort(p, M4_ORDER);
                long[] shown = null;
                for (long[] point : p) {
                    if (shown != null && shown[0] == point[0] && shown[3] == point[3]) {
                        continue;
                    }
                    shown = point;
                    boolean gapBefore = gapBetween(previousItem, point[1]);
                    out.add(new TrendPoint(b, Micros.toInstant(point[0]), Double.longBitsToDouble(point[3]),
                            gapBefore));
                    previousItem = point[1];
                }
            }
            return out;
        }

        /** Whether a gap event came after item {@code a} and before item {@code b}. */
        private boolean gapBetween(long a, long b) {
            int lo = 0;
            int hi = gapCount;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (gaps[mid] <= a) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            return lo < gapCount && gaps[lo] < b;
        }

        private static final Comparator<long[]> M4_ORDER = (x, y) -> {
            int c = Long.compare(x[0], y[0]);
            if (c != 0) {
                return c;
            }
            c = Long.compare(x[1], y[1]);
            return c != 0 ? c : Long.compare(x[2], y[2]);
        };
    }
}
