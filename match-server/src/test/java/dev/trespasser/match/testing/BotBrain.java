package dev.trespasser.match.testing;

import dev.trespasser.game.input.Aim;
import dev.trespasser.proto.game.v1.InputCommand;
import dev.trespasser.proto.game.v1.MovementSpeed;
import java.util.SplittableRandom;

/**
 * A simple player: wanders in one of eight directions at one speed for a while, aims at the nearest enemy it
 * sees and fires at it, otherwise looks where it walks; now and then it throws its charge.
 * Works from what a client knows (its own position and the enemies in its view).
 */
public final class BotBrain {

    private static final int[] HEADINGS = {1, 1 | 8, 8, 8 | 2, 2, 2 | 4, 4, 4 | 1};

    private final SplittableRandom random;
    private int heading;
    private MovementSpeed speed = MovementSpeed.MOVEMENT_SPEED_WALK;
    private int sequence;
    private boolean hasGoal;
    private double goalX;
    private double goalY;

    public BotBrain(long seed) {
        this.random = new SplittableRandom(seed);
        this.heading = random.nextInt(HEADINGS.length);
    }

    /** Where to roam towards (e.g. the middle of the map, where the fights are). */
    public BotBrain roamTowards(double x, double y) {
        hasGoal = true;
        goalX = x;
        goalY = y;
        return this;
    }

    public int sequence() {
        return sequence;
    }

    /** Continues numbering above what the server already applied (after a reconnect). */
    public void continueAfter(int applied) {
        sequence = Math.max(sequence, applied);
    }

    /**
     * The next input.
     *
     * @param hasTarget whether an enemy is in view; then ({@code targetX}, {@code targetY}) is it
     */
    public InputCommand next(double x, double y, boolean hasTarget, double targetX, double targetY) {
        if (random.nextInt(40) == 0) {
            heading = random.nextInt(HEADINGS.length);
            if (hasGoal && random.nextBoolean()) {
                // Octant of the goal: 0 is up, growing clockwise like HEADINGS.
                int aimToGoal = Aim.towards(x, y, goalX, goalY);
                heading = ((aimToGoal + Aim.STEPS / 4 + Aim.STEPS / 16) & 0xFFFF) * 8 / Aim.STEPS;
            }
            speed = switch (random.nextInt(4)) {
                case 0 -> MovementSpeed.MOVEMENT_SPEED_SNEAK;
                case 1 -> MovementSpeed.MOVEMENT_SPEED_RUN;
                default -> MovementSpeed.MOVEMENT_SPEED_WALK;
            };
        }
        int buttons = HEADINGS[heading];
        int aim;
        if (hasTarget) {
            aim = Aim.towards(x, y, targetX, targetY);
            buttons |= 16;
        } else {
            aim = (heading * Aim.STEPS / 8 + Aim.STEPS * 6 / 8) & 0xFFFF;
        }
        if (random.nextInt(300) == 0) {
            buttons |= 32;
        }
        return InputCommand.newBuilder()
                .setSequence(++sequence)
                .setButtons(buttons)
                .setSpeed(speed)
                .setAim(aim)
                .setThrowDistance(30)
                .build();
    }
}
