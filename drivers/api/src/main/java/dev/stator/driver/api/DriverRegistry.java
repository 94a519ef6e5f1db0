package dev.stator.driver.api;

import java.util.Collections;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * The drivers on the class path, by protocol name. Two providers claiming one protocol is a packaging error and is
 * reported at once rather than resolved by class path order.
 */
public final class DriverRegistry {

    private final Map<String, DriverProvider> byProtocol;

    private DriverRegistry(Map<String, DriverProvider> byProtocol) {
        this.byProtocol = Collections.unmodifiableMap(byProtocol);
    }

    /** Finds the providers with {@link ServiceLoader} in the given class loader. */
    public static DriverRegistry load(ClassLoader loader) {
        return of(ServiceLoader.load(DriverProvider.class, loader));
    }

    /** A registry of the given providers. */
    public static DriverRegistry of(Iterable<? extends DriverProvider> providers) {
        Map<String, DriverProvider> map = new TreeMap<>();
        for (DriverProvider provider : providers) {
            for (String protocol : provider.protocols()) {
                DriverProvider previous = map.putIfAbsent(protocol, provider);
                if (previous != null) {
                    throw new IllegalStateException("two drivers claim protocol '" + protocol + "': "
                            + previous.getClass().getName() + " and " + provider.getClass().getName());
                }
            }
        }
        return new DriverRegistry(map);
    }

    /** The provider for {@code protocol}, or {@code null}. */
    public DriverProvider provider(String protocol) {
        return byProtocol.get(protocol);
    }

    /** The protocol names known, sorted. */
    public Iterable<String> protocols() {
        return byProtocol.keySet();
    }
}
