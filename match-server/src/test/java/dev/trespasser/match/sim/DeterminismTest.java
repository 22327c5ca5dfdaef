package dev.trespasser.match.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trespasser.game.maps.MapCatalog;
import dev.trespasser.game.world.GameMap;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class DeterminismTest {

    private static final GameMap DEPOT = MapCatalog.load("depot");
    private static final Roster FOUR_V_FOUR =
            Play.roster(Team.RED, Team.RED, Team.RED, Team.RED, Team.BLUE, Team.BLUE, Team.BLUE, Team.BLUE);

    /** A 4v4 on depot with bots for the given number of ticks; one player drops and returns. */
    private static Match play(long seed, int ticks) {
        Match match = new Match(DEPOT, MatchSettings.defaults(), FOUR_V_FOUR, seed);
        Bots bots = new Bots(match, 99);
        for (int slot = 0; slot < 8; slot++) {
            match.connect(slot);
        }
        for (int t = 0; t < ticks; t++) {
            if (t == 1_000) {
                match.disconnect(5);
            }
            if (t == 1_600) {
                match.connect(5);
            }
            bots.tick();
        }
        return match;
    }

    @Test
    void sameInputsGiveSameHash() {
        Match a = new Match(DEPOT, MatchSettings.defaults(), FOUR_V_FOUR, 1234);
        Match b = new Match(DEPOT, MatchSettings.defaults(), FOUR_V_FOUR, 1234);
        Bots botsA = new Bots(a, 5);
        Bots botsB = new Bots(b, 5);
        for (int slot = 0; slot < 8; slot++) {
            a.connect(slot);
            b.connect(slot);
        }
        assertEquals(a.stateHash(), b.stateHash());
        for (int t = 0; t < 3_000; t++) {
            botsA.tick();
            botsB.tick();
            assertEquals(a.stateHash(), b.stateHash(), "diverged at tick " + t);
        }
    }

    @Test
    void differentSeedGivesDifferentMatch() {
        assertNotEquals(play(1, 2_000).stateHash(), play(2, 2_000).stateHash());
    }

    @Test
    void replayReproducesScoreAndHash() {
        Match match = play(77, 6_000);
        assertTrue(match.kills(Team.RED) + match.kills(Team.BLUE) > 0, "the bots did fight");
        Replay replay = match.replay();
        ReplayRunner.Result result = ReplayRunner.run(replay, DEPOT);
        assertTrue(result.matchesRecording());
        assertEquals(match.kills(Team.RED), result.redKills());
        assertEquals(match.kills(Team.BLUE), result.blueKills());
        assertEquals(match.stateHash(), result.finalHash());
    }

    @Test
    void replaySurvivesBytesAndBack() {
        Replay replay = play(78, 3_000).replay();
        byte[] bytes = ReplayCodec.encode(replay);
        Replay decoded = ReplayCodec.decode(bytes);
        assertEquals(replay, decoded);
        assertTrue(ReplayRunner.run(decoded, DEPOT).matchesRecording());
        assertTrue(bytes.length < replay.commands().count() * 12, "compact: " + bytes.length + " bytes");
    }

    @Test
    void lastRoundOfARestartedMatchReplays() {
        MatchSettings quick = MatchSettings.defaults().withPrivateRules(3, 60, true);
        Match match = new Match(DEPOT, quick, FOUR_V_FOUR, 9);
        Bots bots = new Bots(match, 3);
        for (int slot = 0; slot < 8; slot++) {
            match.connect(slot);
        }
        boolean restarted = false;
        for (int t = 0; t < 20_000 && match.outcome() == Outcome.RUNNING; t++) {
            if (match.phase() == Phase.SCOREBOARD && !restarted) {
                match.vote(0);
                match.vote(4);
                restarted = true;
            }
            bots.tick();
        }
        assertEquals(Outcome.FINISHED, match.outcome());
        assertTrue(ReplayRunner.run(match.replay(), DEPOT).matchesRecording());
    }

    @Test
    void tamperedReplayIsDetected() {
        Replay replay = play(79, 2_000).replay();
        Replay forged = new Replay(
                replay.header(),
                replay.start(),
                replay.commands(),
                replay.ticks(),
                replay.redKills() + 1,
                replay.blueKills(),
                replay.finalHash());
        assertTrue(!ReplayRunner.run(forged, DEPOT).matchesRecording());
    }

    @Test
    void replayRefusesAnotherMap() {
        Replay replay = play(80, 100).replay();
        assertThrows(IllegalArgumentException.class, () -> ReplayRunner.run(replay, MapCatalog.load("crossfire")));
    }

    @Test
    void malformedReplayBytesAreRejectedWithAReason() {
        byte[] bytes = ReplayCodec.encode(play(81, 300).replay());
        assertThrows(IllegalArgumentException.class, () -> ReplayCodec.decode(new byte[] {1, 2, 3}));
        assertThrows(IllegalArgumentException.class, () -> ReplayCodec.decode(Arrays.copyOf(bytes, bytes.length - 3)));
        byte[] longer = Arrays.copyOf(bytes, bytes.length + 1);
        assertThrows(IllegalArgumentException.class, () -> ReplayCodec.decode(longer));
    }
}
