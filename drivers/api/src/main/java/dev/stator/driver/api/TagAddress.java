package dev.stator.driver.api;

/**
 * Where a tag lives inside a device, parsed from the protocol's one address grammar by
 * {@link DriverProvider#parseAddress}. Implementations are immutable values owned by their driver.
 */
public interface TagAddress {

    /** The type of the value at this address. */
    DataType dataType();

    /** The canonical text of this address: parsing it again gives an equal address. */
    String format();

    /** Whether the protocol allows writing at this address at all (a Modbus input register does not). */
    boolean isWritableLocation();
}
