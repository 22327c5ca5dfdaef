package dev.trespasser.bots.ai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trespasser.game.input.Aim;
import dev.trespasser.game.maps.MapCatalog;
import dev.trespasser.proto.game.v1.Button;
import dev.trespasser.proto.game.v1.MovementSpeed;
import dev.trespasser.proto.game.v1.SoundKind;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The bots' decisions from a view, without any network. */
class BotMindTest {

    private static final int HZ = 60;
    /** An open field: no walls anywhere. */
    private static final MapKnowledge OPEN = new MapKnowledge(960, 540, List.of());

    private static Situation roaming(Point self) {
        return new Situation(self, true, false, true, List.of(), List.of(), List.of(), Map.of());
    }

    private static Situation withEnemy(Point self, Point enemy, boolean combat) {
        return new Situation(self, true, false, combat, List.of(enemy), List.of(), List.of(), Map.of());
    }

    @Test
    void roamingMixesAllThreeSpeedsAndNeverFires() {
        BotMind mind = new BotMind(OPEN, 7, HZ);
        Map<MovementSpeed, Integer> seen = new EnumMap<>(MovementSpeed.class);
        Point self = new Point(480, 270);
        for (int tick = 0; tick < HZ * 120; tick++) {
            Decision d = mind.decide(roaming(self));
            assertFalse(d.fires(), "no target, no shot");
            assertFalse(d.throwsCharge(), "no charge held");
            seen.merge(d.speed(), 1, Integer::sum);
            // Walk the way it chose, so waypoints are reached and new ones drawn.
            self = step(self, d, 1.0 / HZ);
        }
        int total = HZ * 120;
        for (MovementSpeed s : List.of(
                MovementSpeed.MOVEMENT_SPEED_SNEAK,
                MovementSpeed.MOVEMENT_SPEED_WALK,
                MovementSpeed.MOVEMENT_SPEED_RUN)) {
            double share = seen.getOrDefault(s, 0) / (double) total;
            assertTrue(share > 0.1 && share < 0.7, s + " share " + share);
        }
    }

    @Test
    void aimsAtTheNearestVisibleEnemyAndFires() {
        BotMind mind = new BotMind(OPEN, 1, HZ);
        Point self = new Point(100, 100);
        Point far = new Point(300, 100);
        Point near = new Point(100, 160);
        Situation s = new Situation(self, true, false, true, List.of(far, near), List.of(), List.of(), Map.of());
        Decision d = mind.decide(s);
        assertTrue(d.fires());
        assertEquals(Aim.towards(100, 100, 100, 160), d.aim(), "aims at the nearer enemy, straight down");
        assertEquals(MovementSpeed.MOVEMENT_SPEED_SNEAK, d.speed(), "sneaking shots do not spread");
    }

    @Test
    void aFarEnemyIsShotStandingStill() {
        BotMind mind = new BotMind(OPEN, 1, HZ);
        Decision d = mind.decide(
                withEnemy(new Point(100, 100), new Point(100 + BotMind.STAND_AND_SHOOT_RANGE + 50, 100), true));
        assertTrue(d.fires());
        assertFalse(d.moves());
    }

    @Test
    void firesOnlyWithAVisibleTargetAndOnlyWhileTheMatchIsActive() {
        BotMind mind = new BotMind(OPEN, 3, HZ);
        Point self = new Point(200, 200);
        Point enemy = new Point(260, 200);
        assertFalse(mind.decide(withEnemy(self, enemy, false)).fires(), "warmup: no firing");
        assertTrue(mind.decide(withEnemy(self, enemy, true)).fires());
        for (int i = 0; i < HZ * 10; i++) {
            assertFalse(mind.decide(roaming(self)).fires(), "target gone: stop firing");
        }
    }

    @Test
    void deadBotsPressNothing() {
        BotMind mind = new BotMind(OPEN, 3, HZ);
        Situation dead = new Situation(
                new Point(10, 10),
                false,
                true,
                true,
                List.of(new Point(20, 10)),
                List.of(new HeardSound(SoundKind.SOUND_KIND_GUNSHOT, 0, false)),
                List.of(),
                Map.of());
        assertEquals(0, mind.decide(dead).buttons());
    }

    @Test
    void throwsItsChargeAtAWallInRangeThenRunsFromIt() {
        // One horizontal wall of 10 slices at y 100..106, x 100..120.
        List<Point> slices = new java.util.ArrayList<>();
        for (int i = 0; i < 10; i++) {
            slices.add(new Point(100 + 2 * i + 1, 103));
        }
        MapKnowledge map = new MapKnowledge(400, 400, slices);
        BotMind mind = new BotMind(map, 11, HZ);
        Point self = new Point(111, 130);
        Decision thrown = null;
        for (int i = 0; i < HZ * 60 && thrown == null; i++) {
            Decision d = mind.decide(new Situation(self, true, true, true, List.of(), List.of(), List.of(), Map.of()));
            if (d.throwsCharge()) {
                thrown = d;
            }
        }
        assertTrue(thrown != null, "throws within a minute next to a wall");
        assertEquals(Aim.towards(111, 130, 111, 103), thrown.aim(), "at the nearest slice, straight up");
        assertEquals(27, thrown.throwDistance(), "as far as the wall");
        Decision next = mind.decide(new Situation(self, true, false, true, List.of(), List.of(), List.of(), Map.of()));
        assertEquals(Button.BUTTON_DOWN_VALUE, next.buttons() & Decision.MOVE_MASK, "runs away from the wall (down)");
        assertEquals(MovementSpeed.MOVEMENT_SPEED_RUN, next.speed());
    }

    @Test
    void neverThrowsAtDestroyedSlicesOrOutOfRangeOrBeforeTheMatchIsActive() {
        List<Point> slices = List.of(new Point(111, 103));
        MapKnowledge map = new MapKnowledge(400, 400, slices);
        BotMind mind = new BotMind(map, 5, HZ);
        Point near = new Point(110, 130);
        for (int i = 0; i < HZ * 60; i++) {
            assertFalse(
                    mind.decide(new Situation(near, true, true, true, List.of(), List.of(), List.of(), Map.of(0, 0)))
                            .throwsCharge(),
                    "the only slice is destroyed");
            assertFalse(
                    mind.decide(new Situation(near, true, true, false, List.of(), List.of(), List.of(), Map.of()))
                            .throwsCharge(),
                    "warmup");
            assertFalse(
                    mind.decide(new Situation(
                                    new Point(300, 300), true, true, true, List.of(), List.of(), List.of(), Map.of()))
                            .throwsCharge(),
                    "out of range");
        }
    }

    @Test
    void turnsTowardsAGunshotAndWalksThere() {
        BotMind mind = new BotMind(OPEN, 9, HZ);
        Point self = new Point(480, 270);
        int west = Aim.STEPS / 2;
        Decision d = mind.decide(new Situation(
                self,
                true,
                false,
                true,
                List.of(),
                List.of(
                        new HeardSound(SoundKind.SOUND_KIND_FOOTSTEP_WALK, Aim.STEPS / 4, false),
                        new HeardSound(SoundKind.SOUND_KIND_GUNSHOT, west, true)),
                List.of(),
                Map.of()));
        assertEquals(west, d.aim(), "the shot outranks the footsteps");
        assertEquals(Button.BUTTON_LEFT_VALUE, d.buttons() & Decision.MOVE_MASK);
        assertEquals(MovementSpeed.MOVEMENT_SPEED_WALK, d.speed());
        // It keeps listening that way for a moment after the sound.
        assertEquals(west, mind.decide(roaming(self)).aim());
    }

    @Test
    void stalksFootstepsSneaking() {
        BotMind mind = new BotMind(OPEN, 9, HZ);
        int south = Aim.STEPS / 4;
        Decision d = mind.decide(new Situation(
                new Point(480, 270),
                true,
                false,
                true,
                List.of(),
                List.of(new HeardSound(SoundKind.SOUND_KIND_FOOTSTEP_RUN, south, false)),
                List.of(),
                Map.of()));
        assertEquals(south, d.aim());
        assertEquals(MovementSpeed.MOVEMENT_SPEED_SNEAK, d.speed());
        assertEquals(Button.BUTTON_DOWN_VALUE, d.buttons() & Decision.MOVE_MASK);
    }

    @Test
    void runsFromAChargeThatCouldReachIt() {
        BotMind mind = new BotMind(OPEN, 2, HZ);
        Decision d = mind.decide(new Situation(
                new Point(200, 200), true, false, true, List.of(), List.of(), List.of(new Point(210, 200)), Map.of()));
        assertEquals(Button.BUTTON_LEFT_VALUE, d.buttons() & Decision.MOVE_MASK, "away from the charge east of it");
        assertEquals(MovementSpeed.MOVEMENT_SPEED_RUN, d.speed());
    }

    @Test
    void sidestepsWhenAWallStopsIt() {
        BotMind mind = new BotMind(OPEN, 4, HZ);
        Point stuck = new Point(480, 270);
        int first = mind.decide(roaming(stuck)).buttons() & Decision.MOVE_MASK;
        boolean changed = false;
        for (int i = 0; i < HZ * 2; i++) {
            int b = mind.decide(roaming(stuck)).buttons() & Decision.MOVE_MASK;
            changed |= b != first;
        }
        assertTrue(changed, "tries another direction when it does not get anywhere");
    }

    @Test
    void sameSeedSameDecisions() {
        BotMind a = new BotMind(MapKnowledge.of(MapCatalog.load("depot")), 42, HZ);
        BotMind b = new BotMind(MapKnowledge.of(MapCatalog.load("depot")), 42, HZ);
        Point self = new Point(60, 270);
        for (int i = 0; i < 1000; i++) {
            Situation s = new Situation(self, true, true, true, List.of(), List.of(), List.of(), Map.of());
            Decision da = a.decide(s);
            assertEquals(da, b.decide(s));
            self = step(self, da, 1.0 / HZ);
        }
        assertNotEquals(new Point(60, 270), self);
    }

    @Test
    void moveButtonsCoverEightDirections() {
        assertEquals(Button.BUTTON_RIGHT_VALUE, BotMind.moveButtons(0));
        assertEquals(Button.BUTTON_DOWN_VALUE, BotMind.moveButtons(Math.PI / 2));
        assertEquals(Button.BUTTON_LEFT_VALUE, BotMind.moveButtons(Math.PI));
        assertEquals(Button.BUTTON_UP_VALUE, BotMind.moveButtons(-Math.PI / 2));
        assertEquals(Button.BUTTON_RIGHT_VALUE | Button.BUTTON_DOWN_VALUE, BotMind.moveButtons(Math.PI / 4));
        assertEquals(Button.BUTTON_LEFT_VALUE | Button.BUTTON_UP_VALUE, BotMind.moveButtons(-3 * Math.PI / 4));
    }

    @Test
    void depotSlicesAreIndexedLikeTheSliceTable() {
        MapKnowledge depot = MapKnowledge.of(MapCatalog.load("depot"));
        assertEquals(MapCatalog.load("depot").sliceCount(), depot.sliceCount());
        // Slice 0: the first wall (h 380 170, thickness 6), its first slice.
        assertEquals(new Point(381, 173), depot.nearestIntactSlice(new Point(381, 160), 0, 14, Map.of()));
        assertEquals(
                null,
                depot.nearestIntactSlice(new Point(381, 160), 0, 14, Map.of(0, 0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0)),
                "destroyed slices are skipped; the next intact ones are out of range");
    }

    private static Point step(Point p, Decision d, double seconds) {
        double speed = switch (d.speed()) {
            case MOVEMENT_SPEED_SNEAK -> 30;
            case MOVEMENT_SPEED_RUN -> 100;
            default -> 60;
        };
        double dx = ((d.buttons() & Button.BUTTON_RIGHT_VALUE) != 0 ? 1 : 0)
                - ((d.buttons() & Button.BUTTON_LEFT_VALUE) != 0 ? 1 : 0);
        double dy = ((d.buttons() & Button.BUTTON_DOWN_VALUE) != 0 ? 1 : 0)
                - ((d.buttons() & Button.BUTTON_UP_VALUE) != 0 ? 1 : 0);
        double len = Math.hypot(dx, dy);
        if (len == 0) {
            return p;
        }
        return new Point(
                Math.max(5, Math.min(955, p.x() + dx / len * speed * seconds)),
                Math.max(5, Math.min(535, p.y() + dy / len * speed * seconds)));
    }
}
