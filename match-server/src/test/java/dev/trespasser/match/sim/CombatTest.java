package dev.trespasser.match.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trespasser.game.movement.Speed;
import dev.trespasser.game.world.SpawnZone;
import org.junit.jupiter.api.Test;

class CombatTest {

    private static final int COOLDOWN = 18;

    private static MatchSettings withDamage(MatchSettings s, int damage) {
        MatchSettings.Rifle r = s.rifle();
        return s.withRifle(new MatchSettings.Rifle(
                damage,
                r.cooldownMillis(),
                r.range(),
                r.sneakSpreadDegrees(),
                r.walkSpreadDegrees(),
                r.runSpreadDegrees(),
                r.sliceDamage()));
    }

    private static MatchSettings withFriendlyFire(MatchSettings s) {
        return s.withPrivateRules(s.flow().killLimit(), s.flow().timeLimitSeconds(), true);
    }

    private static MatchSettings withProtection(MatchSettings s, int millis) {
        MatchSettings.Life l = s.life();
        return s.withLife(new MatchSettings.Life(l.maxHealth(), l.sliceHp(), l.respawnMillis(), millis));
    }

    @Test
    void threeRifleHitsKill() {
        Play play = Arena.open(600, 300).duel().place(0, 100, 151).place(1, 200, 151);
        play.shoot(0, 0);
        assertEquals(66, play.player(1).health());
        play.run(COOLDOWN).shoot(0, 0).run(COOLDOWN).shoot(0, 0);
        assertFalse(play.player(1).alive());
        assertEquals(1, play.kills.size());
        assertEquals(new MatchEvent.Kill(0, 1, MatchEvent.Cause.RIFLE), play.kills.get(0));
        assertEquals(1, play.player(0).kills());
        assertEquals(1, play.player(1).deaths());
        assertEquals(1, play.match.kills(Team.RED));
        assertEquals(0, play.match.kills(Team.BLUE));
    }

    @Test
    void rifleFiresAtMostOncePerThreeHundredMilliseconds() {
        Play play = Arena.open(600, 300).duel().place(0, 100, 151);
        play.hold(0, PlayerInput.FIRE, Speed.SNEAK, 270).seconds(1);
        assertEquals(4, play.shots.size(), "shots at 0, 300, 600 and 900 ms");
    }

    @Test
    void shotStopsAtFirstIntactSliceWhichTakesTwentyFiveDamage() {
        Play play = Arena.open(600, 300)
                .wallV(200, 0, 150)
                .duel()
                .place(0, 100, 151)
                .place(1, 300, 151);
        play.shoot(0, 0);
        int slice = play.sliceAt(203, 151);
        assertEquals(75, play.match.slices().hp(slice));
        assertEquals(100, play.player(1).health());
        assertEquals(slice, play.shots.get(0).hitSlice());
        assertEquals(200, play.shots.get(0).toX(), 1e-9);
        assertEquals(new MatchEvent.SliceChange(slice, 75), play.sliceChanges.get(0));
    }

    @Test
    void fourShotsDestroyASlice() {
        Play play = Arena.open(600, 300).wallV(200, 0, 150).duel().place(0, 100, 151);
        for (int i = 0; i < 4; i++) {
            play.shoot(0, 0).run(COOLDOWN);
        }
        int slice = play.sliceAt(203, 151);
        assertEquals(0, play.match.slices().hp(slice));
        assertFalse(play.match.slices().intact(slice));
        assertEquals(new MatchEvent.SliceChange(slice, 0), play.sliceChanges.get(3));
    }

    @Test
    void shotThroughHoleHitsPlayerBehindWall() {
        Play play = Arena.open(600, 300)
                .wallV(200, 0, 150)
                .duel()
                .place(0, 100, 151)
                .place(1, 300, 151);
        play.breakSliceAt(203, 151).shoot(0, 0);
        assertEquals(66, play.player(1).health());
        assertEquals(1, play.shots.get(0).hitPlayer());
    }

    @Test
    void cannotHitInvisibleTarget() {
        // 250 away: inside the rifle's 320 but beyond the 220 of sight, in the open.
        Play play = Arena.open(600, 300).duel().place(0, 100, 151).place(1, 350, 151);
        play.shoot(0, 0);
        assertEquals(100, play.player(1).health());
        assertEquals(-1, play.shots.get(0).hitPlayer());
        assertTrue(play.damage.isEmpty());
    }

    @Test
    void bulletStopsAtRifleRange() {
        Play play = Arena.open(600, 300).wallV(425, 0, 150).duel().place(0, 100, 151);
        play.shoot(0, 0);
        assertEquals(-1, play.shots.get(0).hitSlice(), "wall 325 away is out of range");
        assertEquals(420, play.shots.get(0).toX(), 1e-9);
    }

    @Test
    void teammateBlocksShotWithoutDamageWhenFriendlyFireIsOff() {
        Play play = Arena.open(600, 300)
                .play(Play.quietSettings(), Team.RED, Team.RED, Team.BLUE)
                .place(0, 100, 151)
                .place(1, 150, 151)
                .place(2, 200, 151);
        play.shoot(0, 0);
        assertEquals(1, play.shots.get(0).hitPlayer());
        assertEquals(100, play.player(1).health());
        assertEquals(100, play.player(2).health());
        assertTrue(play.damage.isEmpty());
    }

    @Test
    void friendlyFireOnHurtsTeammatesWithoutKillCredit() {
        Play play = Arena.open(600, 300)
                .play(withFriendlyFire(withDamage(Play.quietSettings(), 100)), Team.RED, Team.RED, Team.BLUE)
                .place(0, 100, 151)
                .place(1, 150, 151);
        play.shoot(0, 0);
        assertFalse(play.player(1).alive());
        assertEquals(0, play.player(0).kills());
        assertEquals(0, play.match.kills(Team.RED));
        assertEquals(1, play.player(1).deaths());
    }

    @Test
    void simultaneousShotsTrade() {
        Play play = Arena.open(600, 300)
                .play(withDamage(Play.quietSettings(), 100), Team.RED, Team.BLUE)
                .place(0, 100, 151)
                .place(1, 200, 151);
        play.aim(1, 180).run(1);
        play.hold(0, PlayerInput.FIRE, Speed.SNEAK, 0)
                .hold(1, PlayerInput.FIRE, Speed.SNEAK, 180)
                .run(1);
        assertFalse(play.player(0).alive());
        assertFalse(play.player(1).alive());
        assertEquals(1, play.match.kills(Team.RED));
        assertEquals(1, play.match.kills(Team.BLUE));
    }

    @Test
    void sneakingShotsFlyStraightRunningShotsSpreadWithinSixDegrees() {
        Play sneak = Arena.open(2000, 300).duel().place(0, 100, 151);
        sneak.hold(0, PlayerInput.FIRE | PlayerInput.RIGHT, Speed.SNEAK, 0).seconds(2);
        for (MatchEvent.Shot s : sneak.shots) {
            assertEquals(s.fromY(), s.toY(), 0.0, "no spread while sneaking");
        }

        Play run = Arena.open(2000, 300).duel().place(0, 100, 151);
        run.hold(0, PlayerInput.FIRE | PlayerInput.RIGHT, Speed.RUN, 0).seconds(2);
        double widest = 0;
        for (MatchEvent.Shot s : run.shots) {
            double degrees = Math.toDegrees(Math.atan2(s.toY() - s.fromY(), s.toX() - s.fromX()));
            assertTrue(Math.abs(degrees) <= 3 + 1e-9, "within half of the 6 degree spread: " + degrees);
            widest = Math.max(widest, Math.abs(degrees));
        }
        assertTrue(widest > 0.5, "running shots do spread, widest " + widest);
    }

    @Test
    void respawnAfterThreeSecondsInSpawnZone() {
        Play play = Arena.open(600, 300)
                .play(withDamage(Play.quietSettings(), 100), Team.RED, Team.BLUE)
                .place(0, 100, 151)
                .place(1, 200, 151);
        play.shoot(0, 0);
        assertFalse(play.player(1).alive());
        play.run(180 - 1);
        assertFalse(play.player(1).alive(), "still dead just before three seconds");
        play.run(1);
        Player blue = play.player(1);
        assertTrue(blue.alive(), "back after three seconds");
        assertEquals(100, blue.health());
        assertTrue(blue.hasCharge());
        SpawnZone zone = play.match.map().blueSpawn();
        assertTrue(
                blue.x() >= zone.x() && blue.x() <= zone.maxX() && blue.y() >= zone.y() && blue.y() <= zone.maxY(),
                "inside the blue zone: " + blue.x() + "," + blue.y());
    }

    @Test
    void spawnProtectionBlocksDamageForTwoSeconds() {
        Play play = Arena.open(600, 300)
                .play(withProtection(withDamage(Play.quietSettings(), 100), 2000), Team.RED, Team.BLUE)
                .place(0, 100, 151)
                .place(1, 200, 151);
        play.shoot(0, 0).seconds(3);
        Player blue = play.player(1);
        assertTrue(blue.alive() && blue.spawnProtected());
        play.place(0, blue.x() - 60, blue.y());
        play.shoot(0, 0);
        assertTrue(blue.alive(), "protected right after spawning");
        assertEquals(100, blue.health());
        play.seconds(2).shoot(0, 0);
        assertFalse(blue.alive(), "protection is over after two seconds");
    }

    @Test
    void firingEndsSpawnProtection() {
        Play play = Arena.open(600, 300)
                .play(withProtection(withDamage(Play.quietSettings(), 100), 2000), Team.RED, Team.BLUE)
                .place(0, 100, 151)
                .place(1, 200, 151);
        play.shoot(0, 0).seconds(3);
        Player blue = play.player(1);
        play.shoot(1, 90);
        assertFalse(blue.spawnProtected());
        play.place(0, blue.x() - 60, blue.y()).shoot(0, 0);
        assertFalse(blue.alive());
    }

    @Test
    void deadPlayersNeitherMoveNorShoot() {
        Play play = Arena.open(600, 300)
                .play(withDamage(Play.quietSettings(), 100), Team.RED, Team.BLUE)
                .place(0, 100, 151)
                .place(1, 200, 151);
        play.shoot(0, 0);
        int shots = play.shots.size();
        play.hold(1, PlayerInput.FIRE | PlayerInput.UP, Speed.RUN, 180).run(30);
        assertEquals(shots, play.shots.size());
    }
}
