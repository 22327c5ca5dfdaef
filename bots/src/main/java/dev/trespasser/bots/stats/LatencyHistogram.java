package dev.trespasser.bots.stats;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * Durations in logarithmic buckets, 2% wide, from 1 µs to about 3 hours: percentiles within 2%
 * from any number of threads without keeping the samples (bots record one per input).
 */
public final class LatencyHistogram {

    private static final double GROWTH = 1.02;
    private static final double LOG_GROWTH = Math.log(GROWTH);
    private static final int BUCKETS = 1 + (int) Math.ceil(Math.log(1e10) / LOG_GROWTH);

    private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);
    private final LongAdder total = new LongAdder();

    public void record(long nanos) {
        long micros = Math.max(1, nanos / 1_000);
        int bucket = (int) Math.min(BUCKETS - 1, Math.round(Math.log(micros) / LOG_GROWTH));
        counts.incrementAndGet(bucket);
        total.increment();
    }

    public void record(Duration d) {
        record(d.toNanos());
    }

    public long count() {
        return total.sum();
    }

    /**
     * The duration below which {@code fraction} of the samples lie (nearest rank), or
     * {@link Duration#ZERO} when nothing was recorded.
     */
    public Duration percentile(double fraction) {
        if (!(fraction > 0 && fraction <= 1)) {
            throw new IllegalArgumentException("fraction must be in (0, 1]: " + fraction);
        }
        long[] snapshot = new long[BUCKETS];
        long n = 0;
        for (int i = 0; i < BUCKETS; i++) {
            snapshot[i] = counts.get(i);
            n += snapshot[i];
        }
        if (n == 0) {
            return Duration.ZERO;
        }
        long rank = (long) Math.ceil(fraction * n);
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += snapshot[i];
            if (seen >= rank) {
                return Duration.ofNanos(Math.round(Math.pow(GROWTH, i) * 1_000));
            }
        }
        throw new IllegalStateException("unreachable: rank " + rank + " of " + n);
    }

    public Percentiles percentiles() {
        return new Percentiles(percentile(0.5), percentile(0.95), percentile(0.99), count());
    }

    /** p50, p95 and p99 of a histogram, and how many samples they are drawn from. */
    public record Percentiles(Duration p50, Duration p95, Duration p99, long count) {
        public static final Percentiles NONE = new Percentiles(Duration.ZERO, Duration.ZERO, Duration.ZERO, 0);
    }
}
