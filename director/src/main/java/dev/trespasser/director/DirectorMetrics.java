package dev.trespasser.director;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;

/** The director's Prometheus metrics, all prefixed {@code trespasser_director_}. */
public final class DirectorMetrics {

    /** Matches received from om-core, by profile and {@link PlacementOutcome}. */
    final Counter matches;
    /** One loop iteration: invoke, then place every match returned. */
    final Histogram cycleSeconds;
    /** One allocation request, Contention retries included, by result. */
    final Histogram allocationSeconds;
    /** Matches whose server could not be had or announced, by reason. */
    final Counter allocationFailures;

    final Counter invocations;
    final Counter ticketsReactivated;
    /** Tickets om-core would not take back: they sit until their TTL unless the frontend re-queues. */
    final Counter ticketsStranded;
    /** Creation-time slices the profile was invoked as in its last cycle (1: whole). */
    final Gauge poolSlices;
    /** Invocations of one creation-time slice of a profile too large for one om-core chunk. */
    final Counter slicedInvocations;

    public DirectorMetrics(PrometheusRegistry registry) {
        matches = Counter.builder()
                .name("trespasser_director_matches_total")
                .help("Matches returned by om-core, by profile and outcome")
                .labelNames("profile", "outcome")
                .register(registry);
        cycleSeconds = Histogram.builder()
                .name("trespasser_director_cycle_seconds")
                .help("Duration of one profile cycle: InvokeMatchmakingFunctions plus placing its matches")
                .unit(Unit.SECONDS)
                .labelNames("profile")
                .classicOnly()
                .classicUpperBounds(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30)
                .register(registry);
        allocationSeconds = Histogram.builder()
                .name("trespasser_director_allocation_seconds")
                .help("Duration of one GameServer allocation, retries included, by result")
                .unit(Unit.SECONDS)
                .labelNames("result")
                .classicOnly()
                .classicUpperBounds(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
                .register(registry);
        allocationFailures = Counter.builder()
                .name("trespasser_director_allocation_failures_total")
                .help("Matches handed back to the queue after a failed allocation or announcement, by reason")
                .labelNames("reason")
                .register(registry);
        invocations = Counter.builder()
                .name("trespasser_director_invocations_total")
                .help("InvokeMatchmakingFunctions calls, by profile and outcome (ok or the gRPC code)")
                .labelNames("profile", "outcome")
                .register(registry);
        ticketsReactivated = Counter.builder()
                .name("trespasser_director_tickets_reactivated_total")
                .help("Tickets handed back to om-core's pools with ActivateTickets")
                .register(registry);
        ticketsStranded = Counter.builder()
                .name("trespasser_director_tickets_stranded_total")
                .help("Tickets the director failed to re-activate")
                .register(registry);
        poolSlices = Gauge.builder()
                .name("trespasser_director_pool_slices")
                .help("Creation-time slices each profile was invoked as in its last cycle (1: the pool whole)")
                .labelNames("profile")
                .register(registry);
        slicedInvocations = Counter.builder()
                .name("trespasser_director_sliced_invocations_total")
                .help("InvokeMatchmakingFunctions calls for one creation-time slice of a profile whose pool "
                        + "exceeds DIRECTOR_MAX_POOL_TICKETS")
                .labelNames("profile")
                .register(registry);
    }
}
