package dev.stator.historian;

/** Sizes the historian keeps to, and cutting text to them. */
final class Limits {

    static final int MAX_TAG_LENGTH = 1_000;
    /** Longer text values are cut: a historian keeps readings, not documents. */
    static final int MAX_TEXT_LENGTH = 100_000;
    static final int MAX_DETAIL_LENGTH = 1_000;

    private Limits() {
    }

    static String cut(String text, int max) {
        if (text == null || text.length() <= max) {
            return text;
        }
        // Never split a surrogate pair.
        int end = Character.isHighSurrogate(text.charAt(max - 1)) ? max - 1 : max;
        return text.substring(0, end);
    }
}
