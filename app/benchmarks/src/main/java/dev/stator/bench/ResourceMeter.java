package dev.stator.bench;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * What a measured window cost this JVM and the other side's JVM (the slaves, the server): process CPU time
 * (OperatingSystemMXBean), bytes allocated by this JVM's threads (ThreadMXBean), garbage collections, and the heap
 * still in use after a full collection at the end of the window, while the phase is still running.
 */
final class ResourceMeter {

    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    /** The cost of one window. Nanoseconds and bytes; {@code childCpuNanos} is -1 when unknown. */
    record Usage(long wallNanos, long cpuNanos, long childCpuNanos, long allocatedBytes, long gcCount, long gcMillis,
                 long heapAfterGcBytes) {
    }

    private final LongSupplier childCpuNanos;
    private long wall0;
    private long cpu0;
    private long childCpu0;
    private long gcCount0;
    private long gcMillis0;
    private final Map<Long, Long> allocated0 = new HashMap<>();

    /** @param childCpuNanos CPU time used so far by the other side's JVM, in nanoseconds; -1 when unknown */
    ResourceMeter(LongSupplier childCpuNanos) {
        this.childCpuNanos = childCpuNanos;
    }

    /** Starts the window. */
    void start() {
        allocated0.clear();
        long[] ids = THREADS.getAllThreadIds();
        long[] bytes = THREADS.getThreadAllocatedBytes(ids);
        for (int i = 0; i < ids.length; i++) {
            allocated0.put(ids[i], bytes[i]);
        }
        gcCount0 = gcCount();
        gcMillis0 = gcMillis();
        childCpu0 = childCpuNanos.getAsLong();
        cpu0 = OS.getProcessCpuTime();
        wall0 = System.nanoTime();
    }

    /** Ends the window, then collects garbage to see what the running phase keeps. */
    Usage stop() {
        long wall = System.nanoTime() - wall0;
        long cpu = OS.getProcessCpuTime() - cpu0;
        long childNow = childCpuNanos.getAsLong();
        long childCpu = childNow < 0 || childCpu0 < 0 ? -1 : childNow - childCpu0;
        long[] ids = THREADS.getAllThreadIds();
        long[] bytes = THREADS.getThreadAllocatedBytes(ids);
        long allocated = 0;
        for (int i = 0; i < ids.length; i++) {
            Long before = allocated0.get(ids[i]);
            if (bytes[i] >= 0) {
                // A thread that started inside the window counts from zero.
                allocated += bytes[i] - (before == null || before < 0 ? 0 : before);
            }
        }
        long gcs = gcCount() - gcCount0;
        long gcTime = gcMillis() - gcMillis0;
        System.gc();
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        return new Usage(wall, cpu, childCpu, allocated, gcs, gcTime, heap);
    }

    private static long gcCount() {
        long n = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            n += Math.max(0, gc.getCollectionCount());
        }
        return n;
    }

    private static long gcMillis() {
        long n = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            n += Math.max(0, gc.getCollectionTime());
        }
        return n;
    }

    static int cores() {
        return Runtime.getRuntime().availableProcessors();
    }
}
