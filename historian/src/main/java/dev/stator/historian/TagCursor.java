package dev.stator.historian;

import dev.stator.driver.api.TagValue;
import java.time.Instant;
import java.util.ArrayDeque;

/**
 * The samples of one tag over a range, read a page at a time through {@link HistorySource#stream}, so that a merge
 * of many tags holds at most one page per tag. Each page is a new stream from where the last one stopped; samples
 * with the time the last page ended on are skipped by count, so equal timestamps are neither lost nor repeated.
 * Owned by one thread.
 */
final class TagCursor {

    private static final class PageFull extends Exception {
        PageFull() {
            super(null, null, false, false);
        }
    }

    private static final PageFull PAGE_FULL = new PageFull();

    final String tag;
    final int index;
    private final HistorySource source;
    private final Instant to;
    private final int pageSize;
    private final ArrayDeque<TagValue> page;
    private Instant resumeFrom;
    /** Samples at {@link #resumeFrom} already handed out. */
    private long skip;
    private boolean exhausted;
    /** Pages read so far, and the most samples held at once: how much work and memory the cursor took. */
    long pages;
    int mostHeld;

    TagCursor(HistorySource source, String tag, int index, Instant from, Instant to, int pageSize) {
        this.source = source;
        this.tag = tag;
        this.index = index;
        this.resumeFrom = from;
        this.to = to;
        this.pageSize = pageSize;
        this.page = new ArrayDeque<>(Math.min(pageSize, 1024));
    }

    /** The next sample without taking it; null at the end. */
    TagValue peek() throws HistoryException {
        if (page.isEmpty() && !exhausted) {
            fill();
        }
        return page.peekFirst();
    }

    /** Takes the sample {@link #peek} returned. */
    TagValue next() throws HistoryException {
        TagValue v = peek();
        page.pollFirst();
        return v;
    }

    private void fill() throws HistoryException {
        long[] toSkip = {skip};
        Instant at = resumeFrom;
        try {
            source.stream(tag, resumeFrom, to, sample -> {
                if (toSkip[0] > 0 && sample.sourceTime().equals(at)) {
                    toSkip[0]--;
                    return;
                }
                page.addLast(sample);
                if (page.size() >= pageSize) {
                    throw PAGE_FULL;
                }
            });
            exhausted = true;
        } catch (PageFull full) {
            // the page is full; the next one starts where this one ended
        }
        pages++;
        mostHeld = Math.max(mostHeld, page.size());
        if (page.isEmpty()) {
            exhausted = true;
            return;
        }
        Instant last = page.peekLast().sourceTime();
        long atLast = 0;
        for (var it = page.descendingIterator(); it.hasNext() && it.next().sourceTime().equals(last); ) {
            atLast++;
        }
        skip = last.equals(resumeFrom) ? skip + atLast : atLast;
        resumeFrom = last;
    }
}
