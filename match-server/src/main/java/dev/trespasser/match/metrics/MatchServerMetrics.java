package dev.trespasser.match.metrics;

import dev.trespasser.match.sim.Phase;
import dev.trespasser.proto.MetricNames;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Locale;

/**
 * The match server's Prometheus metrics ({@code trespasser_match_*}; the names other processes
 * scrape are in {@link MetricNames}), in a registry of their own
 * so tests can run several servers in one JVM. Safe to call from any thread.
 */
public final class MatchServerMetrics {

    private static final String NO_MATCH = "none";

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Histogram tickDuration;
    private final Histogram tickNetwork;
    private final Gauge connectedPlayers;
    private final Counter bytesSent;
    private final Counter bytesReceived;
    private final Counter snapshotsSent;
    private final Counter snapshotsDropped;
    private final Counter inputsDropped;
    private final Counter kills;
    private final Counter slicesDestroyed;
    private final Counter matchesCompleted;
    private final Counter rejections;
    private final Counter playerTrackingFailures;
    private final Gauge phase;
    private final Counter resultsPublished;
    private final Counter resultPublishFailures;
    private final Counter resultsUndelivered;
    private final Counter replaysSkipped;
    private final Gauge resultSpoolRounds;
    private final Gauge resultSpoolBytes;
    private volatile String currentPhase = NO_MATCH;

    public MatchServerMetrics() {
        tickDuration = Histogram.builder()
                .name("trespasser_match_tick_duration_seconds")
                .help("Wall time of one simulation tick including snapshot encoding, without the socket reads and"
                        + " writes around it (trespasser_match_tick_network_seconds)")
                .classicOnly()
                .classicUpperBounds(0.00001, 0.00002, 0.00005, 0.0001, 0.0002, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.025)
                .withoutExemplars()
                .register(registry);
        tickNetwork = Histogram.builder()
                .name("trespasser_match_tick_network_seconds")
                .help(
                        "Wall time the tick thread spends on the players' sockets per tick: reads before it, writes after")
                .classicOnly()
                .classicUpperBounds(0.00001, 0.00002, 0.00005, 0.0001, 0.0002, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.025)
                .withoutExemplars()
                .register(registry);
        connectedPlayers = Gauge.builder()
                .name(MetricNames.MATCH_CONNECTED_PLAYERS)
                .help("Players with a live, joined connection")
                .register(registry);
        bytesSent = counter(MetricNames.MATCH_BYTES_SENT, "WebSocket payload bytes sent to players");
        bytesReceived = counter(MetricNames.MATCH_BYTES_RECEIVED, "WebSocket payload bytes received from players");
        snapshotsSent = counter("trespasser_match_snapshots_sent", "Snapshots sent to players");
        snapshotsDropped = counter(
                "trespasser_match_snapshots_dropped",
                "Snapshots not sent because the player's connection was backed up");
        inputsDropped = counter("trespasser_match_inputs_dropped", "Client inputs and acks dropped by the rate limit");
        kills = counter("trespasser_match_kills", "Kills in all matches");
        slicesDestroyed = counter("trespasser_match_slices_destroyed", "Wall slices destroyed in all matches");
        matchesCompleted = counter("trespasser_match_matches_completed", "Matches this process finished");
        rejections = Counter.builder()
                .name("trespasser_match_connections_refused")
                .help("Connections closed by the server, by reason")
                .labelNames("reason")
                .withoutExemplars()
                .register(registry);
        playerTrackingFailures = Counter.builder()
                .name("trespasser_match_player_tracking_failures")
                .help("Agones PlayerConnect/PlayerDisconnect calls that failed (the players are unaffected)")
                .labelNames("call")
                .withoutExemplars()
                .register(registry);
        phase = Gauge.builder()
                .name("trespasser_match_phase")
                .help("1 for the phase of the hosted match (none: no match hosted)")
                .labelNames("phase")
                .register(registry);
        phase.labelValues(NO_MATCH).set(1);
        resultsPublished =
                counter("trespasser_match_results_published", "Round results appended to the results stream");
        resultPublishFailures = counter(
                "trespasser_match_result_publish_failures",
                "Send attempts of the result spool that failed (Redis unreachable); each is retried after a back-off");
        resultsUndelivered = Counter.builder()
                .name("trespasser_match_results_undelivered")
                .help("Round results given up (logged at ERROR with their JSON), by reason: shutdown, spool_full")
                .labelNames("reason")
                .withoutExemplars()
                .register(registry);
        replaysSkipped = Counter.builder()
                .name("trespasser_match_replays_skipped")
                .help("Replays not stored (their result still goes), by reason: too_large, spool_full, shutdown")
                .labelNames("reason")
                .withoutExemplars()
                .register(registry);
        resultSpoolRounds = Gauge.builder()
                .name("trespasser_match_result_spool_rounds")
                .help("Rounds held by the result spool: result or replay not yet written")
                .register(registry);
        resultSpoolBytes = Gauge.builder()
                .name("trespasser_match_result_spool_bytes")
                .help("Replay bytes held by the result spool")
                .register(registry);
    }

    private Counter counter(String name, String help) {
        // Exemplars would schedule a sampler task on every increment: no tracing here, so none.
        return Counter.builder().name(name).help(help).withoutExemplars().register(registry);
    }

    public PrometheusRegistry registry() {
        return registry;
    }

    public void tickDuration(long nanos) {
        tickDuration.observe(nanos / 1e9);
    }

    public void tickNetwork(long nanos) {
        tickNetwork.observe(nanos / 1e9);
    }

    public void playerConnected() {
        connectedPlayers.inc();
    }

    public void playerDisconnected() {
        connectedPlayers.dec();
    }

    public void bytesSent(long bytes) {
        bytesSent.inc(bytes);
    }

    public void bytesReceived(long bytes) {
        bytesReceived.inc(bytes);
    }

    public void snapshotSent() {
        snapshotsSent.inc();
    }

    public void snapshotDropped() {
        snapshotsDropped.inc();
    }

    public void inputDropped() {
        inputsDropped.inc();
    }

    public void kills(int n) {
        kills.inc(n);
    }

    public void slicesDestroyed(int n) {
        slicesDestroyed.inc(n);
    }

    /** Called by the lifecycle when a match's result has been handled. */
    public void matchCompleted() {
        matchesCompleted.inc();
    }

    /** A connection closed by the server, e.g. "bad_token" (the ErrorReason without its prefix). */
    public void connectionRefused(String reason) {
        rejections.labelValues(reason).inc();
    }

    /** An Agones player-tracking call ("connect" or "disconnect") that failed. */
    public void playerTrackingFailed(String call) {
        playerTrackingFailures.labelValues(call).inc();
    }

    /** The hosted match's phase; null when no match is hosted. */
    public synchronized void phase(Phase now) {
        String next = now == null ? NO_MATCH : now.name().toLowerCase(Locale.ROOT);
        if (!next.equals(currentPhase)) {
            phase.labelValues(currentPhase).set(0);
            phase.labelValues(next).set(1);
            currentPhase = next;
        }
    }

    public void resultPublished() {
        resultsPublished.inc();
    }

    public void resultPublishFailed() {
        resultPublishFailures.inc();
    }

    /** A round result given up: "shutdown" or "spool_full". */
    public void resultUndelivered(String reason) {
        resultsUndelivered.labelValues(reason).inc();
    }

    /** A replay not stored: "too_large", "spool_full" or "shutdown". */
    public void replaySkipped(String reason) {
        replaysSkipped.labelValues(reason).inc();
    }

    public void resultSpool(int rounds, long replayBytes) {
        resultSpoolRounds.set(rounds);
        resultSpoolBytes.set(replayBytes);
    }
}
