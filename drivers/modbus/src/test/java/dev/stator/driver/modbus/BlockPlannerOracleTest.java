package dev.stator.driver.modbus;

import dev.stator.driver.api.AddressException;
import dev.stator.driver.api.TagBinding;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The planner against an independent brute-force oracle: on random non-contiguous, mixed-type tag sets with gaps,
 * every way of partitioning the tags into requests is tried, and the smallest valid number must equal the planner's.
 * A partition is valid when each request reads one contiguous range of one table, no longer than the limit, holding
 * its tags whole, with no run of more than {@code maxGap} addresses that none of its own tags use.
 */
class BlockPlannerOracleTest {

    private static final String[] TYPES = {"uint16", "int16", "float32", "int32", "float64", "int64"};

    @RepeatedTest(300)
    void plannerUsesTheFewestRequestsTheRulesAllow(RepetitionInfo info) throws AddressException {
        Random random = new Random(info.getCurrentRepetition() * 7919L);
        int n = 2 + random.nextInt(7);          // up to 8 tags: Bell(8) = 4140 partitions
        int limit = 4 + random.nextInt(20);
        int maxGap = random.nextInt(6);
        List<TagBinding> tags = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            boolean bits = random.nextInt(4) == 0;
            String address = bits ? (random.nextBoolean() ? "coil:" : "di:") + random.nextInt(40)
                    : (random.nextBoolean() ? "hr:" : "ir:") + random.nextInt(40) + ":" + TYPES[random.nextInt(
                    TYPES.length)];
            tags.add(BlockPlannerTest.tag("t" + i, address));
        }
        BlockPlanner planner = new BlockPlanner(limit, limit, maxGap);
        List<ReadBlock> plan = planner.plan(tags, BlockPlannerTest::address, 1);

        // The plan is valid: every tag read whole by exactly one block, within the limit and the gap rule.
        assertThat(plan.stream().mapToInt(b -> b.tags().size()).sum()).isEqualTo(n);
        for (ReadBlock b : plan) {
            assertThat(valid(b.tags(), limit, maxGap)).as("block %s", b).isTrue();
            for (TagBinding t : b.tags()) {
                ModbusAddress a = BlockPlannerTest.address(t);
                assertThat(a.offset()).isGreaterThanOrEqualTo(b.start());
                assertThat(a.end()).isLessThanOrEqualTo(b.end());
                assertThat(a.table()).isEqualTo(b.table());
            }
            assertThat(b.count()).isLessThanOrEqualTo(limit);
        }
        assertThat(plan.size()).as("requests against the brute-force minimum for %s, limit %d, max gap %d",
                tags.stream().map(t -> t.address().format()).toList(), limit, maxGap)
                .isEqualTo(bruteForceMinimum(tags, limit, maxGap));
    }

    /** The fewest blocks over every set partition of the tags (restricted growth strings). */
    static int bruteForceMinimum(List<TagBinding> tags, int limit, int maxGap) {
        int n = tags.size();
        int[] block = new int[n];
        int[] best = {Integer.MAX_VALUE};
        partitions(tags, block, 0, 0, limit, maxGap, best);
        return best[0];
    }

    private static void partitions(List<TagBinding> tags, int[] block, int i, int used, int limit, int maxGap,
                                   int[] best) {
        if (used >= best[0]) {
            return;
        }
        if (i == tags.size()) {
            for (int k = 0; k < used; k++) {
                List<TagBinding> members = new ArrayList<>();
                for (int j = 0; j < tags.size(); j++) {
                    if (block[j] == k) {
                        members.add(tags.get(j));
                    }
                }
                if (!valid(members, limit, maxGap)) {
                    return;
                }
            }
            best[0] = used;
            return;
        }
        for (int k = 0; k <= used; k++) {
            block[i] = k;
            partitions(tags, block, i + 1, Math.max(used, k + 1), limit, maxGap, best);
        }
    }

    /** Whether one request may read exactly these tags. */
    static boolean valid(List<TagBinding> members, int limit, int maxGap) {
        ModbusTable table = BlockPlannerTest.address(members.get(0)).table();
        int start = Integer.MAX_VALUE;
        int end = -1;
        BitSet used = new BitSet();
        for (TagBinding t : members) {
            ModbusAddress a = BlockPlannerTest.address(t);
            if (a.table() != table) {
                return false;
            }
            start = Math.min(start, a.offset());
            end = Math.max(end, a.end());
            used.set(a.offset(), a.end() + 1);
        }
        if (end - start + 1 > limit) {
            return false;
        }
        int run = 0;
        for (int x = start; x <= end; x++) {
            run = used.get(x) ? 0 : run + 1;
            if (run > maxGap) {
                return false;
            }
        }
        return true;
    }
}
