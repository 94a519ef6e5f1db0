package dev.stator.simulator;

import static dev.stator.simulator.RegisterMap.COIL_COUNT;
import static dev.stator.simulator.RegisterMap.DI_COUNT;
import static dev.stator.simulator.RegisterMap.HR_COUNT;
import static dev.stator.simulator.RegisterMap.IR_COUNT;

import com.ghgande.j2mod.modbus.procimg.DigitalIn;
import com.ghgande.j2mod.modbus.procimg.DigitalOut;
import com.ghgande.j2mod.modbus.procimg.FIFO;
import com.ghgande.j2mod.modbus.procimg.File;
import com.ghgande.j2mod.modbus.procimg.IllegalAddressException;
import com.ghgande.j2mod.modbus.procimg.InputRegister;
import com.ghgande.j2mod.modbus.procimg.ProcessImage;
import com.ghgande.j2mod.modbus.procimg.Register;
import com.ghgande.j2mod.modbus.procimg.SimpleDigitalIn;
import com.ghgande.j2mod.modbus.procimg.SimpleInputRegister;
import java.util.Arrays;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Modbus face of the plant, built so that no request ever sees or makes a half-written float.
 *
 * <p>j2mod asks the process image once per request for a range of register objects, then reads or writes them one by
 * one. So:
 * <ul>
 *   <li>Input registers and discrete inputs come from an immutable {@link WireImage} that the plant thread swaps in
 *       once per step; a range read copies its values out of ONE image into fresh register objects.</li>
 *   <li>A holding register or coil range copies the current values (under the model lock) and stages the writes;
 *       when every member of the range has been written, the whole range is applied to the model at once under the
 *       model lock. An FC16 float32 setpoint is therefore never seen half-written by the simulation. A float written
 *       one register at a time (two FC6) is applied one word at a time: that is not atomic, as on a real PLC.</li>
 * </ul>
 *
 * <p>Called by j2mod's connection handler threads (one per client connection) and, for {@link #publish}, by the plant
 * thread; {@link PlantSimulator}'s command setters go through {@link #writeCoils} and {@link #writeHoldingRegisters}
 * too, so they act exactly like a Modbus write. The model object is the lock.
 */
final class PlantProcessImage implements ProcessImage {

    private static final Logger log = LoggerFactory.getLogger(PlantProcessImage.class);

    private final PlantModel model;
    private volatile WireImage published;
    private volatile boolean closed;

    PlantProcessImage(PlantModel model, WireImage first) {
        this.model = Objects.requireNonNull(model, "model");
        this.published = Objects.requireNonNull(first, "first");
    }

    /**
     * Stops serving: every later request fails inside j2mod's connection handler, which then closes that client's
     * connection. j2mod offers no other way to drop connected clients, and a stopped PLC must look stopped to them.
     * Any thread.
     */
    void close() {
        closed = true;
    }

    /** Makes {@code image} the one every later read sees. Plant thread (tests: any thread). */
    void publish(WireImage image) {
        published = Objects.requireNonNull(image, "image");
    }

    // ---- Input registers and discrete inputs: one published image per request.

    @Override
    public InputRegister[] getInputRegisterRange(int offset, int count) {
        checkRange("input register", offset, count, IR_COUNT);
        WireImage image = published;
        InputRegister[] registers = new InputRegister[count];
        for (int i = 0; i < count; i++) {
            registers[i] = new SimpleInputRegister(image.inputRegister(offset + i));
        }
        return registers;
    }

    @Override
    public InputRegister getInputRegister(int ref) {
        return getInputRegisterRange(ref, 1)[0];
    }

    @Override
    public int getInputRegisterCount() {
        return IR_COUNT;
    }

    @Override
    public DigitalIn[] getDigitalInRange(int offset, int count) {
        checkRange("discrete input", offset, count, DI_COUNT);
        WireImage image = published;
        DigitalIn[] inputs = new DigitalIn[count];
        for (int i = 0; i < count; i++) {
            inputs[i] = new SimpleDigitalIn(image.discreteInput(offset + i));
        }
        return inputs;
    }

    @Override
    public DigitalIn getDigitalIn(int ref) {
        return getDigitalInRange(ref, 1)[0];
    }

    @Override
    public int getDigitalInCount() {
        return DI_COUNT;
    }

    // ---- Coils and holding registers: read under the lock, writes staged and applied as one.

    @Override
    public DigitalOut[] getDigitalOutRange(int offset, int count) {
        checkRange("coil", offset, count, COIL_COUNT);
        boolean[] values = new boolean[count];
        System.arraycopy(readCoils(), offset, values, 0, count);
        return new CoilRange(offset, values).coils();
    }

    @Override
    public DigitalOut getDigitalOut(int ref) {
        return getDigitalOutRange(ref, 1)[0];
    }

    @Override
    public int getDigitalOutCount() {
        return COIL_COUNT;
    }

    @Override
    public Register[] getRegisterRange(int offset, int count) {
        checkRange("holding register", offset, count, HR_COUNT);
        int[] words = new int[count];
        System.arraycopy(readHoldingRegisters(), offset, words, 0, count);
        return new HoldingRange(offset, words).registers();
    }

    @Override
    public Register getRegister(int ref) {
        return getRegisterRange(ref, 1)[0];
    }

    @Override
    public int getRegisterCount() {
        return HR_COUNT;
    }

    // ---- No files, no FIFOs.

    @Override
    public File getFile(int ref) {
        throw new IllegalAddressException("no file records in this plant");
    }

    @Override
    public File getFileByNumber(int ref) {
        throw new IllegalAddressException("no file records in this plant");
    }

    @Override
    public int getFileCount() {
        return 0;
    }

    @Override
    public FIFO getFIFO(int ref) {
        throw new IllegalAddressException("no FIFO queues in this plant");
    }

    @Override
    public FIFO getFIFOByAddress(int ref) {
        throw new IllegalAddressException("no FIFO queues in this plant");
    }

    @Override
    public int getFIFOCount() {
        return 0;
    }

    // ---- The coil and holding register tables against the model.

    /** All {@link RegisterMap#COIL_COUNT} coils, read in one go; reserved coils read false. */
    boolean[] readCoils() {
        boolean[] coils = new boolean[COIL_COUNT];
        synchronized (model) {
            coils[RegisterMap.COIL_P101_RUN] = model.pumpCommand(Pump.P101);
            coils[RegisterMap.COIL_P102_RUN] = model.pumpCommand(Pump.P102);
            coils[RegisterMap.COIL_LIC101_AUTO] = model.controllerAuto();
            coils[RegisterMap.COIL_P101_UNBALANCE] = model.unbalanceInjected(Pump.P101);
            coils[RegisterMap.COIL_P102_UNBALANCE] = model.unbalanceInjected(Pump.P102);
        }
        return coils;
    }

    /** Applies coils {@code offset..offset+values.length-1} in one go; writes to reserved coils are ignored. */
    void writeCoils(int offset, boolean[] values) {
        checkRange("coil", offset, values.length, COIL_COUNT);
        synchronized (model) {
            for (int i = 0; i < values.length; i++) {
                boolean value = values[i];
                switch (offset + i) {
                    case RegisterMap.COIL_P101_RUN -> model.setPumpCommand(Pump.P101, value);
                    case RegisterMap.COIL_P102_RUN -> model.setPumpCommand(Pump.P102, value);
                    case RegisterMap.COIL_LIC101_AUTO -> model.setControllerAuto(value);
                    case RegisterMap.COIL_P101_UNBALANCE -> model.setUnbalanceInjected(Pump.P101, value);
                    case RegisterMap.COIL_P102_UNBALANCE -> model.setUnbalanceInjected(Pump.P102, value);
                    default -> {
                        // Reserved coil: nothing behind it.
                    }
                }
            }
        }
        if (log.isDebugEnabled()) {
            log.debug("coils {}..{} written: {}", offset, offset + values.length - 1, Arrays.toString(values));
        }
    }

    /** All {@link RegisterMap#HR_COUNT} holding registers as unsigned words, read in one go. */
    int[] readHoldingRegisters() {
        float setpoint;
        float output;
        synchronized (model) {
            setpoint = (float) model.setpoint();
            output = (float) model.controllerOutput();
        }
        int[] words = new int[HR_COUNT];
        WireImage.putFloat(words, RegisterMap.HR_LIC101_SETPOINT, setpoint);
        WireImage.putFloat(words, RegisterMap.HR_LIC101_OUTPUT, output);
        return words;
    }

    /**
     * Applies holding registers {@code offset..offset+words.length-1} in one go under the model lock. A float of which
     * only one word is written is completed with its other word as it is now.
     */
    void writeHoldingRegisters(int offset, int[] words) {
        checkRange("holding register", offset, words.length, HR_COUNT);
        synchronized (model) {
            int[] table = new int[HR_COUNT];
            WireImage.putFloat(table, RegisterMap.HR_LIC101_SETPOINT, (float) model.setpoint());
            WireImage.putFloat(table, RegisterMap.HR_LIC101_OUTPUT, (float) model.controllerOutput());
            for (int i = 0; i < words.length; i++) {
                table[offset + i] = words[i] & 0xFFFF;
            }
            if (touches(offset, words.length, RegisterMap.HR_LIC101_SETPOINT)) {
                float requested = floatAt(table, RegisterMap.HR_LIC101_SETPOINT);
                double inForce = model.setSetpoint(requested);
                log.debug("LIC-101 setpoint written: {} m, in force {} m", requested, inForce);
            }
            if (touches(offset, words.length, RegisterMap.HR_LIC101_OUTPUT)) {
                float requested = floatAt(table, RegisterMap.HR_LIC101_OUTPUT);
                boolean taken = model.setManualOutput(requested);
                log.debug("LIC-101 output written: {} %, {}", requested, taken ? "taken" : "ignored (auto or NaN)");
            }
        }
    }

    private static float floatAt(int[] table, int address) {
        return RegisterMap.toFloat(table[address], table[address + 1]);
    }

    private static boolean touches(int offset, int count, int floatAddress) {
        return offset < floatAddress + 2 && floatAddress < offset + count;
    }

    private void checkRange(String table, int offset, int count, int size) {
        if (closed) {
            throw new IllegalStateException("the simulator has stopped");
        }
        if (offset < 0 || count < 1 || offset > size - count) {
            throw new IllegalAddressException(table + " range " + offset + " count " + count
                    + " is outside the table of " + size);
        }
    }

    /** The holding registers of one request: reads show the values copied at the request, writes are staged. */
    private final class HoldingRange {
        private final int offset;
        private final int[] words;
        private final boolean[] written;
        private int pending;

        HoldingRange(int offset, int[] words) {
            this.offset = offset;
            this.words = words;
            this.written = new boolean[words.length];
            this.pending = words.length;
        }

        Register[] registers() {
            Register[] registers = new Register[words.length];
            for (int i = 0; i < registers.length; i++) {
                registers[i] = new StagedRegister(this, i);
            }
            return registers;
        }

        synchronized int get(int index) {
            return words[index];
        }

        void set(int index, int value) {
            int[] complete;
            synchronized (this) {
                words[index] = value & 0xFFFF;
                if (!written[index]) {
                    written[index] = true;
                    pending--;
                }
                complete = pending == 0 ? words.clone() : null;
            }
            if (complete != null) {
                writeHoldingRegisters(offset, complete);
            }
        }
    }

    /** One holding register of a {@link HoldingRange}. */
    private static final class StagedRegister implements Register {
        private final HoldingRange range;
        private final int index;

        StagedRegister(HoldingRange range, int index) {
            this.range = range;
            this.index = index;
        }

        @Override
        public int getValue() {
            return range.get(index);
        }

        @Override
        public int toUnsignedShort() {
            return range.get(index);
        }

        @Override
        public short toShort() {
            return (short) range.get(index);
        }

        @Override
        public byte[] toBytes() {
            int value = range.get(index);
            return new byte[] {(byte) (value >>> 8), (byte) value};
        }

        @Override
        public void setValue(int value) {
            range.set(index, value);
        }

        @Override
        public void setValue(short value) {
            range.set(index, value);
        }

        @Override
        public void setValue(byte[] bytes) {
            if (bytes == null || bytes.length < 2) {
                throw new IllegalArgumentException("a register takes two bytes");
            }
            range.set(index, ((bytes[0] & 0xFF) << 8) | (bytes[1] & 0xFF));
        }

        @Override
        public String toString() {
            return Integer.toString(getValue());
        }
    }

    /** The coils of one request: reads show the values copied at the request, writes are staged. */
    private final class CoilRange {
        private final int offset;
        private final boolean[] values;
        private final boolean[] written;
        private int pending;

        CoilRange(int offset, boolean[] values) {
            this.offset = offset;
            this.values = values;
            this.written = new boolean[values.length];
            this.pending = values.length;
        }

        DigitalOut[] coils() {
            DigitalOut[] coils = new DigitalOut[values.length];
            for (int i = 0; i < coils.length; i++) {
                int index = i;
                coils[i] = new DigitalOut() {
                    @Override
                    public boolean isSet() {
                        return get(index);
                    }

                    @Override
                    public void set(boolean value) {
                        CoilRange.this.set(index, value);
                    }
                };
            }
            return coils;
        }

        synchronized boolean get(int index) {
            return values[index];
        }

        void set(int index, boolean value) {
            boolean[] complete;
            synchronized (this) {
                values[index] = value;
                if (!written[index]) {
                    written[index] = true;
                    pending--;
                }
                complete = pending == 0 ? values.clone() : null;
            }
            if (complete != null) {
                writeCoils(offset, complete);
            }
        }
    }
}
