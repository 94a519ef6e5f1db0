package dev.stator.driver.modbus;

import dev.stator.driver.api.TagBinding;

import java.util.List;

/**
 * One read request of a scan: a unit id, a contiguous range of a table and the tags whose values lie wholly inside it.
 */
record ReadBlock(int unitId, ModbusTable table, int start, int count, List<TagBinding> tags) {

    ReadBlock {
        tags = List.copyOf(tags);
    }

    int end() {
        return start + count - 1;
    }

    @Override
    public String toString() {
        return unitId + ":" + table.prefix() + ":" + start + " x" + count + " (" + tags.size() + " tags)";
    }
}
