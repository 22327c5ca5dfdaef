package dev.trespasser.frontend.results;

import dev.trespasser.proto.results.v1.MatchResult;
import dev.trespasser.proto.results.v1.Outcome;
import dev.trespasser.proto.results.v1.PlayerResult;
import dev.trespasser.proto.results.v1.ResultTeam;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.ToDoubleFunction;

/**
 * Team Elo. Each team's strength is the mean rating of its players; red's expected score is
 * E = 1 / (1 + 10^((Rblue - Rred) / 400)); every red player gets K * (S - E) and every blue player
 * the opposite, with S = 1 for a red win, 0 for a loss, 0.5 for a draw and K = 32. Abandoned
 * matches change nothing. Players who left before the end share their team's result.
 */
public final class EloRating {

    public static final double K = 32.0;

    private EloRating() {}

    public static double expectedScore(double rating, double opponentRating) {
        return 1.0 / (1.0 + Math.pow(10.0, (opponentRating - rating) / 400.0));
    }

    /**
     * The updates a result makes, given each player's current rating. Empty for abandoned or
     * unspecified outcomes. Players without a team, or listed twice, count once or not at all.
     * With one team empty there is nobody to be rated against: stats count, ratings stay.
     */
    public static List<PlayerUpdate> updates(MatchResult result, ToDoubleFunction<String> currentRating) {
        Outcome outcome = result.getOutcome();
        if (outcome != Outcome.OUTCOME_RED_WON
                && outcome != Outcome.OUTCOME_BLUE_WON
                && outcome != Outcome.OUTCOME_DRAW) {
            return List.of();
        }
        List<PlayerResult> red = new ArrayList<>();
        List<PlayerResult> blue = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (PlayerResult player : result.getPlayersList()) {
            if (player.getPlayerId().isEmpty() || !seen.add(player.getPlayerId())) {
                continue;
            }
            if (player.getTeam() == ResultTeam.RESULT_TEAM_RED) {
                red.add(player);
            } else if (player.getTeam() == ResultTeam.RESULT_TEAM_BLUE) {
                blue.add(player);
            }
        }
        double redScore = switch (outcome) {
            case OUTCOME_RED_WON -> 1.0;
            case OUTCOME_BLUE_WON -> 0.0;
            default -> 0.5;
        };
        double redDelta = 0;
        if (!red.isEmpty() && !blue.isEmpty()) {
            double expectedRed = expectedScore(mean(red, currentRating), mean(blue, currentRating));
            redDelta = K * (redScore - expectedRed);
        }
        List<PlayerUpdate> updates = new ArrayList<>(red.size() + blue.size());
        for (PlayerResult player : red) {
            updates.add(update(player, redDelta, redScore));
        }
        for (PlayerResult player : blue) {
            updates.add(update(player, -redDelta, 1.0 - redScore));
        }
        return updates;
    }

    private static PlayerUpdate update(PlayerResult player, double delta, double score) {
        return new PlayerUpdate(
                player.getPlayerId(),
                delta,
                score == 1.0 ? 1 : 0,
                score == 0.0 ? 1 : 0,
                score == 0.5 ? 1 : 0,
                Integer.toUnsignedLong(player.getKills()),
                Integer.toUnsignedLong(player.getDeaths()));
    }

    private static double mean(List<PlayerResult> team, ToDoubleFunction<String> rating) {
        return team.stream()
                .mapToDouble(p -> rating.applyAsDouble(p.getPlayerId()))
                .average()
                .orElseThrow();
    }
}
