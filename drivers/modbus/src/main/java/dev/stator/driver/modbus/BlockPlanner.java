package dev.stator.driver.modbus;

import dev.stator.driver.api.TagBinding;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Plans the read requests for the tags of one device and scan group: per table, tags sorted by address are packed
 * greedily into blocks no longer than the table's limit (and the device's own limit), bridging gaps of at most
 * {@code maxGap} unused addresses. A value is never split across two requests. Greedy packing from the lowest address
 * gives the fewest requests for these constraints.
 */
final class BlockPlanner {

    private final int maxRegisters;
    private final int maxBits;
    private final int maxGap;

    /**
     * @param maxRegisters most registers per request (at most 125)
     * @param maxBits      most bits per request (at most 2000)
     * @param maxGap       most unused addresses a block may bridge between two tags
     */
    BlockPlanner(int maxRegisters, int maxBits, int maxGap) {
        this.maxRegisters = Math.min(maxRegisters, ModbusTable.HOLDING_REGISTER.maxReadCount());
        this.maxBits = Math.min(maxBits, ModbusTable.COIL.maxReadCount());
        this.maxGap = maxGap;
    }

    List<ReadBlock> plan(List<TagBinding> tags) {
        Map<ModbusTable, List<TagBinding>> byTable = new EnumMap<>(ModbusTable.class);
        for (TagBinding tag : tags) {
            byTable.computeIfAbsent(address(tag).table(), t -> new ArrayList<>()).add(tag);
        }
        List<ReadBlock> blocks = new ArrayList<>();
        byTable.forEach((table, list) -> planTable(table, list, blocks));
        return blocks;
    }

    private void planTable(ModbusTable table, List<TagBinding> tags, List<ReadBlock> out) {
        List<TagBinding> sorted = new ArrayList<>(tags);
        sorted.sort(Comparator.comparingInt((TagBinding t) -> address(t).offset())
                .thenComparingInt(t -> address(t).end()));
        int limit = table.isBitTable() ? maxBits : maxRegisters;
        List<TagBinding> current = new ArrayList<>();
        int start = -1;
        int end = -1;
        for (TagBinding tag : sorted) {
            ModbusAddress a = address(tag);
            boolean fits = start >= 0 && a.offset() - end - 1 <= maxGap
                    && Math.max(end, a.end()) - start + 1 <= limit;
            if (!fits) {
                if (start >= 0) {
                    out.add(new ReadBlock(table, start, end - start + 1, current));
                }
                current = new ArrayList<>();
                start = a.offset();
                end = a.end();
            }
            current.add(tag);
            end = Math.max(end, a.end());
        }
        if (start >= 0) {
            out.add(new ReadBlock(table, start, end - start + 1, current));
        }
    }

    static ModbusAddress address(TagBinding tag) {
        return (ModbusAddress) tag.address();
    }
}
