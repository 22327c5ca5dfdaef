package dev.trespasser.frontend.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;

/** The frontend's Prometheus metrics, all prefixed {@code trespasser_frontend_}. */
public final class FrontendMetrics {

    private final Counter requests;
    private final Histogram requestDuration;
    private final Counter rateLimited;
    private final Counter logins;
    private final Counter passwordHashes;
    private final Counter tickets;
    private final Gauge watchStreams;
    private final Counter assignments;
    private final Histogram queueWait;
    private final Counter results;
    private final Counter forgedResults;
    private final Counter resultsTrimmed;
    private final Gauge resultsStreamEntries;

    public FrontendMetrics(PrometheusRegistry registry) {
        requests = Counter.builder()
                .name("trespasser_frontend_requests_total")
                .help("Player API calls finished, by method and gRPC status code")
                .labelNames("method", "code")
                .register(registry);
        requestDuration = Histogram.builder()
                .name("trespasser_frontend_request_duration_seconds")
                .help("Time to answer a unary call (streams: time until they end)")
                .unit(Unit.SECONDS)
                .labelNames("method")
                .classicOnly()
                .classicUpperBounds(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 30, 120, 600)
                .register(registry);
        rateLimited = Counter.builder()
                .name("trespasser_frontend_rate_limited_total")
                .help("Calls refused with RESOURCE_EXHAUSTED, by method")
                .labelNames("method")
                .register(registry);
        logins = Counter.builder()
                .name("trespasser_frontend_logins_total")
                .help(
                        "Sessions started or refused, by kind (register, password, guest, refresh, change_password) and result")
                .labelNames("kind", "result")
                .register(registry);
        passwordHashes = Counter.builder()
                .name("trespasser_frontend_password_hashes_total")
                .help("Password hashes on the bounded pool: done, or refused because the pool and its queue were full")
                .labelNames("result")
                .register(registry);
        tickets = Counter.builder()
                .name("trespasser_frontend_tickets_total")
                .help(
                        "Queue events: created, requeued, cancelled, timed_out; reactivated and recreated by the reconcile")
                .labelNames("event")
                .register(registry);
        watchStreams = Gauge.builder()
                .name("trespasser_frontend_watch_streams")
                .help("WatchAssignment streams open on this process")
                .register(registry);
        assignments = Counter.builder()
                .name("trespasser_frontend_assignments_total")
                .help("Assignments delivered to players, or refused because the player was no longer queued")
                .labelNames("result")
                .register(registry);
        queueWait = Histogram.builder()
                .name("trespasser_frontend_queue_wait_seconds")
                .help("From FindMatch to the delivered assignment")
                .unit(Unit.SECONDS)
                .classicOnly()
                .classicUpperBounds(1, 2, 5, 10, 20, 30, 60, 120, 300, 600)
                .register(registry);
        results = Counter.builder()
                .name("trespasser_frontend_results_total")
                .help("Match-results stream entries handled: applied, duplicate, no_change, malformed, rejected")
                .labelNames("result")
                .register(registry);
        forgedResults = Counter.builder()
                .name("trespasser_frontend_forged_results_total")
                .help("Results rejected because they disagree with the director's record of the match, by reason: "
                        + "unknown_match, wrong_server, wrong_roster, wrong_round")
                .labelNames("reason")
                .register(registry);
        resultsTrimmed = Counter.builder()
                .name("trespasser_frontend_results_trimmed_total")
                .help("Results stream entries removed after every consumer group acknowledged them")
                .register(registry);
        resultsStreamEntries = Gauge.builder()
                .name("trespasser_frontend_results_stream_entries")
                .help("Entries in the results stream after the last trim: grows only while results go unacknowledged")
                .register(registry);
    }

    public void request(String method, String code, double seconds) {
        requests.labelValues(method, code).inc();
        requestDuration.labelValues(method).observe(seconds);
    }

    public void rateLimited(String method) {
        rateLimited.labelValues(method).inc();
    }

    public void login(String kind, String result) {
        logins.labelValues(kind, result).inc();
    }

    /** {@code done} or {@code refused} (pool and queue full). */
    public void passwordHash(String result) {
        passwordHashes.labelValues(result).inc();
    }

    public void ticket(String event) {
        tickets.labelValues(event).inc();
    }

    public void tickets(String event, int count) {
        tickets.labelValues(event).inc(count);
    }

    public void watchStreamOpened() {
        watchStreams.inc();
    }

    public void watchStreamClosed() {
        watchStreams.dec();
    }

    public void assignmentDelivered(double waitedSeconds) {
        assignments.labelValues("delivered").inc();
        queueWait.observe(waitedSeconds);
    }

    public void assignmentRefused() {
        assignments.labelValues("refused").inc();
    }

    public void result(String result) {
        results.labelValues(result).inc();
    }

    public void forgedResult(String reason) {
        forgedResults.labelValues(reason).inc();
    }

    public void resultsTrimmed(long removed, long remaining) {
        resultsTrimmed.inc(removed);
        resultsStreamEntries.set(remaining);
    }
}
