package dev.stator.bench;

/**
 * What one client delivered in its measured window at one point of the OPC UA benchmark, and what it cost.
 *
 * @param name          what ran, for the report
 * @param items         variables changing on the server, each one monitored item
 * @param latency       Good notifications of the window, and their latency from the server's change (source
 *                      timestamp) to the tag table (driver) or to the data-change listener (raw)
 * @param otherValues   notifications that were not Good, in the window
 * @param usage         CPU of both JVMs, allocation, GC and heap of the window
 * @param serverChanges variable changes the server made in the window
 * @param setupSeconds  from opening the client to every item's first Good value (connect, subscribe)
 * @param itemsWrong    items whose last value belongs to another variable, or is not Good, after the window
 * @param itemsStale    items with no value changed during the window
 */
record OpcUaPhaseResult(String name, int items, LatencyHistogram.Snapshot latency, long otherValues,
                        ResourceMeter.Usage usage, long serverChanges, double setupSeconds, int itemsWrong,
                        int itemsStale) {

    double seconds() {
        return usage.wallNanos() / 1e9;
    }

    long notifications() {
        return latency.count();
    }

    double notificationsPerSecond() {
        return notifications() / seconds();
    }

    double serverChangesPerSecond() {
        return serverChanges / seconds();
    }

    /** Process CPU time as a percentage of every core for the window. */
    double cpuPercent() {
        return 100.0 * usage.cpuNanos() / (usage.wallNanos() * (double) ResourceMeter.cores());
    }

    double serverCpuPercent() {
        return usage.childCpuNanos() < 0 ? Double.NaN
                : 100.0 * usage.childCpuNanos() / (usage.wallNanos() * (double) ResourceMeter.cores());
    }

    /** Process CPU time of this JVM per Good notification, in microseconds. */
    double cpuMicrosPerNotification() {
        return notifications() == 0 ? Double.NaN : usage.cpuNanos() / 1e3 / notifications();
    }

    double bytesPerNotification() {
        return notifications() == 0 ? Double.NaN : (double) usage.allocatedBytes() / notifications();
    }

    /** Whether every item delivered the right values throughout: the figures are valid. */
    boolean sound() {
        return notifications() > 0 && itemsWrong == 0 && itemsStale == 0 && latency.negative() == 0;
    }
}
