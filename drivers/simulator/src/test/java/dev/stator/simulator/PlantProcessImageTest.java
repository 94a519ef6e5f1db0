package dev.stator.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.ghgande.j2mod.modbus.procimg.DigitalOut;
import com.ghgande.j2mod.modbus.procimg.IllegalAddressException;
import com.ghgande.j2mod.modbus.procimg.InputRegister;
import com.ghgande.j2mod.modbus.procimg.Register;
import org.junit.jupiter.api.Test;

/** The process image on its own, called the way j2mod's request classes call it. */
class PlantProcessImageTest {

    private final PlantModel model = new PlantModel(PlantParameters.DEFAULTS.withoutNoise(), InitialState.DEFAULT, 1L);
    private final PlantProcessImage image = new PlantProcessImage(model, WireImage.encode(model.snapshot(), 0));

    private static WireImage filledWith(float value, int word) {
        int[] words = new int[RegisterMap.IR_COUNT];
        for (int address = 0; address < RegisterMap.IR_P101_STARTS; address += 2) {
            WireImage.putFloat(words, address, value);
        }
        for (int address = RegisterMap.IR_P101_STARTS; address < RegisterMap.IR_COUNT; address++) {
            words[address] = word;
        }
        return new WireImage(words, new boolean[RegisterMap.DI_COUNT]);
    }

    @Test
    void aRangeReadKeepsTheValuesOfOneImageWhateverIsPublishedAfter() {
        image.publish(filledWith(1.5f, 0x1111));

        InputRegister[] read = image.getInputRegisterRange(0, RegisterMap.IR_COUNT);
        image.publish(filledWith(-7.25f, 0x2222));

        assertThat(floatAt(read, RegisterMap.IR_LT101_LEVEL)).isEqualTo(1.5f);
        assertThat(floatAt(read, RegisterMap.IR_P102_RUN_HOURS)).isEqualTo(1.5f);
        assertThat(read[RegisterMap.IR_HEARTBEAT].getValue()).isEqualTo(0x1111);
        InputRegister[] next = image.getInputRegisterRange(RegisterMap.IR_LT101_LEVEL, 2);
        assertThat(floatAt(next, 0)).isEqualTo(-7.25f);
    }

    @Test
    void aMultipleRegisterWriteReachesTheModelOnlyWhenEveryRegisterIsSet() {
        float setpoint = 3.3f;
        Register[] range = image.getRegisterRange(RegisterMap.HR_LIC101_SETPOINT, 2);

        range[0].setValue(RegisterMap.highWord(setpoint));
        assertThat(model.setpoint()).as("half a float is staged, not applied").isEqualTo(2.0);
        range[1].setValue(RegisterMap.lowWord(setpoint));

        assertThat(model.setpoint()).isEqualTo(setpoint);
    }

    @Test
    void aSingleRegisterWriteAppliesAtOnceOverTheOtherWordAsItIs() {
        // 2.0f is 0x4000_0000; writing the high word 0x4040 alone makes 0x4040_0000 = 3.0f.
        Register high = image.getRegister(RegisterMap.HR_LIC101_SETPOINT);

        high.setValue(new byte[] {0x40, 0x40});

        assertThat(model.setpoint()).isEqualTo(3.0);
        assertThat(high.getValue()).as("FC6 echoes the written value").isEqualTo(0x4040);
    }

    @Test
    void holdingRegistersReadTheSetpointAndOutputAsFloat32HighWordFirst() {
        Register[] range = image.getRegisterRange(0, RegisterMap.HR_COUNT);

        assertThat(RegisterMap.toFloat(range[0].getValue(), range[1].getValue())).isEqualTo(2.0f);
        assertThat(RegisterMap.toFloat(range[2].getValue(), range[3].getValue())).isEqualTo(72.5f);
        assertThat(range[0].toBytes()).containsExactly(0x40, 0x00);
    }

    @Test
    void aManualOutputWrittenInAutoIsIgnoredAndTakenInManual() {
        image.writeHoldingRegisters(RegisterMap.HR_LIC101_OUTPUT, words(10f));
        assertThat(model.controllerOutput()).isEqualTo(72.5);

        image.writeCoils(RegisterMap.COIL_LIC101_AUTO, new boolean[] {false});
        image.writeHoldingRegisters(RegisterMap.HR_LIC101_OUTPUT, words(10f));
        assertThat(model.controllerOutput()).isEqualTo(10.0);
    }

    @Test
    void coilsAreStagedUntilTheWholeRangeIsSetAndReservedCoilsIgnoreWrites() {
        DigitalOut[] coils = image.getDigitalOutRange(0, RegisterMap.COIL_COUNT);
        assertThat(coils[RegisterMap.COIL_P101_RUN].isSet()).isTrue();
        assertThat(coils[RegisterMap.COIL_LIC101_AUTO].isSet()).isTrue();

        for (int i = 0; i < coils.length - 1; i++) {
            coils[i].set(true);
        }
        assertThat(model.pumpCommand(Pump.P102)).as("staged until the last coil").isFalse();
        coils[coils.length - 1].set(true);

        assertThat(model.pumpCommand(Pump.P102)).isTrue();
        assertThat(model.unbalanceInjected(Pump.P101)).isTrue();
        assertThat(model.unbalanceInjected(Pump.P102)).isTrue();
        assertThat(image.readCoils()).containsExactly(true, true, true, false, false, false, false, false, true, true);
    }

    @Test
    void everyAddressOutsideTheTablesIsIllegal() {
        assertThatThrownBy(() -> image.getInputRegisterRange(RegisterMap.IR_COUNT, 1))
                .isInstanceOf(IllegalAddressException.class);
        assertThatThrownBy(() -> image.getInputRegisterRange(RegisterMap.IR_COUNT - 1, 2))
                .isInstanceOf(IllegalAddressException.class);
        assertThatThrownBy(() -> image.getInputRegisterRange(-1, 1)).isInstanceOf(IllegalAddressException.class);
        assertThatThrownBy(() -> image.getInputRegisterRange(0, 0)).isInstanceOf(IllegalAddressException.class);
        assertThatThrownBy(() -> image.getDigitalInRange(RegisterMap.DI_COUNT, 1))
                .isInstanceOf(IllegalAddressException.class);
        assertThatThrownBy(() -> image.getDigitalOut(RegisterMap.COIL_COUNT))
                .isInstanceOf(IllegalAddressException.class);
        assertThatThrownBy(() -> image.getRegister(RegisterMap.HR_COUNT)).isInstanceOf(IllegalAddressException.class);
        assertThatThrownBy(() -> image.getRegisterRange(3, 2)).isInstanceOf(IllegalAddressException.class);
        assertThatThrownBy(() -> image.getFile(0)).isInstanceOf(IllegalAddressException.class);
        assertThatThrownBy(() -> image.getFIFOByAddress(0)).isInstanceOf(IllegalAddressException.class);
        assertThat(image.getInputRegister(RegisterMap.IR_HEARTBEAT)).isNotNull();
    }

    @Test
    void ambientIsSignedTenthsOfADegree() {
        PlantSnapshot truth = model.snapshot();
        PlantSnapshot cold = new PlantSnapshot(0, 1, 0, 0, 0, 0, 0, true, 2, 0, false, false, -12.34,
                truth.p101(), truth.p102());

        WireImage wire = WireImage.encode(cold, 70000);

        assertThat((short) wire.inputRegister(RegisterMap.IR_TT100_AMBIENT)).isEqualTo((short) -123);
        assertThat(wire.inputRegister(RegisterMap.IR_HEARTBEAT)).isEqualTo(70000 & 0xFFFF);
    }

    private static float floatAt(InputRegister[] words, int address) {
        return RegisterMap.toFloat(words[address].getValue(), words[address + 1].getValue());
    }

    private static int[] words(float value) {
        return new int[] {RegisterMap.highWord(value), RegisterMap.lowWord(value)};
    }
}
