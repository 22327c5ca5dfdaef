package dev.trespasser.frontend.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trespasser.proto.results.v1.MatchResult;
import dev.trespasser.proto.results.v1.Outcome;
import dev.trespasser.proto.results.v1.PlayerResult;
import dev.trespasser.proto.results.v1.ResultTeam;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EloRatingTest {

    @Test
    void evenTeamsMoveSixteenPointsEachWay() {
        List<PlayerUpdate> updates = EloRating.updates(match(Outcome.OUTCOME_RED_WON), id -> 1500.0);
        for (PlayerUpdate update : updates) {
            boolean red = update.playerId().startsWith("r");
            assertEquals(red ? 16.0 : -16.0, update.ratingDelta(), 1e-9, update.toString());
            assertEquals(red ? 1 : 0, update.wins());
            assertEquals(red ? 0 : 1, update.losses());
        }
        assertEquals(8, updates.size());
    }

    @Test
    void upsetPaysMoreThanAnExpectedWin() {
        Map<String, Double> ratings = Map.of(
                "r1", 1400.0, "r2", 1400.0, "r3", 1400.0, "r4", 1400.0, "b1", 1600.0, "b2", 1600.0, "b3", 1600.0, "b4",
                1600.0);
        double expectedRed = 1.0 / (1.0 + Math.pow(10, 200.0 / 400));
        PlayerUpdate red =
                EloRating.updates(match(Outcome.OUTCOME_RED_WON), ratings::get).get(0);
        assertEquals(32 * (1 - expectedRed), red.ratingDelta(), 1e-9);
        assertTrue(red.ratingDelta() > 16);
        PlayerUpdate redLoses =
                EloRating.updates(match(Outcome.OUTCOME_BLUE_WON), ratings::get).get(0);
        assertTrue(redLoses.ratingDelta() < 0 && redLoses.ratingDelta() > -16);
    }

    @Test
    void drawMovesTheStrongerTeamDown() {
        Map<String, Double> ratings = Map.of(
                "r1", 1700.0, "r2", 1700.0, "r3", 1700.0, "r4", 1700.0, "b1", 1500.0, "b2", 1500.0, "b3", 1500.0, "b4",
                1500.0);
        List<PlayerUpdate> updates = EloRating.updates(match(Outcome.OUTCOME_DRAW), ratings::get);
        assertTrue(updates.get(0).ratingDelta() < 0);
        assertEquals(-updates.get(0).ratingDelta(), updates.get(4).ratingDelta(), 1e-9);
        assertEquals(1, updates.get(0).draws());
    }

    @Test
    void abandonedOrUnspecifiedChangesNothing() {
        assertEquals(List.of(), EloRating.updates(match(Outcome.OUTCOME_ABANDONED), id -> 1500.0));
        assertEquals(List.of(), EloRating.updates(match(Outcome.OUTCOME_UNSPECIFIED), id -> 1500.0));
    }

    @Test
    void duplicateAndTeamlessPlayersDoNotCount() {
        MatchResult result = match(Outcome.OUTCOME_RED_WON).toBuilder()
                .addPlayers(PlayerResult.newBuilder().setPlayerId("r1").setTeam(ResultTeam.RESULT_TEAM_BLUE))
                .addPlayers(PlayerResult.newBuilder().setPlayerId("spectator"))
                .build();
        List<PlayerUpdate> updates = EloRating.updates(result, id -> 1500.0);
        assertEquals(8, updates.size());
        assertEquals(1, updates.stream().filter(u -> u.playerId().equals("r1")).count());
    }

    static MatchResult match(Outcome outcome) {
        MatchResult.Builder result =
                MatchResult.newBuilder().setMatchId("m-1").setOutcome(outcome).setMode("4v4");
        for (int i = 1; i <= 4; i++) {
            result.addPlayers(PlayerResult.newBuilder()
                    .setPlayerId("r" + i)
                    .setTeam(ResultTeam.RESULT_TEAM_RED)
                    .setKills(i)
                    .setDeaths(1)
                    .setPresentAtEnd(true));
        }
        for (int i = 1; i <= 4; i++) {
            result.addPlayers(PlayerResult.newBuilder()
                    .setPlayerId("b" + i)
                    .setTeam(ResultTeam.RESULT_TEAM_BLUE)
                    .setKills(1)
                    .setDeaths(i)
                    .setPresentAtEnd(true));
        }
        return result.build();
    }
}
