package dev.stator.driver.opcua;

import dev.stator.driver.api.Quality;
import dev.stator.driver.api.Scaling;
import dev.stator.driver.api.TagValue;
import dev.stator.driver.api.WriteException;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UByte;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Writes reach the node in its own DataType, values that do not fit are refused before anything is sent, the
 * server's refusals come back in words, and the future completes with the value read back.
 */
class WriteTest {

    @TempDir
    static Path dir;
    private static TestServer server;
    private static String ns;
    private static TestEndpoint endpoint;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(dir.resolve("server"));
        ns = "ns=" + server.namespaceIndex() + ";s=";
        endpoint = TestEndpoint.spec(server.url(), dir.resolve("data"))
                .writable("int16", ns + "Plain/Int16;int16")
                .writable("int32-as-double", ns + "Plain/Int32")
                .writable("byte", ns + "Plain/Byte;uint16")
                .writable("uint32", ns + "Plain/UInt32;uint32")
                .writable("float", ns + "Plain/Float;float32")
                .writable("flag", ns + "Plain/Boolean;bool")
                .writable("text", ns + "Plain/String;string")
                .writable("limit", ns + "ReadOnly/Limit")
                .writable("missing", ns + "Nope")
                .writable("array", ns + "Plain/Array")
                .tag("monitor-only", ns + "Plain/Double")
                .tag("scaled", ns + "Plain/SByte;int16", true, Duration.ofMillis(100),
                        new Scaling(0.1, 0, Double.NaN, Double.NaN), null, null)
                .start();
        endpoint.good("int16");
        endpoint.good("limit");
        endpoint.await("missing", v -> v.quality().isBad());
    }

    @AfterAll
    static void stop() {
        endpoint.close();
        server.close();
    }

    private static TagValue write(String tag, Object value) throws Exception {
        return endpoint.endpoint.write(tag, value).get(10, TimeUnit.SECONDS);
    }

    private static WriteException refused(String tag, Object value) throws Exception {
        CompletableFuture<TagValue> f = endpoint.endpoint.write(tag, value);
        ExecutionException e = catchThrowableOfType(ExecutionException.class, () -> f.get(10, TimeUnit.SECONDS));
        assertThat(e).as("the write of " + value + " to " + tag + " must fail").isNotNull();
        assertThat(e.getCause()).isInstanceOf(WriteException.class);
        return (WriteException) e.getCause();
    }

    @Test
    void aWriteIsCoercedToTheNodesTypeAndReadBack() throws Exception {
        TagValue back = write("int16", 1234L);
        assertThat(back.value()).isEqualTo(1234L);
        assertThat(back.quality()).isEqualTo(Quality.GOOD);
        assertThat(server.get("Plain/Int16")).isEqualTo((short) 1234);

        assertThat(write("int32-as-double", 42.0).value()).isEqualTo(42.0);
        assertThat(server.get("Plain/Int32")).isEqualTo(42);
        assertThat(write("byte", 17L).value()).isEqualTo(17L);
        assertThat(server.get("Plain/Byte")).isEqualTo(UByte.valueOf(17));
        assertThat(write("uint32", 4_000_000_001L).value()).isEqualTo(4_000_000_001L);
        assertThat(server.get("Plain/UInt32")).isEqualTo(UInteger.valueOf(4_000_000_001L));
        assertThat(write("float", 2.25).value()).isEqualTo(2.25);
        assertThat(server.get("Plain/Float")).isEqualTo(2.25f);
        assertThat(write("flag", true).value()).isEqualTo(true);
        assertThat(write("text", "world").value()).isEqualTo("world");
        assertThat(endpoint.good("text").value()).isEqualTo("world");
    }

    @Test
    void aScaledTagIsWrittenInRawUnits() throws Exception {
        assertThat(write("scaled", 12.3).value()).isEqualTo(12.3);
        assertThat(server.get("Plain/SByte")).isEqualTo((byte) 123);
    }

    @Test
    void valuesThatDoNotFitAreRefusedBeforeAnythingIsSent() throws Exception {
        Object before = server.get("Plain/Byte");
        long requests = endpoint.status().requests();

        WriteException tooBigForNode = refused("byte", 300L);
        assertThat(tooBigForNode.quality()).isEqualTo(Quality.BAD_OUT_OF_RANGE);
        assertThat(tooBigForNode.getMessage()).isEqualTo("tag 'byte': 300 is out of range for Byte (0 to 255) "
                + "(node " + ns + "Plain/Byte); nothing was sent");

        WriteException tooBigForTag = refused("int16", 70_000L);
        assertThat(tooBigForTag.quality()).isEqualTo(Quality.BAD_OUT_OF_RANGE);
        assertThat(tooBigForTag.getMessage()).isEqualTo("tag 'int16': 70000 is out of range for an int16 tag; "
                + "nothing was sent");

        WriteException fraction = refused("int32-as-double", 42.5);
        assertThat(fraction.quality()).isEqualTo(Quality.BAD_TYPE_MISMATCH);
        assertThat(fraction.getMessage()).contains("42.5 is not a whole number, and the node is Int32");

        WriteException text = refused("flag", "yes");
        assertThat(text.quality()).isEqualTo(Quality.BAD_TYPE_MISMATCH);
        assertThat(text.getMessage()).isEqualTo("tag 'flag': a bool tag takes true or false, not yes; nothing was "
                + "sent");
        assertThat(refused("int16", "12").quality()).isEqualTo(Quality.BAD_TYPE_MISMATCH);

        assertThat(server.get("Plain/Byte")).isEqualTo(before);
        assertThat(endpoint.status().requests()).as("no request went out").isEqualTo(requests);
    }

    @Test
    void theServersRefusalComesBackInWords() throws Exception {
        WriteException readOnly = refused("limit", 50.0);
        assertThat(readOnly.quality().name()).isIn("Bad_UserAccessDenied", "Bad_NotWritable");
        assertThat(readOnly.getMessage()).startsWith("tag 'limit': the server refused the write of 50.0 to " + ns
                + "ReadOnly/Limit: " + readOnly.quality().name() + ": the node is read-only");
        assertThat(server.get("ReadOnly/Limit")).isEqualTo(95.0);
        assertThat(endpoint.status().errorsByKind()).containsKey(readOnly.quality().name());
    }

    @Test
    void unknownNodesArraysAndReadOnlyTagsAreRefusedClearly() throws Exception {
        WriteException missing = refused("missing", 1.0);
        assertThat(missing.quality()).isEqualTo(Quality.BAD_NODE_ID_UNKNOWN);
        assertThat(missing.getMessage()).isEqualTo("tag 'missing': Bad_NodeIdUnknown: node " + ns + "Nope does not "
                + "exist on the server; nothing was sent");

        WriteException array = refused("array", 1.0);
        assertThat(array.quality()).isEqualTo(Quality.BAD_NOT_SUPPORTED);
        assertThat(array.getMessage()).contains("arrays and structures are not supported yet");
        assertThat(refused("int16", List.of(1L, 2L)).getMessage()).isEqualTo("tag 'int16': arrays and structures "
                + "are not supported yet; nothing was sent");

        WriteException notWritable = refused("monitor-only", 1.0);
        assertThat(notWritable.quality()).isEqualTo(Quality.BAD_NOT_WRITABLE);
        assertThat(notWritable.getMessage()).isEqualTo("tag 'monitor-only' is read-only (set writable: true in the "
                + "project to allow writes)");

        WriteException unknownTag = refused("no-such-tag", 1.0);
        assertThat(unknownTag.quality()).isEqualTo(Quality.BAD_NODE_ID_UNKNOWN);
    }
}
