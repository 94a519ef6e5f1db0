package dev.stator.driver.modbus;

import dev.stator.driver.api.AddressException;
import dev.stator.driver.api.DataType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ModbusAddressTest {

    @ParameterizedTest
    @ValueSource(strings = {"coil:0", "di:65535", "ir:0:float32", "hr:28:int16", "hr:10.3", "ir:7:uint16",
            "hr:100:int32", "hr:200:uint32", "hr:300:int64", "hr:400:float64", "ir:15.15"})
    void canonicalFormsRoundTrip(String text) throws AddressException {
        ModbusAddress a = ModbusAddress.parse(text);
        assertThat(a.format()).isEqualTo(text);
        assertThat(ModbusAddress.parse(a.format())).isEqualTo(a);
    }

    @Test
    void defaultsAndNormalisation() throws AddressException {
        assertThat(ModbusAddress.parse("HR:5").format()).isEqualTo("hr:5:uint16");
        assertThat(ModbusAddress.parse(" coil:3:bool ").format()).isEqualTo("coil:3");
        assertThat(ModbusAddress.parse("hr:5.2").dataType()).isEqualTo(DataType.BOOL);
        assertThat(ModbusAddress.parse("ir:0:float32").count()).isEqualTo(2);
        assertThat(ModbusAddress.parse("hr:0:float64").end()).isEqualTo(3);
    }

    @Test
    void badAddressesSayWhatIsWrong() {
        assertThatThrownBy(() -> ModbusAddress.parse("40001")).hasMessageContaining("table:offset");
        assertThatThrownBy(() -> ModbusAddress.parse("xr:1")).hasMessageContaining("unknown table 'xr'");
        assertThatThrownBy(() -> ModbusAddress.parse("coil:1:float32"))
                .hasMessageContaining("holds one bit");
        assertThatThrownBy(() -> ModbusAddress.parse("hr:1.16")).hasMessageContaining("past 15");
        assertThatThrownBy(() -> ModbusAddress.parse("hr:1:bool")).hasMessageContaining("name a bit");
        assertThatThrownBy(() -> ModbusAddress.parse("hr:65535:float32")).hasMessageContaining("runs past");
        assertThatThrownBy(() -> ModbusAddress.parse("hr:1:real")).hasMessageContaining("unknown data type");
        assertThatThrownBy(() -> ModbusAddress.parse("coil:2.1")).hasMessageContaining("single bit already");
    }
}
