package dev.trespasser.match.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trespasser.game.movement.Speed;
import dev.trespasser.game.world.SliceTable;
import org.junit.jupiter.api.Test;

class ChargeTest {

    private static final int FUSE = 90;

    /** Throws slot's charge along aimDegrees for throwDistance units, holding the button one tick. */
    private static Play throwCharge(Play play, int slot, double aimDegrees, int throwDistance) {
        play.match.submitInput(
                slot, play.input(slot, PlayerInput.THROW_CHARGE, Speed.SNEAK, aimDegrees, throwDistance));
        play.run(1);
        play.hold(slot, 0, Speed.SNEAK, aimDegrees);
        return play;
    }

    @Test
    void chargeExplodesOneAndAHalfSecondsAfterTheThrow() {
        Play play = Arena.open(600, 300).duel().place(0, 100, 150);
        throwCharge(play, 0, 0, 40);
        assertEquals(1, play.match.charges().size());
        LiveCharge charge = play.match.charges().get(0);
        assertEquals(140, charge.x(), 1e-9);
        assertEquals(FUSE, charge.fuseTicksLeft(), "lit at the end of the throw tick");
        play.run(FUSE - 1);
        assertEquals(1, charge.fuseTicksLeft());
        assertTrue(play.explosions.isEmpty(), "not yet, one tick before the fuse burns out");
        play.run(1);
        assertEquals(1, play.explosions.size());
        assertTrue(play.match.charges().isEmpty());
    }

    @Test
    void throwDistanceIsClampedToForty() {
        Play play = Arena.open(600, 300).duel().place(0, 100, 150);
        throwCharge(play, 0, 90, 500);
        assertEquals(190, play.match.charges().get(0).y(), 1e-9);
    }

    @Test
    void chargeLandsShortOfTheWallItIsThrownAt() {
        Play play = Arena.open(600, 300).wallV(200, 0, 150).duel().place(0, 180, 150);
        throwCharge(play, 0, 0, 40);
        double x = play.match.charges().get(0).x();
        assertTrue(x < 200 && x > 199, "at the wall face, not inside or beyond: " + x);
    }

    @Test
    void chargeDestroysSlicesInRadius() {
        Play play = Arena.open(600, 300).wallV(200, 0, 150).duel().place(0, 150, 150);
        throwCharge(play, 0, 0, 40).run(FUSE);
        SliceTable slices = play.match.slices();
        int destroyed = 0;
        for (int s = 0; s < slices.count(); s++) {
            double d = Math.hypot(slices.centreX(s) - 190, slices.centreY(s) - 150);
            assertEquals(d > 24, slices.intact(s), "slice " + s + " at distance " + d);
            destroyed += slices.intact(s) ? 0 : 1;
        }
        assertEquals(20, destroyed);
        assertEquals(20, play.explosions.get(0).slicesDestroyed());
        assertEquals(20, play.sliceChanges.size());
    }

    @Test
    void blastDamageFallsLinearlyToTheEdge() {
        Play play = Arena.open(600, 300)
                .play(Play.quietSettings(), Team.RED, Team.BLUE, Team.BLUE)
                .place(0, 100, 150)
                .place(1, 140, 162)
                .place(2, 140, 174);
        throwCharge(play, 0, 0, 40).run(FUSE);
        assertEquals(50, play.player(1).health(), "12 from the centre of a 24 radius: half of 100");
        assertEquals(100, play.player(2).health(), "at the edge: nothing");
    }

    @Test
    void chargeKillIsCreditedToTheThrower() {
        Play play = Arena.open(600, 300).duel().place(0, 100, 150).place(1, 140, 150);
        throwCharge(play, 0, 0, 40).run(FUSE);
        assertEquals(new MatchEvent.Kill(0, 1, MatchEvent.Cause.CHARGE), play.kills.get(0));
        assertEquals(1, play.match.kills(Team.RED));
    }

    @Test
    void throwerIsHurtByOwnCharge() {
        Play play = Arena.open(600, 300).duel().place(0, 100, 150);
        throwCharge(play, 0, 0, 12).run(FUSE);
        assertEquals(50, play.player(0).health());
    }

    @Test
    void teammatesAreSparedWithoutFriendlyFire() {
        Play play = Arena.open(600, 300)
                .play(Play.quietSettings(), Team.RED, Team.RED, Team.BLUE)
                .place(0, 100, 150)
                .place(1, 140, 150);
        throwCharge(play, 0, 0, 40).run(FUSE);
        assertEquals(100, play.player(1).health());
    }

    @Test
    void oneChargePerLife() {
        MatchSettings oneShot = Play.quietSettings().withRifle(new MatchSettings.Rifle(100, 300, 320, 0, 2, 6, 25));
        Play play = Arena.open(600, 300)
                .play(oneShot, Team.RED, Team.BLUE)
                .place(0, 100, 150)
                .place(1, 200, 150);
        play.match.submitInput(0, play.input(0, PlayerInput.THROW_CHARGE, Speed.SNEAK, 270, 40));
        play.seconds(2);
        assertEquals(1, play.explosions.size(), "held for two seconds, thrown once");
        assertFalse(play.player(0).hasCharge());
        play.aim(1, 180).run(1).shoot(1, 180).seconds(3);
        assertTrue(play.player(0).alive());
        assertTrue(play.player(0).hasCharge(), "a new life brings a new charge");
    }
}
