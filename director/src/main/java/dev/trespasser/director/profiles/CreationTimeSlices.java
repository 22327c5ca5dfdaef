package dev.trespasser.director.profiles;

import java.util.ArrayList;
import java.util.List;

/**
 * The arithmetic of cutting one pool of {@code n} queued tickets into slices of at most {@code max}
 * by ticket creation time. Slices are half-open {@code [start, end)} and together cover all time,
 * so every ticket falls in exactly one slice whatever the boundaries; the boundaries only decide
 * how evenly the tickets spread.
 */
public final class CreationTimeSlices {

    /** One slice {@code [startMillis, endMillis)}; {@link Long#MIN_VALUE} / {@link Long#MAX_VALUE}: unbounded. */
    public record Range(long startMillis, long endMillis) {

        public boolean unboundedStart() {
            return startMillis == Long.MIN_VALUE;
        }

        public boolean unboundedEnd() {
            return endMillis == Long.MAX_VALUE;
        }
    }

    /** ceil(n / max): how many slices {@code n} tickets need; 1 for a pool that fits. */
    public static int sliceCount(long n, int max) {
        if (max < 1) {
            throw new IllegalArgumentException("max must be at least 1: " + max);
        }
        return n <= max ? 1 : (int) Math.min(Integer.MAX_VALUE, (n + max - 1) / max);
    }

    /**
     * The ranks (0-based, by creation time) of the tickets that start slices 2, 3, ...: max,
     * 2·max, ... below n. Empty when the pool fits in one slice.
     */
    public static List<Long> boundaryRanks(long n, int max) {
        int count = sliceCount(n, max);
        List<Long> ranks = new ArrayList<>(count - 1);
        for (long i = 1; i < count; i++) {
            ranks.add(i * max);
        }
        return ranks;
    }

    /**
     * The slices cut at the creation times of the boundary tickets (ascending): {@code [-inf, b1),
     * [b1, b2), ..., [bk, +inf)}. Equal boundaries (tickets created in the same millisecond) are
     * merged, so no slice is empty by construction.
     */
    public static List<Range> ranges(List<Long> boundaryMillis) {
        List<Range> ranges = new ArrayList<>(boundaryMillis.size() + 1);
        long start = Long.MIN_VALUE;
        for (long boundary : boundaryMillis) {
            if (boundary <= start) {
                continue;
            }
            ranges.add(new Range(start, boundary));
            start = boundary;
        }
        ranges.add(new Range(start, Long.MAX_VALUE));
        return ranges;
    }

    private CreationTimeSlices() {}
}
