package dev.trespasser.runtime;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Exponential back-off after failures: base, 2×base, 4×base ... up to max; one success resets it.
 * The one back-off of the platform: the director pauses a profile with it (so the tickets it
 * handed back wait in the pool instead of being matched onto a fleet that has no room), and the
 * match server's result spool paces its retries while Redis is away.
 */
public final class Backoff {

    private final Duration base;
    private final Duration max;
    private final Clock clock;
    private int failures;
    private Instant until = Instant.MIN;

    public Backoff(Duration base, Duration max, Clock clock) {
        if (base.isNegative() || base.isZero() || max.compareTo(base) < 0) {
            throw new IllegalArgumentException("need 0 < base <= max, got " + base + " and " + max);
        }
        this.base = base;
        this.max = max;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public synchronized boolean ready() {
        return !clock.instant().isBefore(until);
    }

    /** Records a failure; returns the pause it imposes. */
    public synchronized Duration failed() {
        failures++;
        Duration pause = base;
        for (int i = 1; i < failures && pause.compareTo(max) < 0; i++) {
            pause = pause.multipliedBy(2);
        }
        if (pause.compareTo(max) > 0) {
            pause = max;
        }
        until = clock.instant().plus(pause);
        return pause;
    }

    /**
     * Records a failure whose pause is capped at {@code cap}: om-core being away says nothing about
     * the fleet, and the players it lost are re-queued the moment it is back.
     */
    public synchronized Duration failedAtMost(Duration cap) {
        Duration pause = failed();
        if (pause.compareTo(cap) > 0) {
            pause = cap;
            until = clock.instant().plus(pause);
        }
        return pause;
    }

    public synchronized void succeeded() {
        failures = 0;
        until = Instant.MIN;
    }

    public synchronized int failures() {
        return failures;
    }
}
