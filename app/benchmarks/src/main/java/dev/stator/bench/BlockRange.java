package dev.stator.bench;

/**
 * One read request as it went over the wire: holding registers {@code start .. start+count-1}.
 *
 * @param start zero-based first register
 * @param count registers read
 */
record BlockRange(int start, int count) implements Comparable<BlockRange> {

    int end() {
        return start + count - 1;
    }

    boolean holds(RegisterLayout.Entry e) {
        return e.offset() >= start && e.end() <= end();
    }

    /**
     * The read request in one trace line of the driver ({@code 12:00:00.125 TX 00 01 00 00 00 06 01 03 00 00 00 7D}),
     * or {@code null} for any other line. The last five bytes of a read request are the function code, the start
     * address and the count.
     */
    static BlockRange fromTraceLine(String line) {
        int tx = line.indexOf(" TX ");
        if (tx < 0) {
            return null;
        }
        String[] hex = line.substring(tx + 4).trim().split("\\s+");
        if (hex.length < 5) {
            return null;
        }
        int n = hex.length;
        int function = Integer.parseInt(hex[n - 5], 16);
        if (function != 3) {
            return null;
        }
        int start = Integer.parseInt(hex[n - 4], 16) << 8 | Integer.parseInt(hex[n - 3], 16);
        int count = Integer.parseInt(hex[n - 2], 16) << 8 | Integer.parseInt(hex[n - 1], 16);
        return new BlockRange(start, count);
    }

    @Override
    public int compareTo(BlockRange o) {
        return start != o.start ? Integer.compare(start, o.start) : Integer.compare(count, o.count);
    }

    @Override
    public String toString() {
        return "hr:" + start + " x" + count;
    }
}
