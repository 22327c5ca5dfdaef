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

    /** The stream match servers append results to (see trespasser/results/v1/results.proto). */
    public static final String MATCH_RESULTS_STREAM = "trespasser:match-results";

    private RedisNames() {}
}
