package dev.trespasser.bots.ai;

import dev.trespasser.game.input.Aim;
import dev.trespasser.proto.game.v1.Button;
import dev.trespasser.proto.game.v1.MovementSpeed;
import java.util.SplittableRandom;

/**
 * A simple but real player, deciding one input per tick from a {@link Situation}:
 *
 * <ul>
 *   <li>roams between waypoints with a mood that changes every few seconds: sneak, walk or run
 *       (roughly 25/45/30), sidestepping when a wall stops it;</li>
 *   <li>aims at the nearest visible enemy and fires only then (and only while the match is
 *       active), sneaking sideways because a sneaker's shots do not spread;</li>
 *   <li>turns towards what it hears, walking towards shots and sneaking towards footsteps;</li>
 *   <li>now and then throws its charge at a wall within range, then runs out of the blast;</li>
 *   <li>runs away from any charge in sight that could reach it.</li>
 * </ul>
 *
 * Deterministic for a seed and a sequence of situations; not thread-safe (one bot, one thread).
 */
public final class BotMind {

    /** GAME.md: charges are thrown up to 40 units and blast 24 around; keep out of that. */
    static final double THROW_RANGE = 38;

    static final double MIN_THROW = 14;
    static final double BLAST_MARGIN = 30;
    /** Beyond this an enemy is shot standing still: steadier than strafing at that range. */
    static final double STAND_AND_SHOOT_RANGE = 120;

    private final MapKnowledge map;
    private final SplittableRandom random;
    private final int ticksPerSecond;

    private MovementSpeed mood = MovementSpeed.MOVEMENT_SPEED_WALK;
    private int moodTicksLeft;
    private Point waypoint;
    private double sidestepHeading;
    private int sidestepTicksLeft;
    private int strafeSign = 1;
    private int strafeTicksLeft;
    private double investigateHeading;
    private MovementSpeed investigateSpeed = MovementSpeed.MOVEMENT_SPEED_WALK;
    private int investigateTicksLeft;
    private Point retreatFrom;
    private int retreatTicksLeft;
    private Point progressMark;
    private int ticksSinceProgress;
    private int lastAim;

    public BotMind(MapKnowledge map, long seed, int ticksPerSecond) {
        this.map = map;
        this.random = new SplittableRandom(seed);
        if (ticksPerSecond < 1) {
            throw new IllegalArgumentException("ticks per second must be positive");
        }
        this.ticksPerSecond = ticksPerSecond;
    }

    public Decision decide(Situation s) {
        if (!s.alive()) {
            // A dead player's input moves nothing; forget plans tied to the old life.
            waypoint = null;
            retreatTicksLeft = 0;
            investigateTicksLeft = 0;
            progressMark = null;
            return new Decision(0, mood, lastAim, 0);
        }
        updateMood();
        noticeSounds(s);
        Point self = s.self();
        Point enemy = nearest(self, s);
        Point charge = dangerousCharge(s);

        int buttons;
        MovementSpeed speed;
        int aim;
        int throwDistance = 0;
        if (charge != null) {
            double away = headingFrom(charge, self);
            buttons = moveButtons(away);
            speed = MovementSpeed.MOVEMENT_SPEED_RUN;
            aim = enemy != null ? Aim.towards(self.x(), self.y(), enemy.x(), enemy.y()) : Aim.fromRadians(away);
        } else if (enemy != null) {
            aim = Aim.towards(self.x(), self.y(), enemy.x(), enemy.y());
            speed = MovementSpeed.MOVEMENT_SPEED_SNEAK;
            if (self.distanceTo(enemy) > STAND_AND_SHOOT_RANGE) {
                buttons = 0;
            } else {
                if (--strafeTicksLeft <= 0) {
                    strafeSign = random.nextBoolean() ? 1 : -1;
                    strafeTicksLeft = ticks(0.4 + random.nextDouble() * 0.6);
                }
                buttons = moveButtons(Aim.toRadians(aim) + strafeSign * Math.PI / 2);
            }
        } else if (retreatTicksLeft > 0) {
            retreatTicksLeft--;
            double away = headingFrom(retreatFrom, self);
            buttons = moveButtons(away);
            speed = MovementSpeed.MOVEMENT_SPEED_RUN;
            aim = Aim.fromRadians(away);
        } else if (investigateTicksLeft > 0) {
            investigateTicksLeft--;
            buttons = moveButtons(investigateHeading);
            speed = investigateSpeed;
            aim = Aim.fromRadians(investigateHeading);
        } else {
            Point wall = s.hasCharge() && s.combatAllowed() && random.nextInt(ticks(4)) == 0
                    ? map.nearestIntactSlice(self, MIN_THROW, THROW_RANGE, s.damagedSlices())
                    : null;
            if (wall != null) {
                aim = Aim.towards(self.x(), self.y(), wall.x(), wall.y());
                throwDistance = (int) Math.ceil(self.distanceTo(wall));
                buttons = Button.BUTTON_THROW_CHARGE_VALUE;
                speed = MovementSpeed.MOVEMENT_SPEED_RUN;
                retreatFrom = wall;
                // The fuse is 1.5 s; at run speed 1.2 s puts the bot well outside the blast.
                retreatTicksLeft = ticks(1.2);
            } else {
                double heading = roamHeading(self);
                buttons = moveButtons(heading);
                speed = mood;
                aim = Aim.fromRadians(heading);
            }
        }
        if (enemy != null && s.combatAllowed()) {
            buttons |= Button.BUTTON_FIRE_VALUE;
        }
        lastAim = aim;
        return new Decision(buttons, speed, aim, throwDistance);
    }

    private void updateMood() {
        if (--moodTicksLeft > 0) {
            return;
        }
        int roll = random.nextInt(100);
        mood = roll < 25
                ? MovementSpeed.MOVEMENT_SPEED_SNEAK
                : roll < 70 ? MovementSpeed.MOVEMENT_SPEED_WALK : MovementSpeed.MOVEMENT_SPEED_RUN;
        moodTicksLeft = ticks(1 + random.nextDouble() * 3);
    }

    private void noticeSounds(Situation s) {
        HeardSound loudest = null;
        for (HeardSound sound : s.sounds()) {
            if (sound.urgency() > 0 && (loudest == null || sound.urgency() > loudest.urgency())) {
                loudest = sound;
            }
        }
        if (loudest == null) {
            return;
        }
        investigateHeading = Aim.toRadians(loudest.direction());
        // Footsteps: someone close who has not seen us, so stalk quietly; shots: go and help.
        investigateSpeed =
                loudest.urgency() >= 3 ? MovementSpeed.MOVEMENT_SPEED_WALK : MovementSpeed.MOVEMENT_SPEED_SNEAK;
        investigateTicksLeft = ticks(1.5 + random.nextDouble());
    }

    private static Point nearest(Point self, Situation s) {
        Point best = null;
        for (Point p : s.visibleEnemies()) {
            if (best == null || self.distanceTo(p) < self.distanceTo(best)) {
                best = p;
            }
        }
        return best;
    }

    private static Point dangerousCharge(Situation s) {
        for (Point c : s.charges()) {
            if (s.self().distanceTo(c) < BLAST_MARGIN) {
                return c;
            }
        }
        return null;
    }

    private double roamHeading(Point self) {
        if (sidestepTicksLeft > 0) {
            sidestepTicksLeft--;
            return sidestepHeading;
        }
        if (waypoint == null || self.distanceTo(waypoint) < 12) {
            // Anywhere on the map, away from the edges where nobody goes.
            waypoint = new Point(
                    map.width() * (0.1 + 0.8 * random.nextDouble()), map.height() * (0.1 + 0.8 * random.nextDouble()));
        }
        if (progressMark == null || self.distanceTo(progressMark) > 3) {
            progressMark = self;
            ticksSinceProgress = 0;
        } else if (++ticksSinceProgress > ticks(0.5)) {
            // Blocked by a wall: sidestep in a random direction for a moment, then try again.
            sidestepHeading = random.nextDouble() * 2 * Math.PI;
            sidestepTicksLeft = ticks(0.5 + random.nextDouble());
            ticksSinceProgress = 0;
            if (random.nextInt(3) == 0) {
                waypoint = null;
            }
            return sidestepHeading;
        }
        return headingFrom(self, waypoint);
    }

    private int ticks(double seconds) {
        return Math.max(1, (int) Math.round(seconds * ticksPerSecond));
    }

    private static double headingFrom(Point from, Point to) {
        if (from.x() == to.x() && from.y() == to.y()) {
            return 0;
        }
        return Math.atan2(to.y() - from.y(), to.x() - from.x());
    }

    /** The eight-way buttons closest to a heading (0 = +x, growing towards +y, i.e. down). */
    static int moveButtons(double heading) {
        double dx = Math.cos(heading);
        double dy = Math.sin(heading);
        // sin(22.5°): beyond it the other axis is pressed too (a diagonal).
        double threshold = 0.3827;
        int buttons = 0;
        if (dx > threshold) {
            buttons |= Button.BUTTON_RIGHT_VALUE;
        } else if (dx < -threshold) {
            buttons |= Button.BUTTON_LEFT_VALUE;
        }
        if (dy > threshold) {
            buttons |= Button.BUTTON_DOWN_VALUE;
        } else if (dy < -threshold) {
            buttons |= Button.BUTTON_UP_VALUE;
        }
        return buttons;
    }
}
