package dev.stator.driver.opcua;

import dev.stator.driver.api.AddressException;
import dev.stator.driver.api.DataType;
import org.eclipse.milo.opcua.stack.core.NamespaceTable;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The one address grammar: parse, canonical format, round trip, and errors that show a valid address. */
class OpcUaAddressTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "ns=2;s=Boiler.Temp                                  | ns=2;s=Boiler.Temp                   | float64",
        "ns=2;s=Pump1.Running;bool                           | ns=2;s=Pump1.Running;bool            | bool",
        "nsu=urn:plant:boiler;i=1001;int32                   | nsu=urn:plant:boiler;i=1001;int32    | int32",
        "nsu=urn:plant:boiler;s=Drum.Level                   | nsu=urn:plant:boiler;s=Drum.Level    | float64",
        "i=2258;string                                       | i=2258;string                        | string",
        "ns=0;i=85                                           | i=85                                 | float64",
        "ns=3;i=0001001;uint32                               | ns=3;i=1001;uint32                   | uint32",
        "ns=2;g=72962B91-FA75-4AE6-8D28-B404DC7DAF63         | ns=2;g=72962b91-fa75-4ae6-8d28-b404dc7daf63 | float64",
        "ns=2;b=M/RbKBsRVkePCePcx24oRA==;int64               | ns=2;b=M/RbKBsRVkePCePcx24oRA==;int64 | int64",
        "ns=2;s=Line;Valve.Open;BOOL                         | ns=2;s=Line;Valve.Open;bool          | bool",
        "ns=2;s=Level;float64                                | ns=2;s=Level                         | float64",
        "ns=2;s=odd;float32;float64                          | ns=2;s=odd;float32;float64           | float64",
        "' ns=2;s=Padded ; int16 '                           | ns=2;s=Padded ;int16                 | int16",
    })
    void parsesAndFormatsCanonically(String text, String canonical, String type) throws AddressException {
        OpcUaAddress a = OpcUaAddress.parse(text);
        assertThat(a.format()).isEqualTo(canonical);
        assertThat(a.dataType()).isEqualTo(DataType.parse(type));
        assertThat(OpcUaAddress.parse(a.format())).isEqualTo(a);
        assertThat(a.isWritableLocation()).isTrue();
    }

    @Test
    void aStringIdentifierMayHoldSemicolonsAndEqualsSigns() throws AddressException {
        OpcUaAddress a = OpcUaAddress.parse("ns=4;s=\"DB 1\".x=1;y;uint16");
        assertThat(a.namespaceIndex()).isEqualTo(4);
        assertThat(a.idType()).isEqualTo(OpcUaAddress.IdType.STRING);
        assertThat(a.identifier()).isEqualTo("\"DB 1\".x=1;y");
        assertThat(a.dataType()).isEqualTo(DataType.UINT16);
        assertThat(a.nodeId()).isEqualTo("ns=4;s=\"DB 1\".x=1;y");
    }

    @Test
    void roundTripsEveryKindOfIdentifierAndType() throws AddressException {
        String[] nodes = {"i=0", "i=4294967295", "ns=65535;s=x", "nsu=http://example.com/UA/;s=a/b c",
            "ns=1;g=00000000-0000-0000-0000-000000000001", "ns=7;b=AQID", "ns=2;s=ends;int16"};
        for (String node : nodes) {
            for (DataType type : DataType.values()) {
                OpcUaAddress a = OpcUaAddress.parse(node + ";" + type.text());
                assertThat(OpcUaAddress.parse(a.format())).as(a.format()).isEqualTo(a);
                assertThat(a.dataType()).isEqualTo(type);
            }
        }
    }

    @Test
    void resolvesTheNamespaceUriAgainstTheServersArray() throws AddressException {
        NamespaceTable table = new NamespaceTable();
        table.add("urn:other");
        table.add("urn:plant:boiler");
        assertThat(OpcUaAddress.parse("nsu=urn:plant:boiler;s=Drum").toNodeId(table))
                .isEqualTo(new NodeId(2, "Drum"));
        assertThat(OpcUaAddress.parse("nsu=urn:unknown;s=Drum").toNodeId(table)).isNull();
        assertThat(OpcUaAddress.parse("ns=5;i=7").toNodeId(table)).isEqualTo(new NodeId(5, 7));
        assertThat(OpcUaAddress.parse("ns=1;g=72962b91-fa75-4ae6-8d28-b404dc7daf63").toNodeId(table))
                .isEqualTo(new NodeId(1, UUID.fromString("72962b91-fa75-4ae6-8d28-b404dc7daf63")));
    }

    @Test
    void theAddressOfAServerNodeUsesTheNamespaceUri() {
        assertThat(OpcUaAddress.of(new NodeId(2, "Drum"), "urn:plant", DataType.BOOL).format())
                .isEqualTo("nsu=urn:plant;s=Drum;bool");
        assertThat(OpcUaAddress.of(new NodeId(0, 85), "http://opcfoundation.org/UA/", null).format())
                .isEqualTo("i=85");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "Boiler.Temp", "ns=x;s=a", "ns=70000;i=1", "ns=2", "ns=2;", "ns=2;q=1",
        "i=-1", "i=4294967296", "i=12a", "s=", "g=1234", "b=***", "b=", "nsu=;i=1", "nsu=urn:x", "x=1;bool",
        "ns=2;s=;bool"})
    void anUnparsableAddressSaysWhatAValidOneLooksLike(String text) {
        AddressException e = catchThrowableOfType(AddressException.class, () -> OpcUaAddress.parse(text));
        assertThat(e).as(text).isNotNull();
        assertThat(e.getMessage()).startsWith("'" + text + "' is not an OPC UA address: ")
                .contains("write e.g. nsu=urn:plant:boiler;s=Drum.Level, ns=2;s=Pump1.Running;bool");
    }

    @Test
    void errorsSayWhatIsWrong() {
        assertThat(catchThrowableOfType(AddressException.class, () -> OpcUaAddress.parse("ns=70000;i=1"))
                .getMessage()).contains("the namespace index must be a whole number from 0 to 65535");
        assertThat(catchThrowableOfType(AddressException.class, () -> OpcUaAddress.parse("i=4294967296"))
                .getMessage()).contains("a numeric identifier is a whole number from 0 to 4294967295");
        assertThat(catchThrowableOfType(AddressException.class, () -> OpcUaAddress.parse("Boiler.Temp"))
                .getMessage()).contains("the identifier must start with i=, s=, g= or b=");
    }
}
