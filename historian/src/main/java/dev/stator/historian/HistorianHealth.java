package dev.stator.historian;

/**
 * The state of the history at one moment, for the system alarms of the workstation. Immutable and thread-safe.
 *
 * @param queueDepth         samples waiting in memory to go to the write-ahead log
 * @param bufferedBytes      bytes in the write-ahead log not yet in the database (store and forward)
 * @param droppedSamples     samples lost since opening: the queue was full, the store-and-forward cap was reached,
 *                           or they came after closing
 * @param freeDiskBytes      usable bytes left on the disk of the history (-1 when unknown)
 * @param databaseBytes      the size of the database file
 * @param storeAndForwardFull set when the write-ahead log reached its cap and dropped samples; cleared once the
 *                           backlog is below half the cap
 * @param diskSpaceLow       set while the free disk space is below the configured floor
 * @param droppedJournalEntries journal entries lost since opening: their queue was full, or they came after closing
 */
public record HistorianHealth(int queueDepth, long bufferedBytes, long droppedSamples, long freeDiskBytes,
                              long databaseBytes, boolean storeAndForwardFull, boolean diskSpaceLow,
                              long droppedJournalEntries) {
}
