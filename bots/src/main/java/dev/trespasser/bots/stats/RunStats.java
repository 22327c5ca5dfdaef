package dev.trespasser.bots.stats;

import java.util.concurrent.atomic.LongAdder;

/**
 * Everything the bots of one run measure, shared by all of them: counters and histograms that
 * any bot thread adds to and any reader samples.
 */
public final class RunStats {

    public final LongAdder botsStarted = new LongAdder();
    public final LongAdder botsFinished = new LongAdder();
    public final LongAdder botsQueued = new LongAdder();
    public final LongAdder botsPlaying = new LongAdder();
    /** Matches a bot played to their end (a restart vote makes another match). */
    public final LongAdder matchesPlayed = new LongAdder();

    public final LongAdder abandonedMatches = new LongAdder();
    public final LongAdder restarts = new LongAdder();
    public final LongAdder kills = new LongAdder();
    public final LongAdder disconnects = new LongAdder();
    public final LongAdder reconnects = new LongAdder();
    public final LongAdder slotsLost = new LongAdder();
    public final LongAdder requeues = new LongAdder();
    public final LongAdder errors = new LongAdder();
    /** WebSocket bytes (payload plus frame header) while connected to a match server. */
    public final LongAdder bytesIn = new LongAdder();

    public final LongAdder bytesOut = new LongAdder();
    /** Time closed connections were open; with the two below, the time every connection was open. */
    public final LongAdder closedConnectionNanos = new LongAdder();

    public final LongAdder openConnections = new LongAdder();
    public final LongAdder openConnectionsSinceNanosSum = new LongAdder();
    public final LongAdder snapshots = new LongAdder();
    public final LongAdder malformedFrames = new LongAdder();

    public void connectionOpened(long nowNanos) {
        openConnectionsSinceNanosSum.add(nowNanos);
        openConnections.increment();
    }

    public void connectionClosed(long openedNanos, long nowNanos) {
        openConnections.decrement();
        openConnectionsSinceNanosSum.add(-openedNanos);
        closedConnectionNanos.add(nowNanos - openedNanos);
    }

    /** Player-seconds spent connected to match servers so far, open connections included. */
    public double connectedSeconds(long nowNanos) {
        long open = openConnections.sum() * nowNanos - openConnectionsSinceNanosSum.sum();
        return (closedConnectionNanos.sum() + Math.max(0, open)) / 1e9;
    }

    /** FindMatch to the assignment on WatchAssignment. */
    public final LatencyHistogram timeToMatch = new LatencyHistogram();
    /** An input sent to the first snapshot whose last applied input sequence covers it. */
    public final LatencyHistogram inputRoundTrip = new LatencyHistogram();
}
