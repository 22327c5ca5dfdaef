package dev.trespasser.proto;

import dev.trespasser.proto.allocation.v1.MatchRules;
import java.time.Duration;

/**
 * How long a match can last on its server, from allocation to the last scoreboard: the one
 * derivation behind the join token's expiry, the director's assignment keys and the frontend's
 * memory of a delivered assignment. Each must outlive the match, or a player who reloads the page
 * late in a restarted match cannot rejoin it.
 *
 * <p>The phase lengths are GAME.md's ("Match flow"); the match server's defaults are checked
 * against them by a test, so the two cannot drift apart.
 */
public final class MatchLifetime {

    /** Rounds per match when the rules say 0: the first and up to four restarts. */
    public static final int DEFAULT_MAX_ROUNDS = 5;
    /** The game's time limit when the rules say 0. */
    public static final int DEFAULT_TIME_LIMIT_SECONDS = 600;
    /** Waiting for the roster to connect, once per match. */
    public static final int WAITING_SECONDS = 30;
    /** Per round: warmup, the final kill shown ({@code ending}, rounded up) and the scoreboard with its vote. */
    public static final int WARMUP_SECONDS = 5;

    public static final int ENDING_SECONDS = 3;
    public static final int SCOREBOARD_SECONDS = 15;
    /** Clock skew between services, a slow allocation, a late reconnect: what a player should never notice. */
    public static final Duration MARGIN = Duration.ofMinutes(5);

    private MatchLifetime() {}

    /** Rounds these rules allow, the first included. */
    public static int maxRounds(MatchRules rules) {
        int rounds = rules.getMaxRounds();
        return rounds == 0 ? DEFAULT_MAX_ROUNDS : rounds;
    }

    /** The longest a match under these rules can last after its allocation, plus {@link #MARGIN}. */
    public static Duration longest(MatchRules rules) {
        long timeLimit = Integer.toUnsignedLong(rules.getTimeLimitSeconds());
        long round = WARMUP_SECONDS
                + (timeLimit == 0 ? DEFAULT_TIME_LIMIT_SECONDS : timeLimit)
                + ENDING_SECONDS
                + SCOREBOARD_SECONDS;
        return Duration.ofSeconds(WAITING_SECONDS + Integer.toUnsignedLong(maxRounds(rules)) * round)
                .plus(MARGIN);
    }
}
