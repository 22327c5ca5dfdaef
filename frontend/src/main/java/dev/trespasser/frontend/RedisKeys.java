package dev.trespasser.frontend;

/**
 * Every Redis key and channel the frontend reads or writes, in one place. The assignment and
 * results names are contracts with the director and the match server (see README.md).
 */
public final class RedisKeys {

    /** Hash per account, by lower-cased username: player_id, username, salt, iterations, hash. */
    public static String account(String usernameLower) {
        return "trespasser:account:" + usernameLower;
    }

    /** Hash per player: username, guest, rating, matches, wins, losses, draws, kills, deaths. */
    public static String player(String playerId) {
        return "trespasser:player:" + playerId;
    }

    /** Hash per refresh token, by SHA-256 of the token: player_id, username, guest. Has a TTL. */
    public static String refreshToken(String tokenSha256Hex) {
        return "trespasser:refresh:" + tokenSha256Hex;
    }

    /** Hash per queued player: see {@code QueueEntry}. */
    public static String queueEntry(String playerId) {
        return "trespasser:queue:" + playerId;
    }

    /** Sorted set of queued player ids, scored by when the sweeper must look at them (epoch ms). */
    public static final String QUEUE_DUE = "trespasser:queue-due";

    /** Short lock that serialises queue changes of one player across frontend replicas. */
    public static String queueLock(String playerId) {
        return "trespasser:queue-lock:" + playerId;
    }

    /** Which player a ticket belongs to; lives a little longer than the ticket. */
    public static String ticketOwner(String ticketId) {
        return "trespasser:ticket:" + ticketId;
    }

    /** Written by the director: protobuf JSON of trespasser.frontend.v1.Assignment, TTL 600 s. */
    public static String assignment(String ticketId) {
        return "trespasser:assignment:" + ticketId;
    }

    /**
     * Written by the director for each player of a ticket: that player's own join token. Read
     * first; {@link #assignment(String)} is the ticket-level fallback (single-player tickets).
     */
    public static String playerAssignment(String ticketId, String playerId) {
        return "trespasser:assignment:" + ticketId + ":" + playerId;
    }

    /** Set by the director while it allocates a server for the ticket's match; never requeue then. */
    public static String claim(String ticketId) {
        return "trespasser:claim:" + ticketId;
    }

    /** The director PUBLISHes a ticket id here after writing {@link #assignment(String)}. */
    public static final String ASSIGNMENTS_CHANNEL = "trespasser:assignments";

    /** The ticket whose assignment a player last received, so a reconnecting stream gets it again. */
    public static String deliveredAssignment(String playerId) {
        return "trespasser:delivered:" + playerId;
    }

    /** Stream of assignments the frontend refused to deliver (player cancelled first). */
    public static final String ASSIGNMENT_REFUSALS = "trespasser:assignment-refusals";

    /** Marks a refusal as reported, so N replicas report it once. */
    public static String assignmentRefused(String ticketId) {
        return "trespasser:assignment-refused:" + ticketId;
    }

    /** Written by match servers; see trespasser/results/v1/results.proto. */
    public static final String MATCH_RESULTS = "trespasser:match-results";

    public static final String RESULTS_GROUP = "frontend-ratings";

    /** Set once per applied result, so a redelivered entry changes nothing. */
    public static String resultApplied(String matchId, int round) {
        return "trespasser:result-applied:" + matchId + ":" + round;
    }

    private RedisKeys() {}
}
