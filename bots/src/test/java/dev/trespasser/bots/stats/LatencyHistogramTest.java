package dev.trespasser.bots.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LatencyHistogramTest {

    @Test
    void percentilesAreWithinTwoPercent() {
        LatencyHistogram h = new LatencyHistogram();
        for (int ms = 1; ms <= 1000; ms++) {
            h.record(Duration.ofMillis(ms));
        }
        assertEquals(1000, h.count());
        assertNear(500, h.percentile(0.5));
        assertNear(950, h.percentile(0.95));
        assertNear(990, h.percentile(0.99));
        assertNear(1000, h.percentile(1));
    }

    @Test
    void emptyAndExtremeSamples() {
        LatencyHistogram h = new LatencyHistogram();
        assertEquals(Duration.ZERO, h.percentile(0.5));
        assertEquals(LatencyHistogram.Percentiles.NONE, h.percentiles());
        h.record(-5);
        h.record(Long.MAX_VALUE);
        assertEquals(2, h.count());
        assertTrue(h.percentile(0.5).toNanos() <= 1_000);
        assertTrue(h.percentile(1).toHours() >= 2, "the top bucket holds anything longer");
        assertThrows(IllegalArgumentException.class, () -> h.percentile(0));
        assertThrows(IllegalArgumentException.class, () -> h.percentile(1.5));
    }

    private static void assertNear(long expectedMillis, Duration actual) {
        double ratio = actual.toNanos() / (expectedMillis * 1e6);
        assertTrue(ratio > 0.98 && ratio < 1.02, expectedMillis + " ms vs " + actual);
    }
}
