package dev.trespasser.match.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trespasser.game.movement.Speed;
import dev.trespasser.game.world.GameMap;
import org.junit.jupiter.api.Test;

class PhaseTest {

    private static final int SECOND = 60;
    private static final GameMap ARENA = Arena.open(600, 300).map();

    private static Match fresh(MatchSettings settings, Team... teams) {
        return new Match(ARENA, settings, Play.roster(teams), 7);
    }

    private static MatchSettings oneShotKills(MatchSettings s) {
        MatchSettings.Rifle r = s.rifle();
        return s.withRifle(new MatchSettings.Rifle(100, r.cooldownMillis(), r.range(), 0, 0, 0, r.sliceDamage()));
    }

    /** A 1v1 in its active phase where red has just killed blue once. */
    private static Play redScores(MatchSettings settings) {
        Play play = Arena.open(600, 300)
                .play(oneShotKills(settings), Team.RED, Team.BLUE)
                .place(0, 100, 151)
                .place(1, 200, 151);
        play.shoot(0, 0);
        return play;
    }

    private static Play toScoreboard(MatchSettings settings) {
        Play play = redScores(settings.withPrivateRules(1, 600, false));
        return play.untilPhase(Phase.SCOREBOARD, 10 * SECOND);
    }

    @Test
    void fewerThanTwoConnectedAbandonsMatch() {
        Play play = new Play(fresh(MatchSettings.defaults(), Team.RED, Team.RED, Team.BLUE, Team.BLUE));
        play.match.connect(0);
        play.run(30 * SECOND - 1);
        assertEquals(Phase.WAITING, play.match.phase());
        play.run(1);
        assertEquals(Phase.CLOSED, play.match.phase());
        assertEquals(Outcome.ABANDONED, play.match.outcome());
        assertFalse(play.match.connect(1), "nobody joins a closed match");
    }

    @Test
    void twoConnectedStartAfterThirtySecondsOfWaiting() {
        Play play = new Play(fresh(MatchSettings.defaults(), Team.RED, Team.RED, Team.BLUE, Team.BLUE));
        play.match.connect(0);
        play.match.connect(2);
        play.run(30 * SECOND);
        assertEquals(Phase.WARMUP, play.match.phase());
        assertTrue(play.player(0).alive() && play.player(2).alive());
        assertFalse(play.player(1).alive(), "not connected, not spawned");
    }

    @Test
    void fullRosterStartsWarmupAtOnceThenPlaysAfterFiveSeconds() {
        Play play = new Play(fresh(MatchSettings.defaults(), Team.RED, Team.BLUE));
        play.match.connect(0);
        play.match.connect(1);
        play.run(1);
        assertEquals(Phase.WARMUP, play.match.phase());
        assertEquals(new MatchEvent.PhaseChange(Phase.WARMUP, 5 * SECOND), play.phases.get(0));
        play.run(5 * SECOND - 1);
        assertEquals(Phase.WARMUP, play.match.phase());
        play.run(1);
        assertEquals(Phase.ACTIVE, play.match.phase());
    }

    @Test
    void nobodyShootsDuringWarmup() {
        Play play = new Play(fresh(MatchSettings.defaults(), Team.RED, Team.BLUE));
        play.match.connect(0);
        play.match.connect(1);
        play.run(1);
        play.hold(0, PlayerInput.FIRE | PlayerInput.THROW_CHARGE, Speed.WALK, 0).seconds(2);
        assertTrue(play.shots.isEmpty());
        assertTrue(play.match.charges().isEmpty());
    }

    @Test
    void killLimitEndsMatchWithWinner() {
        Play play = redScores(Play.quietSettings().withPrivateRules(1, 600, false));
        assertEquals(Phase.ENDING, play.match.phase());
        assertEquals(Winner.RED, play.match.winner());
        play.seconds(3);
        assertEquals(Phase.SCOREBOARD, play.match.phase());
        assertEquals(Outcome.RUNNING, play.match.outcome());
    }

    @Test
    void moreKillsAtTimeLimitWins() {
        Play play = redScores(Play.quietSettings().withPrivateRules(50, 60, false));
        play.untilPhase(Phase.ENDING, 61 * SECOND);
        assertEquals(Winner.RED, play.match.winner());
        assertEquals(1, play.match.kills(Team.RED));
    }

    @Test
    void equalKillsAtTimeLimitIsDraw() {
        Play play = Arena.open(600, 300)
                .play(oneShotKills(Play.quietSettings()).withPrivateRules(50, 60, false), Team.RED, Team.BLUE)
                .place(0, 100, 151)
                .place(1, 200, 151);
        play.aim(1, 180).run(1);
        play.hold(0, PlayerInput.FIRE, Speed.SNEAK, 0)
                .hold(1, PlayerInput.FIRE, Speed.SNEAK, 180)
                .run(1);
        play.hold(0, 0, Speed.SNEAK, 90).hold(1, 0, Speed.SNEAK, 90);
        assertEquals(1, play.match.kills(Team.RED));
        assertEquals(1, play.match.kills(Team.BLUE));
        play.untilPhase(Phase.ENDING, 61 * SECOND);
        assertEquals(Winner.DRAW, play.match.winner());
    }

    @Test
    void twoVotesRestartMatch() {
        Play play = Arena.open(600, 300)
                .wallV(300, 0, 150)
                .play(oneShotKills(Play.quietSettings()).withPrivateRules(1, 600, false), Team.RED, Team.BLUE)
                .place(0, 100, 151)
                .place(1, 200, 151);
        play.breakSliceAt(303, 151).shoot(0, 0).untilPhase(Phase.SCOREBOARD, 10 * SECOND);
        assertTrue(play.match.vote(0));
        assertFalse(play.match.vote(0), "one vote per player");
        assertTrue(play.match.vote(1));
        play.seconds(15);
        assertEquals(Phase.WARMUP, play.match.phase());
        assertEquals(Outcome.RUNNING, play.match.outcome());
        assertEquals(0, play.match.kills(Team.RED));
        assertEquals(0, play.player(0).kills());
        assertEquals(0, play.player(1).deaths());
        assertEquals(0, play.match.restartVotes());
        assertTrue(play.player(0).alive() && play.player(1).alive());
        assertEquals(play.match.slices().count(), play.match.slices().intactCount(), "walls rebuilt");
    }

    @Test
    void oneVoteReturnsServer() {
        Play play = toScoreboard(Play.quietSettings());
        assertTrue(play.match.vote(1));
        play.seconds(15);
        assertEquals(Phase.CLOSED, play.match.phase());
        assertEquals(Outcome.FINISHED, play.match.outcome());
        assertEquals(Winner.RED, play.match.winner());
        assertEquals(1, play.match.kills(Team.RED), "the final score stays readable for the results");
    }

    @Test
    void votesCountOnlyDuringTheScoreboardFromConnectedPlayers() {
        Play play = redScores(Play.quietSettings());
        assertFalse(play.match.vote(0), "not during play");
        play = toScoreboard(Play.quietSettings());
        play.match.vote(0);
        play.match.vote(1);
        play.match.disconnect(1);
        assertEquals(1, play.match.restartVotes(), "a player who left takes their vote along");
        play.seconds(15);
        assertEquals(Outcome.FINISHED, play.match.outcome());
    }

    @Test
    void restartKeepsOnlyThePlayersWhoStayed() {
        Play play = toScoreboardWithThree();
        play.match.vote(0);
        play.match.vote(1);
        play.match.disconnect(2);
        play.seconds(15);
        assertEquals(Phase.WARMUP, play.match.phase());
        assertTrue(play.player(2).dropped());
        assertFalse(play.match.connect(2), "the slot of a player who left is gone after a restart");
    }

    private static Play toScoreboardWithThree() {
        Play play = Arena.open(600, 300)
                .play(
                        oneShotKills(Play.quietSettings()).withPrivateRules(1, 600, false),
                        Team.RED,
                        Team.BLUE,
                        Team.BLUE)
                .place(0, 100, 151)
                .place(1, 200, 151);
        play.shoot(0, 0);
        return play.untilPhase(Phase.SCOREBOARD, 10 * SECOND);
    }

    @Test
    void reconnectKeepsSlotWithinSixtySeconds() {
        Play play = Arena.open(600, 300).duel();
        play.match.disconnect(1);
        assertFalse(play.player(1).alive(), "the character leaves with the player");
        assertEquals(0, play.player(1).deaths(), "leaving is not dying");
        play.run(60 * SECOND - 1);
        play.connections.clear();
        assertTrue(play.match.connect(1));
        play.run(1);
        assertTrue(play.player(1).alive(), "back in the game on a fresh spawn");
        assertEquals(
                1,
                play.connections.stream()
                        .filter(c -> c.state() == MatchEvent.Connection.CONNECTED && c.slot() == 1)
                        .count());
    }

    @Test
    void slotIsDroppedAfterSixtySecondsAndTheMatchGoesOn() {
        Play play = Arena.open(600, 300).duel();
        play.match.disconnect(1);
        play.run(60 * SECOND);
        assertTrue(play.player(1).dropped());
        assertTrue(play.connections.contains(new MatchEvent.ConnectionChange(1, MatchEvent.Connection.DROPPED)));
        assertFalse(play.match.connect(1));
        assertEquals(Phase.ACTIVE, play.match.phase());
    }

    @Test
    void respawnCountdownPausesWhileDisconnected() {
        Play play = redScores(Play.quietSettings());
        play.match.disconnect(1);
        play.seconds(5);
        play.match.connect(1);
        play.run(1);
        assertFalse(play.player(1).alive(), "leaving did not skip the respawn wait");
        play.seconds(3);
        assertTrue(play.player(1).alive());
    }

    @Test
    void everySlotDroppedEndsTheRound() {
        Play play = Arena.open(600, 300).duel();
        play.match.disconnect(0);
        play.match.disconnect(1);
        play.run(60 * SECOND);
        assertEquals(Phase.ENDING, play.match.phase());
        play.untilPhase(Phase.CLOSED, 30 * SECOND);
        assertEquals(Outcome.FINISHED, play.match.outcome());
    }

    @Test
    void resetReturnsToTheStateRightAfterConstruction() {
        Match match = fresh(oneShotKills(Play.quietSettings()), Team.RED, Team.BLUE);
        long initial = match.stateHash();
        Play play = new Play(match);
        match.connect(0);
        match.connect(1);
        play.untilPhase(Phase.ACTIVE, 10)
                .place(0, 100, 151)
                .place(1, 200, 151)
                .shoot(0, 0)
                .run(500);
        assertEquals(1, match.kills(Team.RED));
        match.reset();
        assertEquals(initial, match.stateHash());
        assertEquals(Phase.WAITING, match.phase());
        assertEquals(0, match.currentTick());
        assertTrue(match.replay().commands().isEmpty());
    }
}
