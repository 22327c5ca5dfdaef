package dev.trespasser.director.profiles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trespasser.director.profiles.CreationTimeSlices.Range;
import java.util.List;
import org.junit.jupiter.api.Test;

class CreationTimeSlicesTest {

    @Test
    void aPoolThatFitsIsOneSliceWithNoBoundary() {
        assertEquals(1, CreationTimeSlices.sliceCount(0, 3_000));
        assertEquals(1, CreationTimeSlices.sliceCount(3_000, 3_000));
        assertEquals(List.of(), CreationTimeSlices.boundaryRanks(3_000, 3_000));
        assertEquals(List.of(new Range(Long.MIN_VALUE, Long.MAX_VALUE)), CreationTimeSlices.ranges(List.of()));
    }

    @Test
    void oneTicketOverMaxMakesTwoSlicesCutAtRankMax() {
        assertEquals(2, CreationTimeSlices.sliceCount(3_001, 3_000));
        // Ranks 0..2999 in the first slice, rank 3000 (the newest ticket) alone in the second.
        assertEquals(List.of(3_000L), CreationTimeSlices.boundaryRanks(3_001, 3_000));
    }

    @Test
    void exactlyKTimesMaxMakesKFullSlices() {
        assertEquals(3, CreationTimeSlices.sliceCount(48, 16));
        assertEquals(List.of(16L, 32L), CreationTimeSlices.boundaryRanks(48, 16));
        assertEquals(4, CreationTimeSlices.sliceCount(49, 16));
        assertEquals(List.of(16L, 32L, 48L), CreationTimeSlices.boundaryRanks(49, 16));
    }

    @Test
    void slicesAreHalfOpenAndCoverAllTimeSoEveryTicketIsInExactlyOne() {
        List<Range> ranges = CreationTimeSlices.ranges(List.of(1_000L, 2_000L));
        assertEquals(
                List.of(new Range(Long.MIN_VALUE, 1_000), new Range(1_000, 2_000), new Range(2_000, Long.MAX_VALUE)),
                ranges);
        for (long created : new long[] {0, 999, 1_000, 1_001, 1_999, 2_000, 5_000}) {
            long holders = ranges.stream()
                    .filter(r -> r.startMillis() <= created && created < r.endMillis())
                    .count();
            assertEquals(1, holders, "a ticket created at " + created);
        }
        assertTrue(ranges.get(0).unboundedStart());
        assertTrue(ranges.get(2).unboundedEnd());
    }

    @Test
    void ticketsCreatedInTheSameMillisecondNeverMakeAnEmptySlice() {
        assertEquals(
                List.of(new Range(Long.MIN_VALUE, 1_000), new Range(1_000, Long.MAX_VALUE)),
                CreationTimeSlices.ranges(List.of(1_000L, 1_000L)));
    }

    @Test
    void maxBelowOneIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> CreationTimeSlices.sliceCount(10, 0));
    }
}
