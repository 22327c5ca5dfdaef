package dev.trespasser.proto;

/**
 * The Redis keys, channels and streams that more than one service uses: the director writes
 * assignments and claims that the frontend reads, and match servers append the results that the
 * frontend rates. They are wire contracts like the protos, so they live here once; keys that a
 * single service owns stay in that service.
 */
public final class RedisNames {

    /**
     * The ticket-level assignment (protobuf JSON of {@code trespasser.frontend.v1.Assignment}),
     * written by the director for single-player tickets, read by the frontend as a fallback.
     */
    public static String assignment(String ticketId) {
        return "trespasser:assignment:" + ticketId;
    }

    /** One player's assignment with their own join token; written by the director, read first. */
    public static String playerAssignment(String ticketId, String playerId) {
        return assignment(ticketId) + ":" + playerId;
    }

    /** The director PUBLISHes a ticket id here after writing its assignment keys. */
    public static final String ASSIGNMENTS_CHANNEL = "trespasser:assignments";

    /**
     * Held by the director while it places the ticket's match, then kept; the frontend never
     * re-creates a claimed ticket.
     */
    public static String ticketClaim(String ticketId) {
        return "trespasser:claim:" + ticketId;
    }

    /** The director's claim on one player's wait ({@code <player>@<queued since ms>}). */
    public static String waitClaim(String wait) {
        return "trespasser:wait-claim:" + wait;
    }

    /**
     * Sorted set of the tickets queued for one mode (its label, e.g. {@code 4v4}) and region,
     * scored by ticket creation time in epoch ms. The frontend adds a ticket when it creates it and
     * removes it when the ticket ends; the director reads its size to cut a large pool into
     * creation-time slices that each fit one om-core chunk. It may over-count (a ticket matched but
     * not yet delivered, a member left by a crash until it ages past the ticket TTL), never under-count.
     */
    public static String queuedTickets(String modeLabel, String region) {
        return "trespasser:queued-tickets:" + modeLabel + ":" + region;
    }

    /**
     * Hash per allocated match, written by the director when it publishes the assignments and read
     * by the frontend's results consumer, which applies a result only if it matches: fields
     * {@link #MATCH_RECORD_GAME_SERVER} (the GameServer allocated), {@link #MATCH_RECORD_ROSTER}
     * ({@code <player id>=<RosterTeam number>} joined by commas) and {@link #MATCH_RECORD_MAX_ROUNDS}.
     * A match server may not read or write it (open-match/redis/results-redis-users.conf).
     */
    public static String matchRecord(String matchId) {
        return "trespasser:match-record:" + matchId;
    }

    public static final String MATCH_RECORD_GAME_SERVER = "game_server";
    public static final String MATCH_RECORD_ROSTER = "roster";
    public static final String MATCH_RECORD_MAX_ROUNDS = "max_rounds";

    /** The stream match servers append results to (see trespasser/results/v1/results.proto). */
    public static final String MATCH_RESULTS_STREAM = "trespasser:match-results";

    private RedisNames() {}
}
