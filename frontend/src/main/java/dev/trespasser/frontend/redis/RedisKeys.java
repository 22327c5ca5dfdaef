package dev.trespasser.frontend.redis;

/**
 * Every Redis key the frontend owns, in one place. The names it shares with the director
 * (assignments, claims) and the match servers (results) are in {@code RedisNames}.
 */
public final class RedisKeys {

    /**
     * Hash per account, by lower-cased username: player_id, username, password (PHC string,
     * Argon2id); accounts written before Argon2id hold salt, iterations, hash (PBKDF2) instead until
     * their next login.
     */
    public static String account(String usernameLower) {
        return "trespasser:account:" + usernameLower;
    }

    /** Hash per player: username, guest, rating, matches, wins, losses, draws, kills, deaths. */
    public static String player(String playerId) {
        return "trespasser:player:" + playerId;
    }

    /**
     * Hash per refresh token, by SHA-256 of the token: family. Kept after rotation (until its TTL)
     * so a rotated-out token presented again is recognised. Tokens issued before families hold
     * player_id, username, guest instead.
     */
    public static String refreshToken(String tokenSha256Hex) {
        return "trespasser:refresh:" + tokenSha256Hex;
    }

    /** Hash per refresh-token family (one login session): player_id, username, guest, current (SHA-256 of the live token). Has a TTL. */
    public static String refreshFamily(String familyId) {
        return "trespasser:refresh-family:" + familyId;
    }

    /** Sorted set of a player's refresh-token families, scored by when they expire (epoch ms). */
    public static String playerSessions(String playerId) {
        return "trespasser:sessions:" + playerId;
    }

    /** Hash per lower-cased username, known or not: failures, locked_until (epoch ms). Has a TTL. */
    public static String loginFailures(String usernameLower) {
        return "trespasser:login-failures:" + usernameLower;
    }

    /** Hash per queued player: see {@code QueueEntry}. */
    public static String queueEntry(String playerId) {
        return "trespasser:queue:" + playerId;
    }

    /** Sorted set of queued player ids, scored by when the sweeper must look at them (epoch ms). */
    public static final String QUEUE_DUE = "trespasser:queue-due";

    /**
     * Epoch ms: om-core was seen coming back (a reconnect) at this time, so every ticket created
     * before it may be gone. Only ever raised.
     */
    public static final String OM_CORE_TICKETS_LOST_BEFORE = "trespasser:om-core-tickets-lost-before";

    /** Which frontend replica runs the queue reconcile (a lease of three reconcile intervals). */
    public static final String QUEUE_RECONCILER = "trespasser:queue-reconciler";

    /** Short lock that serialises queue changes of one player across frontend replicas. */
    public static String queueLock(String playerId) {
        return "trespasser:queue-lock:" + playerId;
    }

    /** Which player a ticket belongs to; lives a little longer than the ticket. */
    public static String ticketOwner(String ticketId) {
        return "trespasser:ticket:" + ticketId;
    }

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

    public static final String RESULTS_GROUP = "frontend-ratings";

    /** Set once per applied result, so a redelivered entry changes nothing. */
    public static String resultApplied(String matchId, int round) {
        return "trespasser:result-applied:" + matchId + ":" + round;
    }

    private RedisKeys() {}
}
