package dev.stator.driver.modbus;

import dev.stator.driver.api.AddressException;
import dev.stator.driver.api.TagBinding;
import dev.stator.driver.api.TagDefinition;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class BlockPlannerTest {

    static ModbusAddress address(TagBinding tag) {
        return (ModbusAddress) tag.address();
    }

    static TagBinding tag(String name, String address) throws AddressException {
        ModbusAddress a = ModbusAddress.parse(address);
        return new TagBinding(new TagDefinition(name, "", "", null, a.dataType(), false), a, "normal",
                Duration.ofSeconds(1));
    }

    @Test
    void contiguousTagsShareOneRequestPerTable() throws AddressException {
        List<TagBinding> tags = List.of(tag("a", "ir:0:float32"), tag("b", "ir:2:float32"), tag("c", "ir:4"),
                tag("d", "coil:0"), tag("e", "coil:1"), tag("f", "hr:0:float32"));
        List<ReadBlock> blocks = new BlockPlanner(125, 2000, 0).plan(tags, BlockPlannerTest::address, 1);
        assertThat(blocks).extracting(b -> b.table().prefix() + ":" + b.start() + "x" + b.count())
                .containsExactlyInAnyOrder("ir:0x5", "coil:0x2", "hr:0x2");
    }

    @Test
    void gapsWiderThanMaxGapStartANewRequest() throws AddressException {
        List<TagBinding> tags = new ArrayList<>();
        tags.add(tag("a", "hr:0"));
        tags.add(tag("b", "hr:5"));           // 4 unused registers after a
        tags.add(tag("c", "hr:20"));          // 14 unused after b
        tags.add(tag("d", "hr:123:float32")); // 102 unused after c
        tags.add(tag("e", "hr:144:float32")); // 19 unused after d
        assertThat(new BlockPlanner(125, 2000, 30).plan(tags, BlockPlannerTest::address, 1)).extracting(b -> b.start() + "x" + b.count())
                .containsExactly("0x21", "123x23");
        assertThat(new BlockPlanner(125, 2000, 4).plan(tags, BlockPlannerTest::address, 1)).extracting(b -> b.start() + "x" + b.count())
                .containsExactly("0x6", "20x1", "123x2", "144x2");
    }

    @Test
    void aValueIsNeverSplitAcrossTheRequestLimit() throws AddressException {
        List<TagBinding> tags = List.of(tag("a", "hr:0"), tag("b", "hr:124:float32"), tag("c", "hr:200:float64"));
        List<ReadBlock> blocks = new BlockPlanner(125, 2000, 1000).plan(tags, BlockPlannerTest::address, 1);
        assertThat(blocks).extracting(b -> b.start() + "x" + b.count()).containsExactly("0x1", "124x80");
        for (ReadBlock b : blocks) {
            assertThat(b.count()).isLessThanOrEqualTo(125);
            for (TagBinding t : b.tags()) {
                ModbusAddress a = address(t);
                assertThat(a.offset()).isGreaterThanOrEqualTo(b.start());
                assertThat(a.end()).isLessThanOrEqualTo(b.end());
            }
        }
    }
}
