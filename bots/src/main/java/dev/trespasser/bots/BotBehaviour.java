package dev.trespasser.bots;

import java.time.Duration;
import java.util.Objects;

/**
 * How bots behave around the game, beyond the AI that plays it.
 *
 * @param dropAndReconnectChance per match, the chance that the bot drops its WebSocket once while
 *                               the match is active and reconnects with the same join token (the
 *                               server keeps its slot 60 s)
 * @param voteRestartChance      per scoreboard, the chance that the bot votes to play again
 *                               (never on its last round: it would leave a restarted match empty)
 * @param reconnectDelay         how long a bot stays away after dropping on purpose, and the first
 *                               back-off after an unexpected close
 * @param reconnectAttempts      how many times a bot tries to rejoin after an unexpected close
 *                               before giving the match up and queueing again
 * @param inputRateHz            inputs sent per second while playing (a browser sends one per frame)
 */
public record BotBehaviour(
        double dropAndReconnectChance,
        double voteRestartChance,
        Duration reconnectDelay,
        int reconnectAttempts,
        int inputRateHz) {

    public static final double DEFAULT_DROP_AND_RECONNECT_CHANCE = 0.1;
    public static final double DEFAULT_VOTE_RESTART_CHANCE = 0.5;
    public static final Duration DEFAULT_RECONNECT_DELAY = Duration.ofSeconds(1);
    public static final int DEFAULT_RECONNECT_ATTEMPTS = 3;
    public static final int DEFAULT_INPUT_RATE_HZ = 60;

    public BotBehaviour {
        requireChance(dropAndReconnectChance, "drop-and-reconnect chance");
        requireChance(voteRestartChance, "vote-restart chance");
        Objects.requireNonNull(reconnectDelay, "reconnectDelay");
        if (reconnectDelay.isNegative() || reconnectDelay.compareTo(Duration.ofSeconds(50)) > 0) {
            // The server keeps a slot 60 s: a longer absence could never reconnect.
            throw new IllegalArgumentException("reconnect delay must be 0-50 s: " + reconnectDelay);
        }
        if (reconnectAttempts < 0 || reconnectAttempts > 20) {
            throw new IllegalArgumentException("reconnect attempts must be 0-20: " + reconnectAttempts);
        }
        // The edge admits 120 frames/s including acks at up to 60 Hz snapshots; 60 inputs fit.
        if (inputRateHz < 1 || inputRateHz > 60) {
            throw new IllegalArgumentException("input rate must be 1-60 Hz: " + inputRateHz);
        }
    }

    /** Two-thirds of a real player's habits: some drops, some votes, a browser's input rate. */
    public static BotBehaviour defaults() {
        return new BotBehaviour(
                DEFAULT_DROP_AND_RECONNECT_CHANCE,
                DEFAULT_VOTE_RESTART_CHANCE,
                DEFAULT_RECONNECT_DELAY,
                DEFAULT_RECONNECT_ATTEMPTS,
                DEFAULT_INPUT_RATE_HZ);
    }

    public BotBehaviour withDropAndReconnectChance(double chance) {
        return new BotBehaviour(chance, voteRestartChance, reconnectDelay, reconnectAttempts, inputRateHz);
    }

    public BotBehaviour withVoteRestartChance(double chance) {
        return new BotBehaviour(dropAndReconnectChance, chance, reconnectDelay, reconnectAttempts, inputRateHz);
    }

    public BotBehaviour withReconnectDelay(Duration delay) {
        return new BotBehaviour(dropAndReconnectChance, voteRestartChance, delay, reconnectAttempts, inputRateHz);
    }

    public BotBehaviour withReconnectAttempts(int attempts) {
        return new BotBehaviour(dropAndReconnectChance, voteRestartChance, reconnectDelay, attempts, inputRateHz);
    }

    public BotBehaviour withInputRateHz(int hz) {
        return new BotBehaviour(dropAndReconnectChance, voteRestartChance, reconnectDelay, reconnectAttempts, hz);
    }

    private static void requireChance(double value, String what) {
        if (!(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException(what + " must be 0-1: " + value);
        }
    }
}
