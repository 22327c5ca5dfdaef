package dev.trespasser.match.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trespasser.game.movement.Speed;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class MovementTest {

    private static final int R = PlayerInput.RIGHT;
    private static final int U = PlayerInput.UP;

    @ParameterizedTest
    @EnumSource(Speed.class)
    void eachSpeedMovesItsDistancePerSecond(Speed speed) {
        Play play = Arena.open(400, 200).duel().place(0, 50, 100);
        play.hold(0, R, speed, 0).seconds(1);
        double expected = switch (speed) {
            case SNEAK -> 30;
            case WALK -> 60;
            case RUN -> 100;
        };
        assertEquals(50 + expected, play.player(0).x(), 1e-6);
        assertEquals(100, play.player(0).y(), 1e-9);
    }

    @Test
    void diagonalMovementIsNormalised() {
        Play play = Arena.open(400, 400).duel().place(0, 100, 300);
        play.hold(0, R | U, Speed.WALK, 0).seconds(1);
        double dx = play.player(0).x() - 100;
        double dy = 300 - play.player(0).y();
        assertEquals(60, Math.hypot(dx, dy), 1e-6);
        assertEquals(dx, dy, 1e-9);
    }

    @Test
    void oppositeButtonsCancel() {
        Play play = Arena.open(400, 200).duel().place(0, 100, 100);
        play.hold(0, R | PlayerInput.LEFT, Speed.RUN, 0).seconds(1);
        assertEquals(100, play.player(0).x());
        assertFalse(play.player(0).moving());
    }

    @ParameterizedTest
    @EnumSource(Speed.class)
    void wallStopsPlayerAtEverySpeed(Speed speed) {
        Play play = Arena.open(400, 200).wallV(200, 0, 100).duel().place(0, 150, 100);
        play.hold(0, R, speed, 0).seconds(4);
        assertEquals(195, play.player(0).x(), 1e-6, "stops one radius before the wall face");
    }

    @ParameterizedTest
    @ValueSource(ints = {1_000, 5_000, 100_000})
    void runnerCannotTunnelThroughOneSliceWall(int runSpeed) {
        // A wall one unit thick, a runner far faster than the game allows, at a slow tick rate.
        MatchSettings settings = Play.quietSettings()
                .withTiming(new MatchSettings.Timing(10, 20))
                .withMovement(new MatchSettings.Movement(5, 30, 60, runSpeed));
        Play play = Arena.open(4000, 200)
                .wallV(200, 0, 100, 1)
                .play(settings, Team.RED, Team.BLUE)
                .place(0, 150, 100);
        play.hold(0, R, Speed.RUN, 0).run(20);
        assertEquals(195, play.player(0).x(), 1e-6);
    }

    @Test
    void runnerCannotSlipThroughTheEndOfASingleRemainingSlice() {
        Play play = Arena.open(400, 200).wallH(100, 98, 1).duel().place(0, 60, 101);
        play.hold(0, R, Speed.RUN, 0).seconds(2);
        assertTrue(
                play.player(0).x() < 100,
                "stayed left of the slice, at x=" + play.player(0).x());
    }

    @Test
    void diagonalMoveSlidesAlongWall() {
        Play play = Arena.open(400, 400).wallH(0, 200, 200).duel().place(0, 100, 215);
        play.hold(0, R | U, Speed.WALK, 0).seconds(1);
        assertEquals(211, play.player(0).y(), 1e-6, "pressed against the wall's lower face");
        assertTrue(
                play.player(0).x() > 100 + 40,
                "kept sliding sideways, x=" + play.player(0).x());
    }

    @Test
    void gapOfFourSlicesBlocksPlayerFiveSlicesLetsThrough() {
        // Wall across the arena at y 100..106 with a gap starting at x 200.
        Play four = Arena.open(400, 300)
                .wallH(0, 100, 100)
                .wallH(208, 100, 96)
                .duel()
                .place(0, 204, 150);
        four.hold(0, U, Speed.RUN, 0).seconds(3);
        assertTrue(
                four.player(0).y() > 106,
                "a 8-unit gap held the player back, y=" + four.player(0).y());

        Play five = Arena.open(400, 300)
                .wallH(0, 100, 100)
                .wallH(210, 100, 95)
                .duel()
                .place(0, 205, 150);
        five.hold(0, U, Speed.RUN, 0).seconds(3);
        assertTrue(
                five.player(0).y() < 100,
                "a 10-unit gap let the player through, y=" + five.player(0).y());
    }

    @Test
    void playerSlightlyOffCentreSlidesIntoFiveSliceGap() {
        Play play = Arena.open(400, 300)
                .wallH(0, 100, 100)
                .wallH(210, 100, 95)
                .duel()
                .place(0, 206.5, 150);
        play.hold(0, U, Speed.WALK, 0).seconds(3);
        assertTrue(
                play.player(0).y() < 100,
                "rounded the corner into the gap, y=" + play.player(0).y());
    }

    @Test
    void holeShotInWallOpensPassage() {
        Play play = Arena.open(400, 300).wallH(0, 100, 200).duel().place(0, 205, 150);
        play.hold(0, U, Speed.RUN, 0).seconds(1);
        assertTrue(play.player(0).y() > 106);
        for (int x = 200; x < 210; x += 2) {
            play.breakSliceAt(x + 1, 103);
        }
        play.seconds(2);
        assertTrue(
                play.player(0).y() < 100,
                "walked through the 5-slice hole, y=" + play.player(0).y());
    }

    @Test
    void mapBoundsClampMovement() {
        Play play = Arena.open(400, 200).duel().place(0, 380, 20);
        play.hold(0, R | U, Speed.RUN, 0).seconds(2);
        assertEquals(395, play.player(0).x(), 1e-9);
        assertEquals(5, play.player(0).y(), 1e-9);
    }
}
