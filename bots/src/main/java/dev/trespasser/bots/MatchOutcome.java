package dev.trespasser.bots;

import java.util.Optional;

/**
 * How one round of a match ended for one bot (a round is what a restart vote repeats).
 *
 * @param winner     "red" or "blue"; empty for a draw or an abandoned match
 * @param redKills   the red team's score
 * @param blueKills  the blue team's score
 * @param kills      this bot's kills, from the last scoreboard it saw (0 when it saw none)
 * @param deaths     this bot's deaths, likewise
 * @param abandoned  too few players came: no result
 * @param restarting enough players voted: the next round follows on the same server and connection
 * @param round      1 for a match's first round, 2 after one restart, and so on
 */
public record MatchOutcome(
        Optional<String> winner,
        int redKills,
        int blueKills,
        int kills,
        int deaths,
        boolean abandoned,
        boolean restarting,
        int round) {

    public boolean draw() {
        return winner.isEmpty() && !abandoned;
    }
}
