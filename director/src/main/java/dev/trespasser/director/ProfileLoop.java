package dev.trespasser.director;

import dev.trespasser.director.profiles.MatchProfile;
import dev.trespasser.director.profiles.PoolSlicer;
import dev.trespasser.proto.openmatch2.Match;
import dev.trespasser.proto.openmatch2.MatchmakingFunctionSpec;
import dev.trespasser.proto.openmatch2.MmfRequest;
import dev.trespasser.proto.openmatch2.OpenMatchServiceGrpc.OpenMatchServiceBlockingStub;
import dev.trespasser.proto.openmatch2.Profile;
import dev.trespasser.proto.openmatch2.StreamedMmfResponse;
import dev.trespasser.runtime.Backoff;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One profile's matchmaking loop, run by a scheduler every cycle: invoke the MMF through om-core
 * and place each match, one by one, as om-core streams it. After a failed allocation the rest of
 * the cycle's matches go straight back to the pool and the profile backs off.
 */
public final class ProfileLoop implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(ProfileLoop.class);

    /** Matches are small, but a cycle may return many; om-core sends them one per message. */
    private static final int MAX_INBOUND_BYTES = 16 * 1024 * 1024;

    /** Reads invocation streams, one thread per running invocation (at most one per profile). */
    private static final ExecutorService STREAM_READERS = Executors.newCachedThreadPool(new ThreadFactory() {
        private final AtomicInteger count = new AtomicInteger();

        @Override
        public Thread newThread(Runnable task) {
            Thread thread = new Thread(task, "director-invoke-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        }
    });

    private final MatchProfile profile;
    private final OpenMatchServiceBlockingStub openMatch;
    private final MatchmakingFunctionSpec mmf;
    private final PoolSlicer slicer;
    private final Duration invokeTimeout;
    private final MatchPlacer placer;
    private final Backoff backoff;
    private final BooleanSupplier stopping;
    private final DirectorMetrics metrics;
    /** Runs placements when more than one may run at once; null: placements run on the loop's thread. */
    private final ExecutorService placements;

    private final Semaphore placementSlots;
    private final AtomicBoolean failedInThisCycle = new AtomicBoolean();
    private final Duration invokeRetryMax;
    /** Slices of the last cycle; a change is logged. */
    private int lastSlices = 1;

    private boolean sizingFailed;

    /**
     * @param placements where placements run when {@code concurrency} exceeds 1 (shared by the
     *     loops; the caller owns it)
     * @param concurrency how many matches of this profile may be placed at once: allocation is a
     *     round trip to the Kubernetes API, and one at a time caps a profile at ~1/latency matches/s
     * @param invokeRetryMax the longest pause after a failed invocation (om-core away): the fleet's
     *     back-off would otherwise keep the loop idle long after om-core is back
     * @param slicer cuts the profile into creation-time slices when its pool would span om-core chunks
     */
    public ProfileLoop(
            MatchProfile profile,
            OpenMatchServiceBlockingStub openMatch,
            MatchmakingFunctionSpec mmf,
            PoolSlicer slicer,
            Duration invokeTimeout,
            MatchPlacer placer,
            Backoff backoff,
            BooleanSupplier stopping,
            DirectorMetrics metrics,
            ExecutorService placements,
            int concurrency,
            Duration invokeRetryMax) {
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1: " + concurrency);
        }
        if (concurrency > 1 && placements == null) {
            throw new IllegalArgumentException("concurrent placement needs an executor");
        }
        this.placements = concurrency > 1 ? placements : null;
        this.placementSlots = new Semaphore(concurrency);
        this.profile = Objects.requireNonNull(profile, "profile");
        this.openMatch = Objects.requireNonNull(openMatch, "openMatch");
        this.mmf = Objects.requireNonNull(mmf, "mmf");
        this.slicer = Objects.requireNonNull(slicer, "slicer");
        this.invokeTimeout = Objects.requireNonNull(invokeTimeout, "invokeTimeout");
        this.placer = Objects.requireNonNull(placer, "placer");
        this.backoff = Objects.requireNonNull(backoff, "backoff");
        this.stopping = Objects.requireNonNull(stopping, "stopping");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.invokeRetryMax = Objects.requireNonNull(invokeRetryMax, "invokeRetryMax");
    }

    public MatchProfile profile() {
        return profile;
    }

    @Override
    public void run() {
        try {
            runCycle();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            // A scheduled task that throws is never run again: log and keep the loop alive.
            log.error("profile {}: cycle failed", profile.name(), e);
        }
    }

    /**
     * One cycle; returns the outcome of every match received, in the order om-core sent them
     * (none while backing off or stopping).
     */
    public List<PlacementOutcome> runCycle() throws InterruptedException {
        if (stopping.getAsBoolean() || !backoff.ready()) {
            return List.of();
        }
        long start = System.nanoTime();
        List<Profile> slices = slices();
        Cycle cycle = new Cycle();
        try {
            for (Profile slice : slices) {
                // A failed allocation or invocation backs the whole profile off, its later slices too.
                if (cycle.fleetFailed() || stopping.getAsBoolean() || !backoff.ready()) {
                    break;
                }
                invokeAndPlace(slice, cycle);
            }
        } finally {
            // Placements already running finish (their servers are allocated or handed back).
            cycle.awaitRunning();
        }
        metrics.cycleSeconds.labelValues(profile.name()).observe((System.nanoTime() - start) / 1e9);
        return cycle.outcomes();
    }

    /** The om-core profiles of this cycle: the whole profile, or its creation-time slices. */
    private List<Profile> slices() {
        List<Profile> slices;
        try {
            slices = slicer.profiles(profile);
            if (sizingFailed) {
                log.info("profile {}: queued-ticket count readable again", profile.name());
                sizingFailed = false;
            }
        } catch (RuntimeException e) {
            // Redis away: invoke whole as before slicing existed; placing needs Redis anyway.
            if (!sizingFailed) {
                log.warn(
                        "profile {}: cannot read the queued-ticket count ({}); invoking the pool whole",
                        profile.name(),
                        e.toString());
                sizingFailed = true;
            }
            slices = List.of(profile.toProfile());
        }
        metrics.poolSlices.labelValues(profile.name()).set(slices.size());
        if (slices.size() != lastSlices) {
            log.info(
                    "profile {}: invoking {} creation-time slices (was {})", profile.name(), slices.size(), lastSlices);
            lastSlices = slices.size();
        }
        if (slices.size() > 1) {
            metrics.slicedInvocations.labelValues(profile.name()).inc(slices.size());
        }
        return slices;
    }

    /** One invocation of {@code slice}; each match is placed (or handed back) as it arrives. */
    private void invokeAndPlace(Profile slice, Cycle cycle) throws InterruptedException {
        BlockingQueue<Object> stream =
                invoke(MmfRequest.newBuilder().setProfile(slice).addMmfs(mmf).build());
        while (true) {
            Object next;
            try {
                next = stream.take();
            } catch (InterruptedException e) {
                giveBackTheRest(stream);
                throw e;
            }
            if (next instanceof StreamEnd end) {
                recordInvocation(end);
                break;
            }
            Match match = (Match) next;
            int slot = cycle.reserveSlot();
            if (cycle.fleetFailed()
                    || stopping.getAsBoolean()
                    || Thread.currentThread().isInterrupted()) {
                cycle.complete(slot, placer.giveBack(match, profile));
            } else if (placements == null) {
                cycle.complete(slot, placeOne(match, stream));
            } else {
                try {
                    placementSlots.acquire();
                } catch (InterruptedException e) {
                    cycle.complete(slot, placer.giveBack(match, profile));
                    giveBackTheRest(stream);
                    throw e;
                }
                if (cycle.fleetFailed() || stopping.getAsBoolean()) {
                    // A placement that ended while this one waited for a slot failed.
                    placementSlots.release();
                    cycle.complete(slot, placer.giveBack(match, profile));
                    continue;
                }
                cycle.started();
                placements.execute(() -> {
                    try {
                        cycle.complete(slot, placeOne(match, null));
                    } catch (InterruptedException e) {
                        cycle.complete(slot, PlacementOutcome.RETURNED);
                    } finally {
                        placementSlots.release();
                        cycle.finished();
                    }
                });
            }
        }
    }

    /**
     * Places one match and applies its outcome to the back-off; {@code stream}, when given, is
     * handed back if the placing thread is interrupted.
     */
    private PlacementOutcome placeOne(Match match, BlockingQueue<Object> stream) throws InterruptedException {
        PlacementOutcome outcome;
        try {
            outcome = placer.place(match, profile);
        } catch (InterruptedException e) {
            // Stopping hard: what was not placed still goes back to the pool (place() handed back this one).
            if (stream != null) {
                giveBackTheRest(stream);
            }
            throw e;
        } catch (RuntimeException e) {
            log.error("profile {}: placing match {} failed", profile.name(), match.getId(), e);
            outcome = placer.giveBack(match, profile);
        }
        if (outcome.failed()) {
            failedInThisCycle.set(true);
            Duration pause = backoff.failed();
            log.warn("profile {}: {}; backing off for {} ms", profile.name(), outcome, pause.toMillis());
        } else if (outcome == PlacementOutcome.PLACED) {
            backoff.succeeded();
        }
        return outcome;
    }

    /** The outcomes of one cycle, in stream order, and its placements still running. */
    private final class Cycle {
        private final List<PlacementOutcome> outcomes = new ArrayList<>();
        private int running;

        Cycle() {
            failedInThisCycle.set(false);
        }

        /** After a failed allocation the rest of the cycle goes straight back: the fleet or Redis is in trouble. */
        boolean fleetFailed() {
            return failedInThisCycle.get();
        }

        synchronized int reserveSlot() {
            outcomes.add(null);
            return outcomes.size() - 1;
        }

        synchronized void complete(int slot, PlacementOutcome outcome) {
            outcomes.set(slot, outcome);
        }

        synchronized void started() {
            running++;
        }

        synchronized void finished() {
            running--;
            notifyAll();
        }

        synchronized void awaitRunning() {
            boolean interrupted = false;
            while (running > 0) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }

        synchronized List<PlacementOutcome> outcomes() {
            return List.copyOf(outcomes);
        }
    }

    /**
     * Starts the invocation; its matches arrive on the returned queue as om-core streams them,
     * followed by one {@link StreamEnd}. The stream is read on its own thread so that placing a
     * match (Redis, allocation) never holds the stream open towards its deadline, and so the
     * first match is placed while om-core is still streaming the others: the rest of the stream
     * stays out of that match's players' wait.
     */
    private BlockingQueue<Object> invoke(MmfRequest request) {
        BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
        STREAM_READERS.execute(() -> {
            int received = 0;
            StatusRuntimeException failure = null;
            try {
                Iterator<StreamedMmfResponse> stream = openMatch
                        .withDeadlineAfter(invokeTimeout.toMillis(), TimeUnit.MILLISECONDS)
                        .withMaxInboundMessageSize(MAX_INBOUND_BYTES)
                        .invokeMatchmakingFunctions(request);
                while (stream.hasNext()) {
                    queue.add(stream.next().getMatch());
                    received++;
                }
            } catch (StatusRuntimeException e) {
                // A stream that breaks midway still delivered matches whose tickets om-core has
                // deactivated: those are already queued and get placed.
                failure = e;
            } catch (RuntimeException e) {
                failure = Status.INTERNAL
                        .withDescription("reading the invocation stream failed")
                        .withCause(e)
                        .asRuntimeException();
            } finally {
                queue.add(new StreamEnd(request.getProfile().getName(), received, failure));
            }
        });
        return queue;
    }

    /** The metrics and the back-off are the profile's; the log names the slice. */
    private void recordInvocation(StreamEnd end) {
        if (end.failure() == null) {
            metrics.invocations.labelValues(profile.name(), "ok").inc();
            return;
        }
        Status status = end.failure().getStatus();
        metrics.invocations
                .labelValues(profile.name(), status.getCode().name().toLowerCase(Locale.ROOT))
                .inc();
        Duration pause = backoff.failedAtMost(invokeRetryMax);
        log.warn(
                "profile {}: InvokeMatchmakingFunctions failed after {} matches: {}; backing off {} ms",
                end.slice(),
                end.matches(),
                status,
                pause.toMillis());
    }

    /** Hands back every match still to come on {@code stream}; the stream ends by its deadline at the latest. */
    private void giveBackTheRest(BlockingQueue<Object> stream) {
        boolean interrupted = false;
        while (true) {
            Object next;
            try {
                next = stream.take();
            } catch (InterruptedException e) {
                interrupted = true;
                continue;
            }
            if (next instanceof StreamEnd end) {
                recordInvocation(end);
                break;
            }
            placer.giveBack((Match) next, profile);
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** The last item of an invocation's queue: how many matches came, and the error, if the stream broke. */
    private record StreamEnd(String slice, int matches, StatusRuntimeException failure) {}
}
