package dev.trespasser.match.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class VisionTest {

    /** Red (slot 0) at (100, 151) looking along +x; blue (slot 1) wherever the test puts it. */
    private static Play redLooksRight(Arena arena, double blueX, double blueY) {
        Play play = arena.duel().place(0, 100, 151).place(1, blueX, blueY);
        play.aim(0, 0).run(1);
        return play;
    }

    private static boolean redSeesBlue(Play play) {
        return (play.match.visibleEnemiesMask(0) & (1 << 1)) != 0;
    }

    @Test
    void enemyInConeWithinRangeIsVisible() {
        Play play = redLooksRight(Arena.open(600, 300), 300, 151);
        assertTrue(redSeesBlue(play));
        assertTrue(play.match.canSee(0, 1));
    }

    @Test
    void enemyBeyondVisionRangeIsNotVisible() {
        assertTrue(redSeesBlue(redLooksRight(Arena.open(600, 300), 319, 151)), "219 away");
        assertFalse(redSeesBlue(redLooksRight(Arena.open(600, 300), 322, 151)), "222 away");
    }

    @Test
    void enemyOutsideTheNinetyDegreeConeIsNotVisible() {
        assertTrue(redSeesBlue(redLooksRight(Arena.open(600, 300), 200, 151 + 95)), "43.5 degrees off the aim");
        assertFalse(redSeesBlue(redLooksRight(Arena.open(600, 300), 200, 151 + 105)), "46.4 degrees off the aim");
    }

    @Test
    void awarenessRadiusSeesAllAround() {
        assertTrue(redSeesBlue(redLooksRight(Arena.open(600, 300), 83, 151)), "17 behind");
        assertFalse(redSeesBlue(redLooksRight(Arena.open(600, 300), 80, 151)), "20 behind");
    }

    @Test
    void enemyLookingAwayDoesNotSeeYou() {
        Play play = redLooksRight(Arena.open(600, 300), 300, 151);
        play.aim(1, 0).run(1);
        assertTrue(redSeesBlue(play));
        assertEquals(0, play.match.visibleEnemiesMask(1));
    }

    @Test
    void enemyBehindIntactWallIsNotVisible() {
        Play play = redLooksRight(Arena.open(600, 300).wallV(200, 0, 150), 300, 151);
        assertFalse(redSeesBlue(play));
        assertFalse(play.match.canSee(0, 1));
    }

    @Test
    void enemySeenThroughOneSliceHoleInWall() {
        Play play = redLooksRight(Arena.open(600, 300).wallV(200, 0, 150), 300, 151);
        play.breakSliceAt(203, 151).run(1);
        assertTrue(redSeesBlue(play));
    }

    @Test
    void rayAlongTheSeamBetweenTwoIntactSlicesIsBlocked() {
        // y = 150 is exactly the edge shared by slices 148..150 and 150..152.
        Play play = Arena.open(600, 300)
                .wallV(200, 0, 150)
                .duel()
                .place(0, 100, 150)
                .place(1, 300, 150);
        play.aim(0, 0).run(1);
        assertFalse(redSeesBlue(play));
    }

    @Test
    void deadEnemiesAreNotVisible() {
        MatchSettings oneShot = Play.quietSettings().withRifle(new MatchSettings.Rifle(100, 300, 320, 0, 2, 6, 25));
        Play play = Arena.open(600, 300)
                .play(oneShot, Team.RED, Team.BLUE)
                .place(0, 100, 151)
                .place(1, 200, 151);
        play.shoot(0, 0);
        assertFalse(play.player(1).alive());
        assertFalse(redSeesBlue(play));
    }
}
