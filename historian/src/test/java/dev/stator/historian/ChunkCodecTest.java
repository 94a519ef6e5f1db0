package dev.stator.historian;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ChunkCodecTest {

    private final ChunkCodec codec = new ChunkCodec();

    @Test
    void everyKindQualityDetailAndServerTimeRoundTripsBitForBit() {
        Random random = new Random(42);
        SampleBuffer in = new SampleBuffer();
        long t = 1_780_000_000_000_000L;
        double[] specials = {Double.NaN, -0.0, 0.0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
            Double.MIN_VALUE, -Double.MAX_VALUE, 0.1, Double.longBitsToDouble(0x7FF8_0000_0000_1234L)};
        for (int i = 0; i < 3_000; i++) {
            t += random.nextInt(5) == 0 ? random.nextInt(2_000_000) : 1_000_000;
            int quality = random.nextInt(20) == 0 ? 0x8005_0000 : random.nextInt(30) == 0 ? 0x4090_0000 : 0;
            long server = random.nextInt(10) == 0 ? t + random.nextInt(1000) - 500 : Sample.NO_SERVER_TIME;
            String detail = random.nextInt(15) == 0 ? "timeout " + random.nextInt(3) : null;
            switch (random.nextInt(9)) {
                case 0 -> in.add(t, Sample.NONE, 0, null, quality, server, detail);
                case 1 -> in.add(t, Sample.BOOLEAN, random.nextInt(2), null, quality, server, detail);
                case 2 -> in.add(t, Sample.LONG, random.nextLong() >> random.nextInt(64), null, quality, server,
                        detail);
                case 3 -> in.add(t, Sample.DOUBLE, Double.doubleToRawLongBits(specials[random.nextInt(9)]), null,
                        quality, server, detail);
                case 4 -> in.add(t, Sample.STRING, 0, "text ü 𝄞 " + random.nextInt(100), quality, server, detail);
                case 5 -> in.add(t, Sample.ARRAY, 0, "d:1.5,-0.0,NaN", quality, server, detail);
                case 6 -> in.add(t, Sample.GAP, 0, null, 0x800C_0000, Sample.NO_SERVER_TIME, "stopped");
                default -> in.add(t, Sample.DOUBLE, Double.doubleToRawLongBits(random.nextGaussian() * 1e3), null,
                        quality, server, detail);
            }
        }
        assertRoundTrip(in);
    }

    @Test
    void float32DecimalAndArbitraryDoublesRoundTripExactly() {
        Random random = new Random(7);
        for (int variant = 0; variant < 6; variant++) {
            SampleBuffer in = new SampleBuffer();
            double v = 50;
            for (int i = 0; i < 2_500; i++) {
                v += random.nextGaussian() * 0.05;
                double value = switch (variant) {
                    case 0 -> (float) v;
                    case 1 -> Math.round(v * 100) / 100.0;
                    case 2 -> (float) (Math.round(v * 100) / 100.0);
                    case 3 -> v;
                    case 4 -> i % 50 == 0 ? Double.NaN : Math.round(v * 10) / 10.0;
                    default -> Math.round(v * 1000) * 1e-3;
                };
                in.add(1_000_000L * i, Sample.DOUBLE, Double.doubleToRawLongBits(value), null, 0,
                        Sample.NO_SERVER_TIME, null);
            }
            assertRoundTrip(in);
        }
    }

    @Test
    void summariesMatchTheSamples() {
        Random random = new Random(3);
        SampleBuffer in = new SampleBuffer();
        for (int i = 0; i < 1_500; i++) {
            in.add(10L * i, Sample.DOUBLE, Double.doubleToRawLongBits(random.nextInt(1000) / 10.0), null,
                    random.nextInt(50) == 0 ? 0x8000_0000 : 0, Sample.NO_SERVER_TIME, null);
        }
        Summary chunk = new Summary();
        byte[] bytes = codec.encode(in, 0, in.size(), chunk);
        ChunkCodec.Directory d = ChunkCodec.directory(bytes);
        Summary expected = new Summary();
        for (int i = 0; i < in.size(); i++) {
            expected.add(in.time[i], in.kind[i], in.bits[i], in.quality[i]);
        }
        assertThat(d.intervals).isEqualTo(3);
        for (Summary s : List.of(chunk, d.summary)) {
            assertThat(List.of(s.samples, s.usable, s.gaps))
                    .containsExactly(expected.samples, expected.usable, expected.gaps);
            assertThat(List.of(s.first, s.last, s.min, s.max))
                    .containsExactly(expected.first, expected.last, expected.min, expected.max);
            // Summed per interval, then added up: the same sum up to rounding.
            assertThat(s.sum).isCloseTo(expected.sum, org.assertj.core.data.Offset.offset(1e-6));
            assertThat(List.of(s.firstTime, s.lastTime, s.minTime, s.maxTime))
                    .containsExactly(expected.firstTime, expected.lastTime, expected.minTime, expected.maxTime);
        }
    }

    @Test
    void regularFloat32ReadingsTakeFewBytes() {
        Random random = new Random(11);
        SampleBuffer in = new SampleBuffer();
        double v = 20;
        for (int i = 0; i < 4_096; i++) {
            v += random.nextGaussian() * 0.02;
            in.add(1_780_000_000_000_000L + 1_000_000L * i, Sample.DOUBLE,
                    Double.doubleToRawLongBits((float) (Math.round(v * 100) / 100.0)), null, 0,
                    Sample.NO_SERVER_TIME, null);
        }
        byte[] bytes = codec.encode(in, 0, in.size(), new Summary());
        assertThat(bytes.length / 4096.0).isLessThan(0.6);
        assertRoundTrip(in);
    }

    @Test
    void piecesAssembleIntoTheChunkTheirSamplesWouldMake() {
        Random random = new Random(13);
        SampleBuffer in = new SampleBuffer();
        for (int i = 0; i < 2_000; i++) {
            in.add(1_000_000L * i + random.nextInt(1000), Sample.DOUBLE,
                    Double.doubleToRawLongBits(Math.round(random.nextGaussian() * 1000) / 100.0), null,
                    i % 300 == 0 ? 0x8000_0000 : 0, Sample.NO_SERVER_TIME, null);
        }
        List<byte[]> pieces = List.of(codec.encode(in, 0, 512, new Summary()),
                codec.encode(in, 512, 1_536, new Summary()), codec.encode(in, 1_536, 2_000, new Summary()));
        byte[] assembled = ChunkCodec.assemble(pieces);
        ChunkCodec.Directory d = ChunkCodec.directory(assembled);
        assertThat(d.samples).isEqualTo(2_000);
        assertThat(d.intervals).isEqualTo(4);
        Summary whole = new Summary();
        codec.encode(in, 0, in.size(), whole);
        assertThat(List.of(d.summary.usable, d.summary.gaps, d.summary.min, d.summary.max, d.summary.first,
                d.summary.last)).containsExactly(whole.usable, whole.gaps, whole.min, whole.max, whole.first,
                whole.last);
        SampleBuffer out = new SampleBuffer();
        codec.decodeAll(assembled, out);
        for (int i = 0; i < in.size(); i++) {
            assertThat(describe(out, i)).isEqualTo(describe(in, i));
        }
    }

    @Test
    void mergeCopiesLargeSlicesAndEncodesRunsOfSmallOnesAgain() {
        Random random = new Random(17);
        SampleBuffer in = new SampleBuffer();
        for (int i = 0; i < 3_000; i++) {
            in.add(1_000_000L * i, Sample.DOUBLE, Double.doubleToRawLongBits(Math.round(random.nextGaussian() * 1000)
                    / 100.0), null, 0, Sample.NO_SERVER_TIME, null);
        }
        // Slices as a publish interval writes them: 300 samples a second, then one a second for 600 seconds, then
        // a lone small slice between two large ones.
        List<byte[]> pieces = new ArrayList<>();
        int at = 0;
        for (int size : new int[] {300, 300, 512}) {
            pieces.add(codec.encode(in, at, at + size, new Summary()));
            at += size;
        }
        for (int i = 0; i < 600; i++, at++) {
            pieces.add(codec.encode(in, at, at + 1, new Summary()));
        }
        for (int size : new int[] {400, 50, 400}) {
            pieces.add(codec.encode(in, at, at + size, new Summary()));
            at += size;
        }
        pieces.add(codec.encode(in, at, in.size(), new Summary()));

        byte[] merged = codec.merge(pieces);

        ChunkCodec.Directory d = ChunkCodec.directory(merged);
        List<Integer> counts = new ArrayList<>();
        for (int i = 0; i < d.intervals; i++) {
            counts.add(d.count[i]);
        }
        // The 600 single samples became two intervals; the large slices and the lone small one are copied.
        assertThat(counts).containsExactly(300, 300, 512, 512, 88, 400, 50, 400, in.size() - at);
        assertThat(ChunkCodec.samples(merged)).isEqualTo(in.size());
        SampleBuffer out = new SampleBuffer();
        codec.decodeAll(merged, out);
        for (int i = 0; i < in.size(); i++) {
            assertThat(describe(out, i)).isEqualTo(describe(in, i));
        }
        ChunkCodec.Directory first = ChunkCodec.directory(pieces.get(0));
        byte[] copied = java.util.Arrays.copyOfRange(merged, d.offset[0], d.offset[0] + d.length[0]);
        assertThat(copied).isEqualTo(java.util.Arrays.copyOfRange(pieces.get(0), first.offset[0],
                first.offset[0] + first.length[0]));
    }

    private void assertRoundTrip(SampleBuffer in) {
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < in.size(); i++) {
            expected.add(describe(in, i));
        }
        byte[] bytes = codec.encode(in, 0, in.size(), new Summary());
        SampleBuffer out = new SampleBuffer();
        codec.decodeAll(bytes, out);
        List<String> actual = new ArrayList<>();
        for (int i = 0; i < out.size(); i++) {
            actual.add(describe(out, i));
        }
        assertThat(actual).containsExactlyElementsOf(expected);
    }

    private static String describe(SampleBuffer s, int i) {
        return s.time[i] + " " + s.kind[i] + " " + Long.toHexString(s.bits[i]) + " " + s.text(i) + " "
                + Integer.toHexString(s.quality[i]) + " " + s.serverTime(i) + " " + s.detail(i);
    }
}
