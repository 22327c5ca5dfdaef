package dev.trespasser.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void pausesDoubleUpToTheCapAndOneSuccessResetsThem() {
        Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofMillis(500), Clock.systemUTC());
        assertEquals(Duration.ofMillis(100), backoff.failed());
        assertEquals(Duration.ofMillis(200), backoff.failed());
        assertEquals(Duration.ofMillis(400), backoff.failed());
        assertEquals(Duration.ofMillis(500), backoff.failed());
        assertEquals(Duration.ofMillis(500), backoff.failed());
        assertEquals(5, backoff.failures());
        backoff.succeeded();
        assertEquals(0, backoff.failures());
        assertEquals(Duration.ofMillis(100), backoff.failed());
    }

    @Test
    void notReadyUntilThePauseHasPassed() {
        Instant start = Instant.parse("2026-12-02T00:00:00Z");
        Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(4), Clock.fixed(start, ZoneOffset.UTC));
        assertTrue(backoff.ready());
        backoff.failed();
        assertFalse(backoff.ready());
    }

    @Test
    void refusesACapBelowTheBase() {
        assertThrows(
                IllegalArgumentException.class,
                () -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1), Clock.systemUTC()));
        assertThrows(
                IllegalArgumentException.class,
                () -> new Backoff(Duration.ZERO, Duration.ofSeconds(1), Clock.systemUTC()));
    }
}
