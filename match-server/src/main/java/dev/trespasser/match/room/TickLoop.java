package dev.trespasser.match.room;

import dev.trespasser.match.metrics.MatchServerMetrics;
import java.util.concurrent.locks.LockSupport;

/**
 * The room's thread: wakes when a tick is due and, under the room's lock, takes in what the players
 * sent, runs the tick, then hands what it sent to the network. The tick and the network time are
 * measured apart (trespasser_match_tick_duration_seconds, trespasser_match_tick_network_seconds). One tick per wake-up: running two back to back at 30 Hz
 * saved tick-thread CPU but raised tick p99 (docs/benchmarks.md).
 */
final class TickLoop {

    /** What the loop drives. */
    interface Body {
        /** Before each tick: take in what the players sent. */
        default void beforeTick(long nanoTime) {}

        /** One simulation tick; false ends the loop. */
        boolean tick();

        /** After each tick: hand what it sent to the network. */
        void afterTick();

        /** A tick threw: the loop has stopped. */
        void failed(Throwable error);
    }

    /** A loop this far behind gives up catching up instead of bursting ticks. */
    private static final int MAX_CATCH_UP_TICKS = 5;

    private final Thread thread;
    private final long periodNanos;
    private final Object lock;
    private final Body body;
    private final MatchServerMetrics metrics;
    private volatile boolean running = true;

    TickLoop(String name, long periodNanos, Object lock, Body body, MatchServerMetrics metrics) {
        if (periodNanos <= 0) {
            throw new IllegalArgumentException("period " + periodNanos + " ns");
        }
        this.periodNanos = periodNanos;
        this.lock = lock;
        this.body = body;
        this.metrics = metrics;
        this.thread = new Thread(this::run, name);
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Stops ticking; called from another thread, waits (up to 5 s) for the wake-up in progress. */
    void stop() {
        running = false;
        if (Thread.currentThread() != thread) {
            LockSupport.unpark(thread);
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void run() {
        long next = System.nanoTime();
        try {
            while (running) {
                long now = System.nanoTime();
                if (now < next) {
                    LockSupport.parkNanos(next - now);
                    continue;
                }
                synchronized (lock) {
                    if (!running) {
                        break;
                    }
                    body.beforeTick(now);
                    long read = System.nanoTime();
                    if (!body.tick()) {
                        running = false;
                    }
                    long ticked = System.nanoTime();
                    body.afterTick();
                    long sent = System.nanoTime();
                    metrics.tickDuration(ticked - read);
                    metrics.tickNetwork((read - now) + (sent - ticked));
                }
                next += periodNanos;
                if (System.nanoTime() - next > MAX_CATCH_UP_TICKS * periodNanos) {
                    next = System.nanoTime();
                }
            }
        } catch (RuntimeException | Error e) {
            running = false;
            body.failed(e);
        }
    }
}
