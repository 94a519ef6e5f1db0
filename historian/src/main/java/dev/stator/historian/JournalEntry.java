package dev.stator.historian;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * One event of a journal: an alarm event, an operator action or a system event. Immutable.
 *
 * <p>The time is kept to the microsecond (finer parts are cut here, so what is read back equals what was made).
 * Text longer than the limits below is cut; a source or action that is empty, too long or not one word is refused.
 *
 * @param time     when it happened, UTC, to the microsecond
 * @param kind     which journal
 * @param source   what it is about: a tag, a device or a component (1 to {@value #MAX_SOURCE} characters)
 * @param user     who did it; empty for the system (at most {@value #MAX_USER} characters)
 * @param action   what happened, one short word such as {@code write}, {@code ack}, {@code login},
 *                 {@code out-of-service}, {@code device-down}, {@code device-up}, {@code start}, {@code stop},
 *                 {@code active}, {@code cleared} (1 to {@value #MAX_ACTION} characters, no spaces)
 * @param message  what a person reads, may be empty (cut at {@value #MAX_MESSAGE} characters)
 * @param oldValue the value before, as text, or null (cut at {@value #MAX_VALUE} characters)
 * @param newValue the value after (or asked for), as text, or null (cut at {@value #MAX_VALUE} characters)
 */
public record JournalEntry(Instant time, JournalKind kind, String source, String user, String action,
                           String message, String oldValue, String newValue) {

    public static final int MAX_SOURCE = 1_000;
    public static final int MAX_USER = 200;
    public static final int MAX_ACTION = 50;
    public static final int MAX_MESSAGE = 4_000;
    public static final int MAX_VALUE = 1_000;

    public JournalEntry {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(action, "action");
        time = time.truncatedTo(ChronoUnit.MICROS);
        try {
            Micros.of(time);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("a journal entry's time is out of the storable range: " + time, e);
        }
        if (source.isEmpty() || source.length() > MAX_SOURCE) {
            throw new IllegalArgumentException("a journal entry's source has 1 to " + MAX_SOURCE
                    + " characters: '" + Limits.cut(source, 100) + "'");
        }
        user = user == null ? "" : user;
        if (user.length() > MAX_USER) {
            throw new IllegalArgumentException("a journal entry's user has at most " + MAX_USER
                    + " characters: '" + Limits.cut(user, 100) + "'");
        }
        if (action.isEmpty() || action.length() > MAX_ACTION || !isWord(action)) {
            throw new IllegalArgumentException("a journal entry's action is one word of 1 to " + MAX_ACTION
                    + " characters without spaces, such as 'write' or 'device-down': '"
                    + Limits.cut(action, 100) + "'");
        }
        message = message == null ? "" : Limits.cut(message, MAX_MESSAGE);
        oldValue = Limits.cut(oldValue, MAX_VALUE);
        newValue = Limits.cut(newValue, MAX_VALUE);
    }

    /** An entry without values. */
    public JournalEntry(Instant time, JournalKind kind, String source, String user, String action, String message) {
        this(time, kind, source, user, action, message, null, null);
    }

    /** A system event now, without a user. */
    public static JournalEntry system(String source, String action, String message) {
        return new JournalEntry(Instant.now(), JournalKind.SYSTEM, source, "", action, message);
    }

    /** An operator action now. */
    public static JournalEntry operator(String user, String source, String action, String message) {
        return new JournalEntry(Instant.now(), JournalKind.OPERATOR, source, user, action, message);
    }

    /** An alarm event now, without a user (an acknowledgement by a person is an operator action). */
    public static JournalEntry alarm(String source, String action, String message) {
        return new JournalEntry(Instant.now(), JournalKind.ALARM, source, "", action, message);
    }

    /** This entry with the values before and after. */
    public JournalEntry withValues(String before, String after) {
        return new JournalEntry(time, kind, source, user, action, message, before, after);
    }

    /** This entry at another time. */
    public JournalEntry at(Instant when) {
        return new JournalEntry(when, kind, source, user, action, message, oldValue, newValue);
    }

    private static boolean isWord(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c) || Character.isISOControl(c)) {
                return false;
            }
        }
        return true;
    }
}
