package dev.stator.hmi.widgets;

import java.util.Locale;

/** The text a widget shows for its value, with the quality rules applied in one place. */
final class ValueText {

    /** Shown instead of a value when there is none. */
    static final String NONE = "\u2014";
    static final String STALE_SUFFIX = " (stale)";
    private static final int MAX_DECIMALS = 9;

    private ValueText() {
    }

    /** {@code value} with {@code decimals} digits after the point (a '.', as everywhere in Stator) and units. */
    static String number(double value, int decimals, String units) {
        int d = Math.max(0, Math.min(MAX_DECIMALS, decimals));
        String s = String.format(Locale.ROOT, "%." + d + "f", value);
        // A reading of -0.004 shown with two decimals is zero, not "-0.00".
        if (s.startsWith("-") && s.chars().noneMatch(c -> c >= '1' && c <= '9')) {
            s = s.substring(1);
        }
        return units == null || units.isBlank() ? s : s + " " + units;
    }

    /** What {@code widget} shows: {@code formatted}, the same with "(stale)" when Bad, or "—" with nothing to show. */
    static String shown(QualityWidget widget, String formatted) {
        if (!widget.showsValue()) {
            return NONE;
        }
        return widget.isStale() ? formatted + STALE_SUFFIX : formatted;
    }
}
