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
            "hr:100:int32", "hr:200:uint32", "hr:300:int64", "hr:400:float64", "ir:15.15", "2:hr:0:float32",
            "hr:100:float32:cdab", "hr:100:float64:dcba", "hr:7:int16:badc", "hr:200:string[16]",
            "hr:200:string[5]:badc", "ir:0:uint16[10]", "ir:0:float32[4]:cdab", "coil:0:bool[16]", "0:di:9"})
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
        assertThat(ModbusAddress.parse("hr:5:BADC").format()).isEqualTo("hr:5:uint16:badc");
        assertThat(ModbusAddress.parse("hr:0:string[5]").count()).isEqualTo(3);
        assertThat(ModbusAddress.parse("ir:0:float32[4]").count()).isEqualTo(8);
        assertThat(ModbusAddress.parse("coil:0:bool[16]").count()).isEqualTo(16);
        assertThat(ModbusAddress.parse("3:hr:0").unitId()).isEqualTo(3);
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
        assertThatThrownBy(() -> ModbusAddress.parse("hr:0:string")).hasMessageContaining("string[16]");
        assertThatThrownBy(() -> ModbusAddress.parse("hr:0:uint16:cdab")).hasMessageContaining("swaps words")
                .hasMessageContaining("has none to swap");
        assertThatThrownBy(() -> ModbusAddress.parse("300:hr:0")).hasMessageContaining("unit id 300");
        assertThatThrownBy(() -> ModbusAddress.parse("hr:0:float32[100]")).hasMessageContaining("200 registers");
        assertThatThrownBy(() -> ModbusAddress.parse("hr:0:float32:wxyz")).hasMessageContaining("byte order");
        assertThatThrownBy(() -> ModbusAddress.parse("coil:0:abcd")).hasMessageContaining("nothing for a bit");
        assertThatThrownBy(() -> ModbusAddress.parse("hr:1.2:bool[2]")).hasMessageContaining("cannot be an array");
    }

    @Test
    void conventionalNotationIsConvertedToTheOneGrammar() throws AddressException {
        assertThat(ModbusAddress.fromConventional("40001", null, 0).format()).isEqualTo("hr:0:uint16");
        assertThat(ModbusAddress.fromConventional("400001", DataType.FLOAT32, 0).format()).isEqualTo("hr:0:float32");
        assertThat(ModbusAddress.fromConventional("465536", null, 0).format()).isEqualTo("hr:65535:uint16");
        assertThat(ModbusAddress.fromConventional("30017", DataType.INT16, 0).format()).isEqualTo("ir:16:int16");
        assertThat(ModbusAddress.fromConventional("00001", null, 0).format()).isEqualTo("coil:0");
        assertThat(ModbusAddress.fromConventional("10005", null, 0).format()).isEqualTo("di:4");
        assertThat(ModbusAddress.fromConventional("40101", DataType.STRING, 16).format())
                .isEqualTo("hr:100:string[16]");
        assertThat(ModbusAddress.fromConventional("hr:3:int32", DataType.INT32, 0).format()).isEqualTo("hr:3:int32");
        assertThatThrownBy(() -> ModbusAddress.fromConventional("50001", null, 0)).hasMessageContaining("starts with");
        assertThatThrownBy(() -> ModbusAddress.fromConventional("40000", null, 0)).hasMessageContaining("from 1");
        assertThatThrownBy(() -> ModbusAddress.fromConventional("hr:3:int32", DataType.FLOAT32, 0))
                .hasMessageContaining("holds a int32 value, but the type given is float32");
    }
}
