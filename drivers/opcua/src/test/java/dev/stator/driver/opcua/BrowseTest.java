package dev.stator.driver.opcua;

import dev.stator.driver.api.EndpointConfig;
import dev.stator.driver.api.Options;
import dev.stator.driver.api.Quality;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The browser walks the address space to any depth, whole even when the server hands out references in parts. */
class BrowseTest {

    @TempDir
    static Path dir;
    private static TestServer server;
    private static OpcUaBrowser browser;
    private static final List<String> trace = new CopyOnWriteArrayList<>();
    private static final String NSU = "nsu=" + TestServer.NAMESPACE + ";s=";

    @BeforeAll
    static void connect() throws Exception {
        server = TestServer.start(dir.resolve("server"));
        EndpointConfig config = new EndpointConfig("plc-opc", OpcUaDriverProvider.PROTOCOL, new Options(
                "endpoint 'plc-opc'", Map.of("url", server.url(), "security-policy", "None")), List.of());
        browser = OpcUaBrowser.connect(config, TestEndpoint.context(dir.resolve("data"), Map.of()));
        browser.trace(trace::add);
    }

    @AfterAll
    static void close() {
        browser.close();
        server.close();
    }

    @Test
    void aDeepBrowseFollowsContinuationPointsAndDescribesVariables() throws Exception {
        // The server returns at most 3 references per node and call: the rest comes through BrowseNext.
        server.maxReferencesPerNode = 3;
        trace.clear();
        try {
            OpcUaBrowser.BrowseNode test = browser.browse(NSU + "Test", Integer.MAX_VALUE, 0);
            assertThat(test.nodeClass()).isEqualTo("Object");
            assertThat(test.children()).extracting(OpcUaBrowser.BrowseNode::browseName)
                    .containsExactlyInAnyOrder("Plain", "ReadOnly", "Dynamic", "Analog", "Deep", "Wide");
            OpcUaBrowser.BrowseNode wide = child(test, "Wide");
            assertThat(wide.children()).hasSize(12);
            assertThat(wide.children()).extracting(OpcUaBrowser.BrowseNode::nodeId)
                    .contains(NSU + "Wide/Item00", NSU + "Wide/Item11");

            OpcUaBrowser.BrowseNode leaf = child(child(child(child(child(child(test, "Deep"), "L1"), "L2"), "L3"),
                    "L4"), "L5");
            assertThat(leaf.children()).hasSize(1);
            OpcUaBrowser.BrowseNode l = leaf.children().get(0);
            assertThat(l.nodeId()).isEqualTo(NSU + "Deep/L1/L2/L3/L4/L5/Leaf");
            assertThat(l.nodeClass()).isEqualTo("Variable");
            assertThat(l.dataType()).isEqualTo("Int32");
            assertThat(l.readable()).isTrue();
            assertThat(l.writable()).isFalse();
            assertThat(l.address()).isEqualTo(NSU + "Deep/L1/L2/L3/L4/L5/Leaf;int32");

            OpcUaBrowser.BrowseNode plain = child(test, "Plain");
            OpcUaBrowser.BrowseNode flag = child(plain, "Boolean");
            assertThat(flag.dataType()).isEqualTo("Boolean");
            assertThat(flag.writable()).isTrue();
            assertThat(flag.address()).isEqualTo(NSU + "Plain/Boolean;bool");
            assertThat(child(plain, "Double").address()).isEqualTo(NSU + "Plain/Double");
            assertThat(child(plain, "Range").dataType()).isEqualTo("Range");
            assertThat(child(plain, "Range").address()).as("no tag type for a structure").isNull();
            OpcUaBrowser.BrowseNode level = child(child(test, "Analog"), "Level");
            assertThat(level.children()).extracting(OpcUaBrowser.BrowseNode::browseName).contains("EURange");

            assertThat(trace).anyMatch(t -> t.contains("-> BrowseNext"));
            assertThat(test.format()).contains("Wide  [Object]  " + NSU + "Wide\n")
                    .contains("Leaf  [Variable Int32 r-]  " + NSU + "Deep/L1/L2/L3/L4/L5/Leaf\n");
        } finally {
            server.maxReferencesPerNode = 0;
        }
    }

    @Test
    void theDepthLimitsTheTreeAndObjectsIsTheDefaultStart() throws Exception {
        OpcUaBrowser.BrowseNode objects = browser.browse(1);
        assertThat(objects.nodeId()).isEqualTo("i=85");
        assertThat(objects.displayName()).isEqualTo("Objects");
        assertThat(objects.children()).extracting(OpcUaBrowser.BrowseNode::displayName).contains("Server", "Test");
        assertThat(objects.children()).allMatch(c -> c.children().isEmpty());
        List<String> ids = new ArrayList<>();
        for (OpcUaBrowser.BrowseNode c : objects.children()) {
            ids.add(c.nodeId());
        }
        assertThat(ids).contains("i=2253", NSU + "Test");
    }

    @Test
    void anUnknownStartNodeIsAClearError() {
        OpcUaException e = catchThrowableOfType(OpcUaException.class,
                () -> browser.browse(NSU + "Nowhere", 2, 0));
        assertThat(e.quality()).isEqualTo(Quality.BAD_NODE_ID_UNKNOWN);
        assertThat(e.getMessage()).isEqualTo("Bad_NodeIdUnknown: node " + NSU + "Nowhere does not exist on the "
                + "server");
    }

    private static OpcUaBrowser.BrowseNode child(OpcUaBrowser.BrowseNode parent, String name) {
        return parent.children().stream().filter(c -> c.browseName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no child " + name + " under " + parent.browseName() + ": "
                        + parent.children().stream().map(OpcUaBrowser.BrowseNode::browseName).toList()));
    }
}
