package dev.trespasser.frontend.limits;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.LongSupplier;

/**
 * One in-memory token bucket per key (a player id or a client address). Limits are per process:
 * with N replicas behind a balancer a player gets at most N times the limit, which is still a
 * bound. Full buckets are dropped by {@link #forgetIdle()} so memory follows active players.
 */
public final class RateLimiter {

    private final int capacity;
    private final long periodNanos;
    private final LongSupplier nanoTime;
    private final ConcurrentMap<String, TokenBucket> buckets = new ConcurrentHashMap<>();

    public RateLimiter(int capacity, Duration period, LongSupplier nanoTime) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("capacity must be positive, got " + capacity);
        }
        this.capacity = capacity;
        this.periodNanos = period.toNanos();
        this.nanoTime = nanoTime;
    }

    public boolean tryAcquire(String key) {
        long now = nanoTime.getAsLong();
        return buckets.computeIfAbsent(key, k -> new TokenBucket(capacity, periodNanos, now))
                .tryTake(now);
    }

    public void forgetIdle() {
        long now = nanoTime.getAsLong();
        buckets.values().removeIf(bucket -> bucket.isFull(now));
    }

    public int trackedKeys() {
        return buckets.size();
    }
}
