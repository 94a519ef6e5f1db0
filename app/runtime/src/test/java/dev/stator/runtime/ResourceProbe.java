package dev.stator.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** What a JVM holds that a clean stop must give back: live threads and open sockets. */
final class ResourceProbe {

    private ResourceProbe() {
    }

    /** Names and ids of live threads, e.g. {@code stator-modbus-link#42}. */
    static Set<String> threads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
                .map(t -> t.getName() + "#" + t.getId()).collect(Collectors.toCollection(TreeSet::new));
    }

    /** Open socket file descriptors of this process (Linux), or -1 where that cannot be read. */
    static long sockets() {
        Path fds = Path.of("/proc/self/fd");
        if (!Files.isDirectory(fds)) {
            return -1;
        }
        try (Stream<Path> s = Files.list(fds)) {
            return s.filter(p -> {
                try {
                    return Files.readSymbolicLink(p).toString().startsWith("socket:");
                } catch (IOException e) {
                    return false; // closed while listing
                }
            }).count();
        } catch (IOException e) {
            return -1;
        }
    }

    /** Waits (bounded) until no thread beyond {@code baseline} is alive; returns the extra ones left. */
    static Set<String> extraThreadsAfter(Set<String> baseline, long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        Set<String> extra;
        do {
            extra = new TreeSet<>(threads());
            extra.removeAll(baseline);
            if (extra.isEmpty()) {
                return extra;
            }
            Thread.sleep(50);
        } while (System.currentTimeMillis() < deadline);
        return extra;
    }

    /** Waits (bounded) until at most {@code baseline} sockets are open; returns the count then. */
    static long socketsAfter(long baseline, long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        long n;
        do {
            n = sockets();
            if (n <= baseline) {
                return n;
            }
            Thread.sleep(50);
        } while (System.currentTimeMillis() < deadline);
        return n;
    }
}
