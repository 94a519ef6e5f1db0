package dev.stator.driver.modbus;

import dev.stator.driver.api.AddressException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ModbusCodecTest {

    @Test
    void float32ReadsAsTheShortestDecimalThatIdentifiesIt() throws AddressException {
        // 2.1f = 0x40066666: as a plain widening it would read 2.0999999046325684.
        assertThat(ModbusCodec.decode(ModbusAddress.parse("ir:0:float32"), new int[] {0x4006, 0x6666}, 0,
                WordOrder.ABCD))
                .isEqualTo(2.1);
    }

    @Test
    void encodingRefusesWhatTheTypeCannotHold() throws AddressException {
        assertThat(ModbusCodec.encode(ModbusAddress.parse("hr:0:float32"), 3.25, WordOrder.ABCD)).containsExactly(0x4050, 0x0000);
        assertThat(ModbusCodec.encode(ModbusAddress.parse("hr:0:int16"), -2L, WordOrder.ABCD)).containsExactly(0xFFFE);
        assertThat(ModbusCodec.encode(ModbusAddress.parse("hr:0:uint32"), 74565L, WordOrder.ABCD)).containsExactly(0x0001, 0x2345);
        assertThatThrownBy(() -> ModbusCodec.encode(ModbusAddress.parse("hr:0:uint16"), 70000L, WordOrder.ABCD))
                .hasMessageContaining("outside the uint16 range 0 to 65535");
        assertThatThrownBy(() -> ModbusCodec.encode(ModbusAddress.parse("hr:0:int16"), 1.5, WordOrder.ABCD))
                .hasMessageContaining("not a whole number");
        assertThatThrownBy(() -> ModbusCodec.encode(ModbusAddress.parse("hr:0:float32"), "high", WordOrder.ABCD))
                .hasMessageContaining("takes a number");
    }
}
