package dev.stator.historian;

/**
 * Internal knobs that tests turn: smaller log segments, H2's retention of freed space, and a gate that holds the
 * store thread as a database that stopped answering would.
 *
 * @param segmentBytes      the size at which a write-ahead log segment is closed; 0 picks one from the cap
 * @param h2RetentionMillis how long H2 keeps freed space before reusing it ({@code SET RETENTION_TIME}); -1 keeps
 *                          H2's default of 45 s
 * @param gate              holds the store thread while closed
 */
record Tuning(long segmentBytes, int h2RetentionMillis, StoreGate gate) {

    static Tuning defaults() {
        return new Tuning(0, -1, new StoreGate());
    }

    /** Holds the store thread before its next database work while closed. Thread-safe. */
    static final class StoreGate {

        private volatile boolean closed;

        void close() {
            closed = true;
        }

        void open() {
            closed = false;
        }

        boolean isClosed() {
            return closed;
        }
    }
}
