package dev.trespasser.frontend.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateLimiterTest {

    private final AtomicLong now = new AtomicLong();
    private final RateLimiter fivePerMinute = new RateLimiter(5, Duration.ofMinutes(1), now::get);

    @Test
    void burstUpToCapacityThenRefusedUntilRefilled() {
        for (int i = 0; i < 5; i++) {
            assertTrue(fivePerMinute.tryAcquire("alice"), "call " + i);
        }
        assertFalse(fivePerMinute.tryAcquire("alice"));
        now.addAndGet(Duration.ofSeconds(11).toNanos());
        assertFalse(fivePerMinute.tryAcquire("alice"), "one token takes 12 s");
        now.addAndGet(Duration.ofSeconds(1).toNanos());
        assertTrue(fivePerMinute.tryAcquire("alice"));
    }

    @Test
    void playersHaveTheirOwnBuckets() {
        for (int i = 0; i < 5; i++) {
            fivePerMinute.tryAcquire("alice");
        }
        assertFalse(fivePerMinute.tryAcquire("alice"));
        assertTrue(fivePerMinute.tryAcquire("bob"));
    }

    @Test
    void refilledBucketsAreForgotten() {
        fivePerMinute.tryAcquire("alice");
        now.addAndGet(Duration.ofSeconds(13).toNanos());
        fivePerMinute.tryAcquire("bob");
        fivePerMinute.tryAcquire("bob");
        now.addAndGet(Duration.ofSeconds(1).toNanos());
        fivePerMinute.forgetIdle();
        assertEquals(1, fivePerMinute.trackedKeys(), "alice's bucket is full again, bob's is not");
    }
}
