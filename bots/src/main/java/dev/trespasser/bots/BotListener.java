package dev.trespasser.bots;

/**
 * What bots report as they go. Called from the bots' own threads (several at once): keep
 * implementations quick and thread-safe. {@code player} is the bot's label,
 * {@code <namePrefix>-<n>}, stable from before it logs in; {@link #onLoggedIn} maps it to the
 * frontend's player id.
 */
public interface BotListener {

    BotListener NONE = new BotListener() {};

    default void onLoggedIn(String player, String playerId, String username) {}

    /** FindMatch succeeded: the bot waits for an assignment. */
    default void onQueued(String player) {}

    default void onAssigned(String player, String matchId, String host, int port) {}

    /** The match server admitted the bot ("red" or "blue"); again after every reconnect. */
    default void onWelcome(String player, String matchId, String team) {}

    /** Once per round; {@link MatchOutcome#restarting()} says whether another round follows. */
    default void onMatchEnded(String player, String matchId, MatchOutcome outcome) {}

    /**
     * The WebSocket closed before the match ended: on purpose (close code 1000, the bot
     * reconnects), because the server refused or closed it (4000 + ErrorReason), or abnormally
     * (1006: the server went away). The bot then tries to reconnect or queues again.
     */
    default void onDisconnected(String player, String matchId, int closeCode, String reason) {}

    /** Rejoined with the same token; {@code sameSlot}: same slot and team as before the drop. */
    default void onReconnected(String player, String matchId, boolean sameSlot) {}

    /** The bot gave its match up (or the queue gave up on it) and calls FindMatch again. */
    default void onRequeued(String player, String reason) {}

    /** Something went wrong that the bot could not play through; it carries on where it can. */
    default void onError(String player, Throwable error) {}

    /** The bot stopped: its matches are played, the run's duration is over, or it was closed. */
    default void onFinished(String player) {}
}
