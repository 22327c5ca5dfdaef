package dev.trespasser.match.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trespasser.game.input.Aim;
import dev.trespasser.game.movement.Speed;
import java.util.List;
import org.junit.jupiter.api.Test;

class SoundTest {

    /**
     * Red walks down for 1.1 s from (150, 100) while blue listens at (listenerX, 150); returns
     * the footsteps blue heard (one every 20 units actually travelled).
     */
    private static List<MatchEvent.Sound> footstepsHeard(Speed speed, double listenerX) {
        Play play = Arena.open(800, 400).duel().place(0, 150, 100).place(1, listenerX, 150);
        play.hold(0, PlayerInput.DOWN, speed, 90).seconds(1.1);
        return play.heardBy(1);
    }

    @Test
    void walkingIsHeardWithinSixty() {
        // Steps land at y 120, 140, 160: at most 58.3 from a listener 50 to the side.
        List<MatchEvent.Sound> near = footstepsHeard(Speed.WALK, 200);
        assertEquals(3, near.size());
        assertTrue(near.stream().allMatch(s -> s.kind() == SoundKind.FOOTSTEP_WALK && !s.muffled()));
        assertEquals(0, footstepsHeard(Speed.WALK, 215).size(), "65 to the side is out of earshot");
    }

    @Test
    void runningIsHeardWithinOneHundredForty() {
        List<MatchEvent.Sound> heard = footstepsHeard(Speed.RUN, 280);
        assertEquals(5, heard.size());
        assertTrue(heard.stream().allMatch(s -> s.kind() == SoundKind.FOOTSTEP_RUN));
        assertEquals(0, footstepsHeard(Speed.RUN, 300).size());
        assertEquals(0, footstepsHeard(Speed.WALK, 280).size(), "the same walk would be too quiet");
    }

    @Test
    void sneakingIsSilent() {
        assertEquals(0, footstepsHeard(Speed.SNEAK, 160).size());
    }

    @Test
    void walkingIntoAWallMakesNoFootsteps() {
        Play play =
                Arena.open(800, 400).wallH(0, 90, 400).duel().place(0, 150, 97).place(1, 170, 110);
        play.hold(0, PlayerInput.UP, Speed.RUN, 270).seconds(2);
        assertEquals(List.of(), play.heardBy(1));
    }

    @Test
    void gunshotIsHeardWithinThreeHundredTwentyWithItsDirection() {
        Play near = Arena.open(800, 300).duel().place(0, 100, 150).place(1, 410, 150);
        near.shoot(0, 270);
        assertEquals(
                List.of(new MatchEvent.Sound(1, SoundKind.GUNSHOT, Aim.STEPS / 2, false)),
                near.heardBy(1),
                "heard from the west (180 degrees), unmuffled");
        assertTrue(near.heardBy(0).isEmpty(), "the shooter is not told of their own shot");

        Play far = Arena.open(800, 300).duel().place(0, 100, 150).place(1, 430, 150);
        far.shoot(0, 270);
        assertTrue(far.heardBy(1).isEmpty());
    }

    @Test
    void muffledGunshotHeardAtHalfRadius() {
        Play near = Arena.open(800, 300)
                .wallV(200, 0, 150)
                .duel()
                .place(0, 100, 150)
                .place(1, 255, 150);
        near.shoot(0, 270);
        List<MatchEvent.Sound> heard = near.heardBy(1);
        assertEquals(1, heard.size());
        assertTrue(heard.get(0).muffled());

        Play far = Arena.open(800, 300)
                .wallV(200, 0, 150)
                .duel()
                .place(0, 100, 150)
                .place(1, 265, 150);
        far.shoot(0, 270);
        assertTrue(far.heardBy(1).isEmpty(), "165 through a wall is beyond half of 320");
    }

    @Test
    void soundThroughAHoleIsNotMuffled() {
        Play play = Arena.open(800, 300)
                .wallV(200, 0, 150)
                .duel()
                .place(0, 100, 151)
                .place(1, 400, 151);
        play.breakSliceAt(203, 151).shoot(0, 270);
        assertFalse(play.heardBy(1).get(0).muffled());
    }

    @Test
    void destroyedSliceIsHeardWithinOneHundredTwenty() {
        Play play = Arena.open(800, 300)
                .wallV(200, 0, 150)
                .duel()
                .place(0, 100, 151)
                .place(1, 120, 160);
        for (int i = 0; i < 4; i++) {
            play.shoot(0, 0).run(18);
        }
        assertTrue(
                play.heardBy(1).stream().anyMatch(s -> s.kind() == SoundKind.SLICE_DESTROYED),
                "84 away, heard through the new hole");
    }
}
