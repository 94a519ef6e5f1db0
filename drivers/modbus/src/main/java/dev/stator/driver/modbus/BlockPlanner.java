package dev.stator.driver.modbus;

import dev.stator.driver.api.TagBinding;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Plans the read requests for the tags of one device and scan group: per unit id and table, tags sorted by address are
 * packed greedily into blocks no longer than the table's limit (125 registers, 2000 bits, or the device's own lower
 * limits), bridging gaps of at most {@code maxGap} unused addresses. A value is never split across two requests.
 * Packing greedily from the lowest address gives the fewest requests these constraints allow: a block that starts at
 * the lowest unplanned tag and takes every tag that still fits is never worse than any other choice for that tag.
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

    /**
     * @param address the effective address of each tag (its offset already converted to zero-based)
     * @param unitId  the device's unit id, for tags that name none
     */
    List<ReadBlock> plan(List<TagBinding> tags, Function<TagBinding, ModbusAddress> address, int unitId) {
        Map<String, List<TagBinding>> byUnitAndTable = new LinkedHashMap<>();
        for (TagBinding tag : tags) {
            ModbusAddress a = address.apply(tag);
            byUnitAndTable.computeIfAbsent(a.unitOr(unitId) + "/" + a.table(), k -> new ArrayList<>()).add(tag);
        }
        List<ReadBlock> blocks = new ArrayList<>();
        byUnitAndTable.values().forEach(list -> planTable(list, address, unitId, blocks));
        return blocks;
    }

    private void planTable(List<TagBinding> tags, Function<TagBinding, ModbusAddress> address, int deviceUnit,
                           List<ReadBlock> out) {
        List<TagBinding> sorted = new ArrayList<>(tags);
        sorted.sort(Comparator.comparingInt((TagBinding t) -> address.apply(t).offset())
                .thenComparingInt(t -> address.apply(t).end()));
        ModbusAddress first = address.apply(sorted.get(0));
        ModbusTable table = first.table();
        int unit = first.unitOr(deviceUnit);
        int limit = table.isBitTable() ? maxBits : maxRegisters;
        List<TagBinding> current = new ArrayList<>();
        int start = -1;
        int end = -1;
        for (TagBinding tag : sorted) {
            ModbusAddress a = address.apply(tag);
            boolean fits = start >= 0 && a.offset() - end - 1 <= maxGap
                    && Math.max(end, a.end()) - start + 1 <= limit;
            if (!fits) {
                if (start >= 0) {
                    out.add(new ReadBlock(unit, table, start, end - start + 1, current));
                }
                current = new ArrayList<>();
                start = a.offset();
                end = a.end();
            }
            current.add(tag);
            end = Math.max(end, a.end());
        }
        out.add(new ReadBlock(unit, table, start, end - start + 1, current));
    }
}
