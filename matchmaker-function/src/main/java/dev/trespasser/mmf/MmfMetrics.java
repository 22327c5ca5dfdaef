package dev.trespasser.mmf;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.Locale;

/** The function's Prometheus metrics, all prefixed {@code trespasser_mmf_}. */
final class MmfMetrics {

    /** How a Run ended: the label values of {@code trespasser_mmf_runs_total}. */
    enum Outcome {
        OK,
        INVALID_ARGUMENT,
        CANCELLED,
        INTERNAL;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    final Counter runs;
    final Histogram runDuration;
    final Gauge runsInProgress;
    final Counter chunksReceived;
    final Counter ticketsReceived;
    final Counter ticketsMatched;
    final Counter ticketsInvalid;
    final Counter ticketsRepeated;
    final Counter matches;
    final Histogram teamRatingGap;
    final Histogram matchedTicketWait;

    MmfMetrics(PrometheusRegistry registry) {
        runs = Counter.builder()
                .name("trespasser_mmf_runs_total")
                .help("Run calls finished, by outcome")
                .labelNames("outcome")
                .register(registry);
        runDuration = Histogram.builder()
                .name("trespasser_mmf_run_duration_seconds")
                .help("Time from the first chunk of a Run to its last match sent")
                .unit(Unit.SECONDS)
                .classicOnly()
                .classicUpperBounds(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
                .register(registry);
        runsInProgress = Gauge.builder()
                .name("trespasser_mmf_runs_in_progress")
                .help("Run calls that have started and not finished")
                .register(registry);
        chunksReceived = Counter.builder()
                .name("trespasser_mmf_chunks_received_total")
                .help("ChunkedMmfRunRequest messages read")
                .register(registry);
        ticketsReceived = Counter.builder()
                .name("trespasser_mmf_tickets_received_total")
                .help("Distinct tickets in complete Run requests")
                .register(registry);
        ticketsMatched = Counter.builder()
                .name("trespasser_mmf_tickets_matched_total")
                .help("Tickets placed in a returned match")
                .register(registry);
        ticketsInvalid = Counter.builder()
                .name("trespasser_mmf_tickets_invalid_total")
                .help("Tickets breaking the attribute contract (see README), rejected or skipped")
                .register(registry);
        ticketsRepeated = Counter.builder()
                .name("trespasser_mmf_tickets_repeated_total")
                .help("Copies of a ticket id a Run received more than once in one pool (om-core's chunk"
                        + " defect, docs/peers.md); each ticket is matched at most once")
                .register(registry);
        matches = Counter.builder()
                .name("trespasser_mmf_matches_total")
                .help("Matches returned, by mode")
                .labelNames("mode")
                .register(registry);
        teamRatingGap = Histogram.builder()
                .name("trespasser_mmf_team_rating_gap")
                .help("|red - blue| mean player rating of returned matches")
                .classicOnly()
                .classicUpperBounds(1, 5, 10, 25, 50, 100, 200, 400)
                .register(registry);
        matchedTicketWait = Histogram.builder()
                .name("trespasser_mmf_matched_ticket_wait_seconds")
                .help("How long matched tickets had waited since creation")
                .unit(Unit.SECONDS)
                .classicOnly()
                .classicUpperBounds(1, 2, 5, 10, 20, 30, 60, 120, 300, 600)
                .register(registry);
    }
}
