package dev.stator.driver.modbus;

import com.ghgande.j2mod.modbus.msg.ModbusRequest;
import com.ghgande.j2mod.modbus.msg.ModbusResponse;
import com.ghgande.j2mod.modbus.msg.ReadCoilsRequest;
import com.ghgande.j2mod.modbus.msg.ReadCoilsResponse;
import com.ghgande.j2mod.modbus.msg.ReadInputDiscretesRequest;
import com.ghgande.j2mod.modbus.msg.ReadInputDiscretesResponse;
import com.ghgande.j2mod.modbus.msg.ReadInputRegistersRequest;
import com.ghgande.j2mod.modbus.msg.ReadInputRegistersResponse;
import com.ghgande.j2mod.modbus.msg.ReadMultipleRegistersRequest;
import com.ghgande.j2mod.modbus.msg.ReadMultipleRegistersResponse;
import com.ghgande.j2mod.modbus.procimg.InputRegister;
import com.ghgande.j2mod.modbus.util.BitVector;
import dev.stator.driver.api.AddressException;
import dev.stator.driver.api.DataType;
import dev.stator.driver.modbus.ModbusLink.ModbusRequestFailed;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Commissioning access to one Modbus device, for the command line: read any address and see its value decoded in
 * every byte order side by side (to find the right one for a new PLC), and write a value. It uses the same link,
 * decoding and encoding as the driver, so what it shows is what a project will read. Not thread-safe.
 */
public final class ModbusProbe implements AutoCloseable {

    /**
     * One value read: its address, the raw registers (or bit), and the value decoded in each byte order that applies
     * to its type (only {@code abcd} for bits and 16-bit values without a byte swap).
     */
    public record Reading(String address, int[] words, Map<WordOrder, Object> values) {
    }

    private final ModbusLink link;
    private final int unitId;
    private double lastMillis = -1;

    private ModbusProbe(ModbusLink link, int unitId) {
        this.link = link;
        this.unitId = unitId;
    }

    /** A probe over TCP ({@code rtuFraming}: RTU frames over TCP, as transparent serial gateways carry). */
    public static ModbusProbe tcp(String host, int port, int unitId, Duration timeout, boolean rtuFraming) {
        return new ModbusProbe(new TcpLink(host, port, timeout, rtuFraming), unitId);
    }

    /** A probe on a serial line with RTU framing. */
    public static ModbusProbe serial(String port, int baud, int dataBits, String parity, int stopBits, int unitId,
                                     Duration timeout) {
        return new ModbusProbe(new SerialLink(port, baud, dataBits, parity, stopBits, timeout), unitId);
    }

    /** Where the probe goes, e.g. {@code 10.0.0.21:502 unit 1}. */
    public String describe() {
        return link.describe() + " unit " + unitId;
    }

    /** The round trip of the last request in milliseconds, or -1. */
    public double lastMillis() {
        return lastMillis;
    }

    /**
     * Reads {@code count} consecutive values of the address's type, starting at it, in one request.
     *
     * @throws IOException with the failure in words (no answer, exception code, refused connection)
     */
    public List<Reading> read(ModbusAddress first, int count) throws IOException {
        int width = first.count();
        int total = width * count;
        if (total > first.table().maxReadCount()) {
            throw new IOException(count + " values of " + width + " take " + total + ", more than one request can "
                    + "read (" + first.table().maxReadCount() + ")");
        }
        ModbusRequest request = switch (first.table()) {
            case COIL -> new ReadCoilsRequest(first.offset(), total);
            case DISCRETE_INPUT -> new ReadInputDiscretesRequest(first.offset(), total);
            case INPUT_REGISTER -> new ReadInputRegistersRequest(first.offset(), total);
            case HOLDING_REGISTER -> new ReadMultipleRegistersRequest(first.offset(), total);
        };
        request.setUnitID(first.unitOr(unitId));
        ModbusResponse response = execute(request);
        List<Reading> readings = new ArrayList<>();
        if (first.table().isBitTable()) {
            BitVector bits = response instanceof ReadCoilsResponse c ? c.getCoils()
                    : ((ReadInputDiscretesResponse) response).getDiscretes();
            for (int i = 0; i < count; i++) {
                Map<WordOrder, Object> v = new EnumMap<>(WordOrder.class);
                v.put(WordOrder.ABCD, bits.getBit(i));
                readings.add(new Reading(first.table().prefix() + ":" + (first.offset() + i),
                        new int[] {bits.getBit(i) ? 1 : 0}, v));
            }
            return readings;
        }
        InputRegister[] registers = response instanceof ReadInputRegistersResponse r ? r.getRegisters()
                : ((ReadMultipleRegistersResponse) response).getRegisters();
        int[] words = new int[registers.length];
        for (int i = 0; i < words.length; i++) {
            words[i] = registers[i].toUnsignedShort();
        }
        for (int i = 0; i < count; i++) {
            ModbusAddress one = new ModbusAddress(first.unitId(), first.table(), first.offset() + i * width,
                    first.bit(), first.dataType(), first.length(), null);
            Map<WordOrder, Object> v = new EnumMap<>(WordOrder.class);
            for (WordOrder order : applicable(one)) {
                v.put(order, ModbusCodec.decode(one, words, first.offset(), order));
            }
            int[] own = new int[width];
            System.arraycopy(words, i * width, own, 0, width);
            readings.add(new Reading(one.format(), own, v));
        }
        return readings;
    }

    /** The byte orders that change how a value of this address reads. */
    static List<WordOrder> applicable(ModbusAddress a) {
        if (a.bit() >= 0 || a.table().isBitTable()) {
            return List.of(WordOrder.ABCD);
        }
        if (a.dataType() == DataType.STRING || a.dataType().bits() <= 16) {
            return List.of(WordOrder.ABCD, WordOrder.BADC);
        }
        return List.of(WordOrder.values());
    }

    /**
     * Writes {@code value} to {@code address} in {@code order} (FC5/FC6 for one coil or register, FC15/FC16 otherwise,
     * or always FC15/FC16 with {@code forceMultiple}) and reads it back.
     *
     * @throws IllegalArgumentException when the value does not fit the address, before anything is sent
     * @throws IOException              when the device refuses or does not answer
     */
    public Object write(ModbusAddress address, Object value, WordOrder order, boolean forceMultiple)
            throws IOException {
        if (!address.isWritableLocation()) {
            throw new IllegalArgumentException(address.format() + " cannot be written: only coils (coil) and "
                    + "holding registers (hr) can");
        }
        ModbusEndpoint.DeviceSettings settings = new ModbusEndpoint.DeviceSettings(unitId, order, 125, 2000, 0,
                forceMultiple, 0, Duration.ZERO, 0, 3);
        ModbusEndpoint.Device device = new ModbusEndpoint.Device("probe", settings, List.of(), Map.of());
        if (address.bit() >= 0) {
            ReadMultipleRegistersRequest read = new ReadMultipleRegistersRequest(address.offset(), 1);
            read.setUnitID(address.unitOr(unitId));
            int word = ((ReadMultipleRegistersResponse) execute(read)).getRegisterValue(0);
            if (!(value instanceof Boolean on)) {
                throw new IllegalArgumentException("a register bit takes true or false, not '" + value + "'");
            }
            word = on ? word | (1 << address.bit()) : word & ~(1 << address.bit());
            execute(ModbusEndpoint.registerWriteRequest(device, address, new int[] {word & 0xFFFF}));
        } else {
            execute(ModbusEndpoint.writeRequestFor(device, address, value));
        }
        ModbusAddress exact = new ModbusAddress(address.unitId(), address.table(), address.offset(), address.bit(),
                address.dataType(), address.length(), order);
        Reading back = read(exact, 1).get(0);
        return back.values().getOrDefault(order, back.values().get(WordOrder.ABCD));
    }

    private ModbusResponse execute(ModbusRequest request) throws IOException {
        ModbusFailure failure = link.open();
        if (failure != null) {
            throw new IOException(failure.detail());
        }
        long t0 = System.nanoTime();
        try {
            ModbusResponse r = link.execute(request);
            lastMillis = (System.nanoTime() - t0) / 1e6;
            return r;
        } catch (ModbusRequestFailed e) {
            throw new IOException(e.failure().detail());
        }
    }

    /** Parses an address in the grammar, or in conventional notation with a type. */
    public static ModbusAddress address(String text, DataType type) throws AddressException {
        return ModbusAddress.fromConventional(text, type, 0);
    }


    @Override
    public void close() {
        link.close();
    }
}
