package dev.stator.historian;

import dev.stator.driver.api.TagValue;

/**
 * A sample waiting in the queue, with its timestamps already converted so that an unstorable time is refused in
 * {@code record()} and never poisons a batch; or a gap marker ({@code gap}) from {@code markGap()}.
 *
 * @param serverMicros the server timestamp in microseconds, or {@link Sample#NO_SERVER_TIME}
 */
record Pending(String tag, TagValue value, long sourceMicros, long serverMicros, boolean gap) {
}
