package dev.stator.historian;

import java.util.Locale;

/** The three journals the historian keeps beside the samples. */
public enum JournalKind {
    /** Alarm events: an alarm became active, cleared, was acknowledged, shelved... */
    ALARM(1),
    /** What an operator did: writes, acknowledgements, logins, taking a device or tag out of service. */
    OPERATOR(2),
    /** What the system did: devices up and down, the workstation starting and stopping, historian alarms. */
    SYSTEM(3);

    private final int code;

    JournalKind(int code) {
        this.code = code;
    }

    /** The number stored in the database and the write-ahead log. */
    int code() {
        return code;
    }

    static JournalKind ofCode(int code) {
        for (JournalKind k : values()) {
            if (k.code == code) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown journal kind code " + code);
    }

    /**
     * The kind named {@code text}, in any case ({@code alarm}, {@code operator}, {@code system}).
     *
     * @throws IllegalArgumentException naming the text and the known kinds
     */
    public static JournalKind parse(String text) {
        for (JournalKind k : values()) {
            if (k.name().equalsIgnoreCase(text == null ? "" : text.trim())) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown journal kind '" + text + "' (known: alarm, operator, system)");
    }

    /** The name as the command line and exports write it: {@code alarm}, {@code operator}, {@code system}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
