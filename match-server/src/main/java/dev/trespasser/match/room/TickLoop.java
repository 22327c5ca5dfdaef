package dev.trespasser.match.room;

import dev.trespasser.match.metrics.MatchServerMetrics;

import java.util.concurrent.locks.LockSupport;

/**
 * The room's thread: wakes when ticks are due, runs up to {@code ticksPerWake} of them back to
 * back under the room's lock, then lets the room hand what they sent to the network once.
 */
final class TickLoop {

    /** What the loop drives. */
    interface Body {
        /** One simulation tick, due at {@code dueNanos} ({@link System#nanoTime}); false ends the loop. */
        boolean tick(long dueNanos);

        /** After the ticks of one wake-up. */
        void afterTicks();

        /** A tick threw: the loop has stopped. */
        void failed(Throwable error);
    }

    /** A loop this far behind gives up catching up instead of bursting ticks. */
    private static final int MAX_CATCH_UP_TICKS = 5;

    private final Thread thread;
    private final long periodNanos;
    private final int ticksPerWake;
    private final Object lock;
    private final Body body;
    private final MatchServerMetrics metrics;
    private volatile boolean running = true;

    TickLoop(String name, long periodNanos, int ticksPerWake, Object lock, Body body, MatchServerMetrics metrics) {
        if (periodNanos <= 0 || ticksPerWake < 1) {
            throw new IllegalArgumentException("period " + periodNanos + " ns, " + ticksPerWake + " ticks per wake-up");
        }
        this.periodNanos = periodNanos;
        this.ticksPerWake = ticksPerWake;
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
                // Sleep until the last tick of this wake-up is due; the ones before it are overdue by then.
                long wakeAt = next + (ticksPerWake - 1) * periodNanos;
                if (now < wakeAt) {
                    LockSupport.parkNanos(wakeAt - now);
                    continue;
                }
                synchronized (lock) {
                    if (!running) {
                        break;
                    }
                    long tickStart = now;
                    long tickNanos = 0;
                    for (int i = 0; i < ticksPerWake && running && next <= System.nanoTime(); i++) {
                        if (i > 0) {
                            metrics.tickDuration(tickNanos);
                            tickStart = System.nanoTime();
                        }
                        if (!body.tick(next)) {
                            running = false;
                        }
                        tickNanos = System.nanoTime() - tickStart;
                        next += periodNanos;
                        if (System.nanoTime() - next > MAX_CATCH_UP_TICKS * periodNanos) {
                            next = System.nanoTime();
                        }
                    }
                    long flushStart = System.nanoTime();
                    body.afterTicks();
                    // The hand-over to the network counts toward the wake-up's last tick.
                    metrics.tickDuration(tickNanos + System.nanoTime() - flushStart);
                }
            }
        } catch (RuntimeException | Error e) {
            running = false;
            body.failed(e);
        }
    }
}
