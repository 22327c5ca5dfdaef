package dev.trespasser.proto;

/**
 * Prometheus names that a process other than their owner reads: the local stack scrapes the
 * match servers' traffic for its bandwidth-per-player figure. Counters are exposed with
 * {@code _total} appended. Names only their owner reads stay in that service.
 */
public final class MetricNames {

    /** Counter: WebSocket payload bytes a match server sent to players. */
    public static final String MATCH_BYTES_SENT = "trespasser_match_bytes_sent";

    /** Counter: WebSocket payload bytes a match server received from players. */
    public static final String MATCH_BYTES_RECEIVED = "trespasser_match_bytes_received";

    /** Gauge: players connected to a match server. */
    public static final String MATCH_CONNECTED_PLAYERS = "trespasser_match_connected_players";

    private MetricNames() {}
}
