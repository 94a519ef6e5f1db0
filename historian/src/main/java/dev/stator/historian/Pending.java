package dev.stator.historian;

import dev.stator.driver.api.TagValue;

/**
 * A sample waiting in the queue, with its timestamps already converted so that an unstorable time is refused in
 * {@code record()} and never poisons a batch.
 *
 * @param serverMicros the server timestamp in microseconds, or {@link #NO_SERVER_TIME}
 */
record Pending(String tag, TagValue value, long sourceMicros, long serverMicros) {

    static final long NO_SERVER_TIME = Long.MIN_VALUE;
}
