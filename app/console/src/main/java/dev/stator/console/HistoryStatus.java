package dev.stator.console;

import dev.stator.historian.Historian;
import dev.stator.historian.HistorianHealth;
import dev.stator.runtime.ValueFormat;
import java.util.Locale;

/**
 * What the console shows about the history: a summary for the status bar, whether writing has fallen behind, and the
 * system alarm (or {@code null}) when history is being lost or about to be: free disk space below the floor, the
 * store-and-forward buffer full, samples dropped, the database failing.
 */
record HistoryStatus(String summary, boolean behind, String alarm) {

    /** A backlog above this much is shown as writing behind (a few seconds of a large plant's samples). */
    static final long BEHIND_BYTES = 16L << 20;

    static HistoryStatus of(HistorianHealth health, long written, Historian.WriteError recentError) {
        StringBuilder summary = new StringBuilder("History ").append(ValueFormat.bytes(health.databaseBytes()))
                .append(String.format(Locale.ROOT, " · %,d samples recorded", written));
        boolean behind = health.bufferedBytes() > BEHIND_BYTES;
        if (behind) {
            summary.append(" · ").append(ValueFormat.bytes(health.bufferedBytes())).append(" waiting to be written");
        }
        if (health.droppedSamples() > 0) {
            summary.append(String.format(Locale.ROOT, " · %,d dropped", health.droppedSamples()));
        }
        String alarm = null;
        if (health.diskSpaceLow()) {
            alarm = "Disk space low for history: " + ValueFormat.bytes(health.freeDiskBytes()) + " free";
        } else if (health.storeAndForwardFull()) {
            alarm = String.format(Locale.ROOT, "History buffer full: %,d samples dropped", health.droppedSamples());
        } else if (recentError != null) {
            alarm = "History database error: " + recentError.message();
        } else if (health.droppedSamples() > 0) {
            alarm = String.format(Locale.ROOT, "History lost %,d samples", health.droppedSamples());
        }
        return new HistoryStatus(summary.toString(), behind, alarm);
    }
}
