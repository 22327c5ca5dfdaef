package dev.trespasser.director;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the profile loops on a small scheduled pool (Java 17: no virtual threads), each with a
 * fixed delay between cycles so a loop never overlaps itself. Stopping lets running cycles
 * finish: allocations in flight complete and publish, matches not yet allocated go back.
 */
public final class Director implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Director.class);

    private final List<ProfileLoop> loops;
    private final Duration cycle;
    private final Duration grace;
    private final AtomicBoolean stopping;
    private final ScheduledExecutorService scheduler;

    /** @param stopping the flag the loops read; {@link #close()} sets it */
    public Director(List<ProfileLoop> loops, int threads, Duration cycle, Duration grace, AtomicBoolean stopping) {
        this.loops = List.copyOf(loops);
        this.cycle = Objects.requireNonNull(cycle, "cycle");
        this.grace = Objects.requireNonNull(grace, "grace");
        this.stopping = Objects.requireNonNull(stopping, "stopping");
        AtomicInteger count = new AtomicInteger();
        this.scheduler = Executors.newScheduledThreadPool(Math.max(1, Math.min(threads, this.loops.size())), task -> {
            Thread thread = new Thread(task, "director-loop-" + count.incrementAndGet());
            thread.setDaemon(false);
            return thread;
        });
    }

    public void start() {
        long delay = cycle.toMillis();
        for (int i = 0; i < loops.size(); i++) {
            // Staggered, so the profiles do not all hit om-core in the same millisecond.
            long offset = delay * i / loops.size();
            scheduler.scheduleWithFixedDelay(loops.get(i), offset, delay, TimeUnit.MILLISECONDS);
        }
        log.info(
                "director: {} profile loops every {} ms: {}",
                loops.size(),
                delay,
                loops.stream().map(loop -> loop.profile().name()).toList());
    }

    public boolean stopping() {
        return stopping.get();
    }

    @Override
    public void close() {
        stopping.set(true);
        scheduler.shutdown();
        try {
            if (!scheduler.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("cycles still running after {}; interrupting them (unplaced matches go back)", grace);
                scheduler.shutdownNow();
                scheduler.awaitTermination(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            scheduler.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
