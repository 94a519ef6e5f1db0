package dev.stator.historian;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The records inside a write-ahead log block, and their encoding. A block is
 * {@code wallTime:int64 samples:int32 record*}; a record is a header byte (kind of value and flags), then
 * {@code tag:varint time:zigzag(delta from the previous record) [quality:varint] value [server:zigzag] [detail]}.
 * A tag's name is written once per segment in a definition record and then referred to by number, so each segment
 * reads on its own. A block costs about 12 bytes per float sample.
 *
 * <p>A journal entry is a record of its own, header {@code 0x80}, then
 * {@code time:zigzag(absolute µs) kind:varint source user action message:text flags:u8 [old:text] [new:text]}
 * (text is a varint length and UTF-8; flags 1 and 2 say whether the old and new values follow). It does not count
 * as a sample and does not change the time base of the sample records around it.
 */
final class WalRecords {

    static final int DEFINE = 7;
    /** What {@link Decoder#next} returns for a journal record. */
    static final int JOURNAL = 8;
    private static final int JOURNAL_HEADER = 0x80;
    private static final int KIND_MASK = 0x07;
    private static final int NOT_GOOD = 0x08;
    private static final int SERVER = 0x10;
    private static final int DETAIL = 0x20;
    /** Boolean true, or a double that is exactly a float (4 bytes instead of 8). */
    private static final int SHORT_FORM = 0x40;
    static final int BLOCK_PREFIX = 12;

    private WalRecords() {
    }

    static int sampleCount(byte[] payload, int length) {
        if (length < BLOCK_PREFIX) {
            return 0;
        }
        return (payload[8] & 0xFF) << 24 | (payload[9] & 0xFF) << 16 | (payload[10] & 0xFF) << 8 | payload[11] & 0xFF;
    }

    /** Builds blocks on the WAL thread. */
    static final class Encoder {

        private byte[] buffer = new byte[1 << 16];
        private int length;
        private int samples;
        private long previousTime;
        private final Map<String, Integer> ids = new HashMap<>();

        /** Forgets the tag numbers: the next block starts a new segment. */
        void newSegment() {
            ids.clear();
        }

        void begin(long wallMicros) {
            length = 0;
            samples = 0;
            previousTime = 0;
            ensure(BLOCK_PREFIX);
            putLong(wallMicros);
            length += 4;
        }

        boolean isEmpty() {
            return samples == 0 && length <= BLOCK_PREFIX;
        }

        int length() {
            return length;
        }

        int samples() {
            return samples;
        }

        /** The finished block; valid until the next {@link #begin}. */
        byte[] finish() {
            buffer[8] = (byte) (samples >>> 24);
            buffer[9] = (byte) (samples >>> 16);
            buffer[10] = (byte) (samples >>> 8);
            buffer[11] = (byte) samples;
            return buffer;
        }

        void add(String tag, Sample s) {
            Integer id = ids.get(tag);
            if (id == null) {
                id = ids.size();
                ids.put(tag, id);
                byte[] name = tag.getBytes(StandardCharsets.UTF_8);
                ensure(16 + name.length);
                buffer[length++] = DEFINE;
                putVarLong(id);
                putVarLong(name.length);
                System.arraycopy(name, 0, buffer, length, name.length);
                length += name.length;
            }
            byte[] text = s.text == null ? null : s.text.getBytes(StandardCharsets.UTF_8);
            byte[] detail = s.detail == null ? null : s.detail.getBytes(StandardCharsets.UTF_8);
            ensure(48 + (text == null ? 0 : text.length) + (detail == null ? 0 : detail.length));
            int header = s.kind;
            if (s.quality != Sample.GOOD) {
                header |= NOT_GOOD;
            }
            if (s.serverTime != Sample.NO_SERVER_TIME) {
                header |= SERVER;
            }
            if (detail != null) {
                header |= DETAIL;
            }
            boolean asFloat = s.kind == Sample.DOUBLE && FloatCodec.isFloat(s.bits);
            if (s.kind == Sample.BOOLEAN && s.bits != 0 || asFloat) {
                header |= SHORT_FORM;
            }
            buffer[length++] = (byte) header;
            putVarLong(id);
            putZigZag(s.time - previousTime);
            previousTime = s.time;
            if (s.quality != Sample.GOOD) {
                putVarLong(s.quality & 0xFFFF_FFFFL);
            }
            switch (s.kind) {
                case Sample.LONG -> putZigZag(s.bits);
                case Sample.DOUBLE -> {
                    if (asFloat) {
                        putInt(Float.floatToRawIntBits((float) Double.longBitsToDouble(s.bits)));
                    } else {
                        putLong(s.bits);
                    }
                }
                case Sample.STRING, Sample.ARRAY -> {
                    putVarLong(text.length);
                    System.arraycopy(text, 0, buffer, length, text.length);
                    length += text.length;
                }
                default -> {
                }
            }
            if (s.serverTime != Sample.NO_SERVER_TIME) {
                putZigZag(s.serverTime - s.time);
            }
            if (detail != null) {
                putVarLong(detail.length);
                System.arraycopy(detail, 0, buffer, length, detail.length);
                length += detail.length;
            }
            samples++;
        }

        void addJournal(JournalEntry e) {
            byte[][] texts = {utf8(e.source()), utf8(e.user()), utf8(e.action()), utf8(e.message()),
                utf8(e.oldValue()), utf8(e.newValue())};
            int more = 32;
            for (byte[] t : texts) {
                more += t == null ? 0 : t.length + 5;
            }
            ensure(more);
            buffer[length++] = (byte) JOURNAL_HEADER;
            putZigZag(Micros.of(e.time()));
            putVarLong(e.kind().code());
            for (int i = 0; i < 4; i++) {
                putText(texts[i]);
            }
            buffer[length++] = (byte) ((texts[4] != null ? 1 : 0) | (texts[5] != null ? 2 : 0));
            for (int i = 4; i < 6; i++) {
                if (texts[i] != null) {
                    putText(texts[i]);
                }
            }
        }

        private static byte[] utf8(String s) {
            return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
        }

        private void putText(byte[] text) {
            putVarLong(text.length);
            System.arraycopy(text, 0, buffer, length, text.length);
            length += text.length;
        }

        private void ensure(int more) {
            if (length + more > buffer.length) {
                buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, length + more));
            }
        }

        private void putVarLong(long value) {
            long v = value;
            while ((v & ~0x7FL) != 0) {
                buffer[length++] = (byte) ((v & 0x7F) | 0x80);
                v >>>= 7;
            }
            buffer[length++] = (byte) v;
        }

        private void putZigZag(long value) {
            putVarLong((value << 1) ^ (value >> 63));
        }

        private void putInt(int v) {
            buffer[length++] = (byte) (v >>> 24);
            buffer[length++] = (byte) (v >>> 16);
            buffer[length++] = (byte) (v >>> 8);
            buffer[length++] = (byte) v;
        }

        private void putLong(long v) {
            putInt((int) (v >>> 32));
            putInt((int) v);
        }
    }

    /** Reads the records of one block on the store thread. */
    static final class Decoder {

        private byte[] data;
        private int position;
        private int end;
        private long previousTime;
        private long wallMicros;
        /** The offset of the record last read, within the block's payload. */
        private int recordOffset;
        /** Set by a definition record. */
        String definedName;
        int definedId;
        /** Set by a sample record. */
        int tagId;
        /** Set by a journal record. */
        JournalEntry journal;

        void reset(byte[] payload, int length) {
            data = payload;
            end = length;
            position = 0;
            wallMicros = getLong();
            position += 4;
            previousTime = 0;
        }

        long wallMicros() {
            return wallMicros;
        }

        int recordOffset() {
            return recordOffset;
        }

        /**
         * Reads the next record: returns {@link #DEFINE} (see {@link #definedName}), a sample kind (the sample is in
         * {@code into} and its tag in {@link #tagId}), {@link #JOURNAL} (see {@link #journal}), or -1 at the end of
         * the block.
         */
        int next(Sample into) {
            if (position >= end) {
                return -1;
            }
            recordOffset = position;
            int header = data[position++] & 0xFF;
            if (header == JOURNAL_HEADER) {
                long time = getZigZag();
                JournalKind journalKind = JournalKind.ofCode((int) getVarLong());
                String source = getText();
                String user = getText();
                String action = getText();
                String message = getText();
                int flags = data[position++];
                String before = (flags & 1) != 0 ? getText() : null;
                String after = (flags & 2) != 0 ? getText() : null;
                journal = new JournalEntry(Micros.toInstant(time), journalKind, source, user, action, message, before,
                        after);
                return JOURNAL;
            }
            int kind = header & KIND_MASK;
            if (kind == DEFINE) {
                definedId = (int) getVarLong();
                int n = (int) getVarLong();
                definedName = new String(data, position, n, StandardCharsets.UTF_8);
                position += n;
                return DEFINE;
            }
            tagId = (int) getVarLong();
            long time = previousTime + getZigZag();
            previousTime = time;
            int quality = (header & NOT_GOOD) != 0 ? (int) getVarLong() : Sample.GOOD;
            long bits = 0;
            String text = null;
            switch (kind) {
                case Sample.BOOLEAN -> bits = (header & SHORT_FORM) != 0 ? 1 : 0;
                case Sample.LONG -> bits = getZigZag();
                case Sample.DOUBLE -> bits = (header & SHORT_FORM) != 0
                        ? Double.doubleToRawLongBits(Float.intBitsToFloat(getInt())) : getLong();
                case Sample.STRING, Sample.ARRAY -> text = getText();
                default -> {
                }
            }
            long server = (header & SERVER) != 0 ? time + getZigZag() : Sample.NO_SERVER_TIME;
            String detail = (header & DETAIL) != 0 ? getText() : null;
            into.set(time, (byte) kind, bits, text, quality, server, detail);
            return kind;
        }

        private String getText() {
            int n = (int) getVarLong();
            String s = new String(data, position, n, StandardCharsets.UTF_8);
            position += n;
            return s;
        }

        private long getVarLong() {
            long value = 0;
            int shift = 0;
            while (true) {
                int b = data[position++];
                value |= (long) (b & 0x7F) << shift;
                if ((b & 0x80) == 0) {
                    return value;
                }
                shift += 7;
            }
        }

        private long getZigZag() {
            long v = getVarLong();
            return (v >>> 1) ^ -(v & 1);
        }

        private int getInt() {
            int v = (data[position] & 0xFF) << 24 | (data[position + 1] & 0xFF) << 16
                    | (data[position + 2] & 0xFF) << 8 | data[position + 3] & 0xFF;
            position += 4;
            return v;
        }

        private long getLong() {
            long high = getInt() & 0xFFFF_FFFFL;
            return high << 32 | (getInt() & 0xFFFF_FFFFL);
        }
    }
}
