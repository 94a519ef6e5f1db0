package dev.stator.historian;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * Which journal entries a query returns: those with a time in {@code [from, to)} that match every filter given,
 * at most {@code limit} of them, in time order (equal times in the order they were recorded). Immutable; start
 * with {@link #between} or {@link #all} and add filters with the {@code with...} methods.
 *
 * @param from   the first time included
 * @param to     the first time excluded
 * @param kinds  the journals to read; empty for all three
 * @param source null for any; otherwise the source exactly, or a glob where {@code *} stands for any characters
 *               and {@code ?} for one ({@code P-10*}); case-sensitive, as tag names are
 * @param user   null for any; otherwise the user exactly (an empty string: entries without a user)
 * @param text   null for any; otherwise text the message contains, in any case
 * @param limit  the most entries returned (at least 1)
 */
public record JournalQuery(Instant from, Instant to, Set<JournalKind> kinds, String source, String user,
                           String text, int limit) {

    /** No limit. */
    public static final int UNLIMITED = Integer.MAX_VALUE;

    public JournalQuery {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        kinds = kinds == null || kinds.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(kinds));
        if (limit < 1) {
            throw new IllegalArgumentException("a journal query's limit must be at least 1, not " + limit);
        }
        if (source != null && source.isEmpty()) {
            throw new IllegalArgumentException("a journal query's source pattern cannot be empty");
        }
        if (text != null && text.isEmpty()) {
            text = null;
        }
    }

    /** Every entry with a time in {@code [from, to)}. */
    public static JournalQuery between(Instant from, Instant to) {
        return new JournalQuery(from, to, Set.of(), null, null, null, UNLIMITED);
    }

    /** Every entry. */
    public static JournalQuery all() {
        return between(Instant.MIN, Instant.MAX);
    }

    public JournalQuery withKinds(Set<JournalKind> value) {
        return new JournalQuery(from, to, value, source, user, text, limit);
    }

    public JournalQuery withKinds(JournalKind first, JournalKind... more) {
        return withKinds(EnumSet.of(first, more));
    }

    public JournalQuery withSource(String pattern) {
        return new JournalQuery(from, to, kinds, pattern, user, text, limit);
    }

    public JournalQuery withUser(String value) {
        return new JournalQuery(from, to, kinds, source, value, text, limit);
    }

    public JournalQuery withText(String value) {
        return new JournalQuery(from, to, kinds, source, user, value, limit);
    }

    public JournalQuery withLimit(int value) {
        return new JournalQuery(from, to, kinds, source, user, text, value);
    }

    /** True when {@code entry} passes every filter of this query, limit aside. */
    public boolean matches(JournalEntry entry) {
        if (entry.time().isBefore(from) || !entry.time().isBefore(to)) {
            return false;
        }
        if (!kinds.isEmpty() && !kinds.contains(entry.kind())) {
            return false;
        }
        if (source != null && !entry.source().matches(globRegex(source))) {
            return false;
        }
        if (user != null && !entry.user().equals(user)) {
            return false;
        }
        return text == null || entry.message().toLowerCase(java.util.Locale.ROOT)
                .contains(text.toLowerCase(java.util.Locale.ROOT));
    }

    private static String globRegex(String glob) {
        StringBuilder b = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        for (char c : glob.toCharArray()) {
            if (c == '*' || c == '?') {
                if (!literal.isEmpty()) {
                    b.append(java.util.regex.Pattern.quote(literal.toString()));
                    literal.setLength(0);
                }
                b.append(c == '*' ? ".*" : ".");
            } else {
                literal.append(c);
            }
        }
        if (!literal.isEmpty()) {
            b.append(java.util.regex.Pattern.quote(literal.toString()));
        }
        return "(?s)" + b;
    }
}
