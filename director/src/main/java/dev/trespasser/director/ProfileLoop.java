package dev.trespasser.director;

import dev.trespasser.director.profiles.Backoff;
import dev.trespasser.director.profiles.MatchProfile;
import dev.trespasser.proto.openmatch2.Match;
import dev.trespasser.proto.openmatch2.MatchmakingFunctionSpec;
import dev.trespasser.proto.openmatch2.MmfRequest;
import dev.trespasser.proto.openmatch2.OpenMatchServiceGrpc.OpenMatchServiceBlockingStub;
import dev.trespasser.proto.openmatch2.StreamedMmfResponse;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One profile's matchmaking loop, run by a scheduler every cycle: invoke the MMF through om-core,
 * then place the matches one by one. After a failed allocation the rest of the cycle's matches
 * go straight back to the pool and the profile backs off.
 */
public final class ProfileLoop implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(ProfileLoop.class);

    /** Matches are small, but a cycle may return many; om-core sends them one per message. */
    private static final int MAX_INBOUND_BYTES = 16 * 1024 * 1024;

    private final MatchProfile profile;
    private final OpenMatchServiceBlockingStub openMatch;
    private final MmfRequest request;
    private final Duration invokeTimeout;
    private final MatchPlacer placer;
    private final Backoff backoff;
    private final BooleanSupplier stopping;
    private final DirectorMetrics metrics;

    public ProfileLoop(
            MatchProfile profile,
            OpenMatchServiceBlockingStub openMatch,
            MatchmakingFunctionSpec mmf,
            Duration invokeTimeout,
            MatchPlacer placer,
            Backoff backoff,
            BooleanSupplier stopping,
            DirectorMetrics metrics) {
        this.profile = Objects.requireNonNull(profile, "profile");
        this.openMatch = Objects.requireNonNull(openMatch, "openMatch");
        this.request = MmfRequest.newBuilder().setProfile(profile.toProfile()).addMmfs(mmf).build();
        this.invokeTimeout = Objects.requireNonNull(invokeTimeout, "invokeTimeout");
        this.placer = Objects.requireNonNull(placer, "placer");
        this.backoff = Objects.requireNonNull(backoff, "backoff");
        this.stopping = Objects.requireNonNull(stopping, "stopping");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
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

    /** One cycle; returns the outcome of every match received (none while backing off or stopping). */
    public List<PlacementOutcome> runCycle() throws InterruptedException {
        if (stopping.getAsBoolean() || !backoff.ready()) {
            return List.of();
        }
        long start = System.nanoTime();
        List<Match> matches = invoke();
        List<PlacementOutcome> outcomes = new ArrayList<>(matches.size());
        boolean fleetFailed = false;
        for (int i = 0; i < matches.size(); i++) {
            Match match = matches.get(i);
            if (fleetFailed || stopping.getAsBoolean() || Thread.currentThread().isInterrupted()) {
                outcomes.add(placer.giveBack(match, profile));
                continue;
            }
            PlacementOutcome outcome;
            try {
                outcome = placer.place(match, profile);
            } catch (InterruptedException e) {
                // Stopping hard: what was not placed still goes back to the pool.
                for (Match rest : matches.subList(i, matches.size())) {
                    placer.giveBack(rest, profile);
                }
                throw e;
            } catch (RuntimeException e) {
                log.error("profile {}: placing match {} failed", profile.name(), match.getId(), e);
                outcome = placer.giveBack(match, profile);
            }
            outcomes.add(outcome);
            if (outcome.failed()) {
                fleetFailed = true;
                Duration pause = backoff.failed();
                log.warn("profile {}: {}; backing off for {} ms", profile.name(), outcome, pause.toMillis());
            } else if (outcome == PlacementOutcome.PLACED) {
                backoff.succeeded();
            }
        }
        metrics.cycleSeconds.labelValues(profile.name()).observe((System.nanoTime() - start) / 1e9);
        return outcomes;
    }

    /**
     * Every match om-core streamed back. A stream that breaks midway still delivered matches whose
     * tickets om-core has deactivated, so those are kept and placed.
     */
    private List<Match> invoke() {
        List<Match> matches = new ArrayList<>();
        try {
            Iterator<StreamedMmfResponse> stream = openMatch
                    .withDeadlineAfter(invokeTimeout.toMillis(), TimeUnit.MILLISECONDS)
                    .withMaxInboundMessageSize(MAX_INBOUND_BYTES)
                    .invokeMatchmakingFunctions(request);
            while (stream.hasNext()) {
                matches.add(stream.next().getMatch());
            }
            metrics.invocations.labelValues(profile.name(), "ok").inc();
        } catch (StatusRuntimeException e) {
            metrics.invocations.labelValues(profile.name(), e.getStatus().getCode().name().toLowerCase(java.util.Locale.ROOT)).inc();
            Duration pause = backoff.failed();
            log.warn("profile {}: InvokeMatchmakingFunctions failed after {} matches: {}; backing off {} ms",
                    profile.name(), matches.size(), e.getStatus(), pause.toMillis());
        }
        return matches;
    }
}
