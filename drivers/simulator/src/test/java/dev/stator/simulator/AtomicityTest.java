package dev.stator.simulator;

import static dev.stator.simulator.SimTesting.connect;
import static dev.stator.simulator.SimTesting.startSimulator;
import static org.assertj.core.api.Assertions.assertThat;

import com.ghgande.j2mod.modbus.facade.ModbusTCPMaster;
import com.ghgande.j2mod.modbus.procimg.InputRegister;
import com.ghgande.j2mod.modbus.procimg.Register;
import com.ghgande.j2mod.modbus.procimg.SimpleRegister;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * No reader ever decodes half of one float and half of another: FC4 reads against a publisher swapping images as
 * fast as it can, and FC16 setpoint writes against an observer of the model. The two values differ in both words, so
 * any tear decodes to a third value.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AtomicityTest {

    private static final int UNIT = 1;
    private static final int ITERATIONS = 3000;

    @Test
    void inputRegisterReadsNeverMixTwoScans() throws Exception {
        float a = 1234.5678f;
        float b = -0.000123f;
        assertThat(RegisterMap.highWord(a)).isNotEqualTo(RegisterMap.highWord(b));
        assertThat(RegisterMap.lowWord(a)).isNotEqualTo(RegisterMap.lowWord(b));
        int[] wordsA = image(a, 0x1111);
        int[] wordsB = image(b, 0xEEEE);
        WireImage imageA = new WireImage(wordsA.clone(), new boolean[RegisterMap.DI_COUNT]);
        WireImage imageB = new WireImage(wordsB.clone(), new boolean[RegisterMap.DI_COUNT]);

        PlantModel model = new PlantModel(PlantParameters.DEFAULTS, InitialState.DEFAULT, 1L);
        PlantProcessImage processImage = new PlantProcessImage(model, imageA);
        AtomicBoolean publishing = new AtomicBoolean(true);
        AtomicLong swaps = new AtomicLong();
        Thread publisher = new Thread(() -> {
            while (publishing.get()) {
                processImage.publish(imageB);
                processImage.publish(imageA);
                swaps.addAndGet(2);
            }
        }, "test-publisher");

        int sawA = 0;
        int sawB = 0;
        try (ModbusTcpServer server = openOnFreePort(processImage)) {
            publisher.start();
            ModbusTCPMaster master = connect(server.port());
            try {
                for (int i = 0; i < ITERATIONS; i++) {
                    int[] read = values(master.readInputRegisters(UNIT, 0, RegisterMap.IR_COUNT));
                    if (Arrays.equals(read, wordsA)) {
                        sawA++;
                    } else if (Arrays.equals(read, wordsB)) {
                        sawB++;
                    } else {
                        throw new AssertionError("read " + i + " mixes two scans: " + Arrays.toString(read));
                    }
                }
            } finally {
                master.disconnect();
            }
        } finally {
            publishing.set(false);
            publisher.join(5000);
        }

        assertThat(swaps.get()).as("the publisher really raced the reads").isGreaterThan(ITERATIONS);
        assertThat(sawA).isPositive();
        assertThat(sawB).isPositive();
    }

    @Test
    void setpointWritesNeverReachTheModelHalfWritten() throws Exception {
        float a = 0.75f;
        float b = 3.3f;
        assertThat(RegisterMap.highWord(a)).isNotEqualTo(RegisterMap.highWord(b));
        assertThat(RegisterMap.lowWord(a)).isNotEqualTo(RegisterMap.lowWord(b));
        Register[] writeA = {new SimpleRegister(RegisterMap.highWord(a)), new SimpleRegister(RegisterMap.lowWord(a))};
        Register[] writeB = {new SimpleRegister(RegisterMap.highWord(b)), new SimpleRegister(RegisterMap.lowWord(b))};

        Set<Double> seen = ConcurrentHashMap.newKeySet();
        AtomicBoolean writing = new AtomicBoolean(true);
        try (PlantSimulator sim = startSimulator(builder -> builder.timeScale(10))) {
            Thread observer = new Thread(() -> {
                while (writing.get()) {
                    seen.add(sim.snapshot().setpoint());
                }
            }, "test-observer");
            observer.start();
            ModbusTCPMaster master = connect(sim.modbusPort());
            try {
                for (int i = 0; i < ITERATIONS; i++) {
                    master.writeMultipleRegisters(UNIT, RegisterMap.HR_LIC101_SETPOINT, i % 2 == 0 ? writeA : writeB);
                }
            } finally {
                writing.set(false);
                observer.join(5000);
                master.disconnect();
            }
        }

        assertThat(seen).as("never a value made of one old and one new register").isSubsetOf(2.0, (double) a,
                (double) b);
        assertThat(seen).contains((double) a, (double) b);
    }

    private static ModbusTcpServer openOnFreePort(PlantProcessImage processImage) throws Exception {
        Exception last = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            try {
                return ModbusTcpServer.open(InetAddress.getByName(SimTesting.LOOPBACK), SimTesting.freePort(), UNIT,
                        2, processImage, "stator-sim-modbus-test");
            } catch (java.io.IOException e) {
                last = e;
            }
        }
        throw last;
    }

    private static int[] image(float value, int word) {
        int[] words = new int[RegisterMap.IR_COUNT];
        for (int address = 0; address < RegisterMap.IR_P101_STARTS; address += 2) {
            WireImage.putFloat(words, address, value);
        }
        for (int address = RegisterMap.IR_P101_STARTS; address < RegisterMap.IR_COUNT; address++) {
            words[address] = word;
        }
        return words;
    }

    private static int[] values(InputRegister[] registers) {
        int[] values = new int[registers.length];
        for (int i = 0; i < registers.length; i++) {
            values[i] = registers[i].getValue();
        }
        return values;
    }
}
