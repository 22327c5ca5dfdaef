package dev.trespasser.localstack.feed;

import dev.trespasser.bots.BotListener;
import dev.trespasser.bots.MatchOutcome;

/**
 * Feeds what the bots report into the console: who is who, match starts, drops. Time to match is
 * the bots' own figure ({@link dev.trespasser.bots.LoadReport#timeToMatch()}), not measured here again.
 */
public final class BotsToConsole implements BotListener {
    private final MatchConsole console;

    public BotsToConsole(MatchConsole console) {
        this.console = console;
    }

    @Override
    public void onLoggedIn(String player, String playerId, String username) {
        console.loggedIn(player, playerId);
    }

    @Override
    public void onWelcome(String player, String matchId, String team) {
        console.welcomed(matchId);
    }

    @Override
    public void onReconnected(String player, String matchId, boolean sameSlot) {
        console.note(
                "%s dropped and reconnected to match %s: %s",
                player, matchId, sameSlot ? "same slot" : "DIFFERENT slot");
    }

    @Override
    public void onMatchEnded(String player, String matchId, MatchOutcome outcome) {
        // the results stream reports each round once, with every player's score
    }
}
