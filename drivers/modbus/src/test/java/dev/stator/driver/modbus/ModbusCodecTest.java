package dev.stator.driver.modbus;

import dev.stator.driver.api.AddressException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ModbusCodecTest {

    @Test
    void float32ReadsAsExactlyTheSameValue() throws AddressException {
        // 2.1f = 0x40066666 is 2.0999999046325684: kept exact (it compresses and compares as what the PLC holds);
        // text outputs show it with the float's own digits, 2.1.
        assertThat(ModbusCodec.decode(ModbusAddress.parse("ir:0:float32"), new int[] {0x4006, 0x6666}, 0,
                WordOrder.ABCD)).isEqualTo((double) 2.1f);
    }

    @Test
    void encodingWritesEveryOrderAndRefusesWhatTheTypeCannotHold() throws AddressException {
        assertThat(ModbusCodec.encode(ModbusAddress.parse("hr:0:float32"), 3.25, WordOrder.ABCD))
                .containsExactly(0x4050, 0x0000);
        assertThat(ModbusCodec.encode(ModbusAddress.parse("hr:0:float32"), 3.25, WordOrder.DCBA))
                .containsExactly(0x0000, 0x5040);
        assertThat(ModbusCodec.encode(ModbusAddress.parse("hr:0:float64:cdab"), Math.PI, WordOrder.ABCD))
                .containsExactly(0x2D18, 0x5444, 0x21FB, 0x4009);
        assertThat(ModbusCodec.encode(ModbusAddress.parse("hr:0:int16"), -2L, WordOrder.ABCD))
                .containsExactly(0xFFFE);
        assertThat(ModbusCodec.encode(ModbusAddress.parse("hr:0:uint32"), 74565L, WordOrder.ABCD))
                .containsExactly(0x0001, 0x2345);
        assertThat(ModbusCodec.encode(ModbusAddress.parse("hr:0:string[5]"), "ABC", WordOrder.BADC))
                .containsExactly(0x4241, 0x0043, 0x0000);
        assertThatThrownBy(() -> ModbusCodec.encode(ModbusAddress.parse("hr:0:uint16"), 70000L, WordOrder.ABCD))
                .hasMessageContaining("outside the uint16 range 0 to 65535");
        assertThatThrownBy(() -> ModbusCodec.encode(ModbusAddress.parse("hr:0:int16"), 1.5, WordOrder.ABCD))
                .hasMessageContaining("not a whole number");
        assertThatThrownBy(() -> ModbusCodec.encode(ModbusAddress.parse("hr:0:float32"), "high", WordOrder.ABCD))
                .hasMessageContaining("takes a number");
        assertThatThrownBy(() -> ModbusCodec.encode(ModbusAddress.parse("hr:0:string[2]"), "ABC", WordOrder.ABCD))
                .hasMessageContaining("holds 2");
    }

    @Test
    void decodingThenEncodingGivesTheSameRegistersInEveryOrder() throws AddressException {
        int[] words = {0x4049, 0x0FDB, 0x1234, 0x5678};
        for (WordOrder order : WordOrder.values()) {
            ModbusAddress a = ModbusAddress.parse("hr:0:float64");
            Object v = ModbusCodec.decode(a, words, 0, order);
            assertThat(ModbusCodec.encode(a, v, order)).as(order.text()).containsExactly(words);
        }
    }
}
