package dev.stator.bench;

/**
 * What one phase delivered in its measured window and what it cost.
 *
 * @param name       what ran, for the report
 * @param values     Good readings delivered (driver: into the tag table; raw: decoded into arrays)
 * @param otherValues readings that were not Good (driver only: e.g. stale marks); not counted in {@code values}
 * @param scans      complete scans of a device's registers, summed over devices
 * @param requests   read requests sent, summed over devices
 * @param errors     failed requests, summed over devices
 * @param slowestDeviceScans scans of the device that completed the fewest, to show the connections kept pace
 * @param usage      CPU, allocation, GC and heap of the window
 */
record PhaseResult(String name, long values, long otherValues, long scans, long requests, long errors,
                   long slowestDeviceScans, ResourceMeter.Usage usage) {

    double seconds() {
        return usage.wallNanos() / 1e9;
    }

    double valuesPerSecond() {
        return values / seconds();
    }

    double scansPerSecond() {
        return scans / seconds();
    }

    double requestsPerSecond() {
        return requests / seconds();
    }

    double requestsPerScan() {
        return scans == 0 ? Double.NaN : (double) requests / scans;
    }

    /** Process CPU time per Good value, in microseconds. */
    double cpuMicrosPerValue() {
        return values == 0 ? Double.NaN : usage.cpuNanos() / 1e3 / values;
    }

    /** Process CPU time as a percentage of every core for the window. */
    double cpuPercent() {
        return 100.0 * usage.cpuNanos() / (usage.wallNanos() * (double) ResourceMeter.cores());
    }

    double slaveCpuPercent() {
        return usage.childCpuNanos() < 0 ? Double.NaN
                : 100.0 * usage.childCpuNanos() / (usage.wallNanos() * (double) ResourceMeter.cores());
    }

    double bytesPerValue() {
        return values == 0 ? Double.NaN : (double) usage.allocatedBytes() / values;
    }
}
