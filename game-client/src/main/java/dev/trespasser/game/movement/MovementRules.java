package dev.trespasser.game.movement;

import dev.trespasser.game.world.SliceField;
import dev.trespasser.proto.game.v1.Button;

/**
 * How a player moves in one tick: the server's simulation and a client predicting its own player
 * run this same code, so both land on the same position bit for bit. Eight directions from the
 * held buttons (opposite buttons cancel, diagonals normalised), one tick of the chosen speed
 * whatever the client claims, and the circle slides along the slices it meets
 * ({@link SliceField#moveCircle}). Speeds are world units per second.
 */
public record MovementRules(double playerRadius, double sneakSpeed, double walkSpeed, double runSpeed, int tickRateHz) {

    /** The game as specified (GAME.md); the server's {@code MatchSettings.defaults()} agrees. */
    public static final MovementRules DEFAULTS = new MovementRules(5, 30, 60, 100, 60);

    public MovementRules {
        if (!(playerRadius > 0)) {
            throw new IllegalArgumentException("player radius must be positive");
        }
        if (!(sneakSpeed >= 0 && walkSpeed >= 0 && runSpeed >= 0)) {
            throw new IllegalArgumentException("speeds must not be negative");
        }
        if (tickRateHz < 1) {
            throw new IllegalArgumentException("tick rate must be positive");
        }
    }

    public double speed(Speed speed) {
        return switch (speed) {
            case SNEAK -> sneakSpeed;
            case WALK -> walkSpeed;
            case RUN -> runSpeed;
        };
    }

    /**
     * Moves a player standing at (x, y) by one tick of the held {@code buttons} (the bits of
     * {@code InputCommand.buttons}) at {@code speed}, and writes where they end up to
     * {@code out[0], out[1]}. With no direction held they stay where they are.
     */
    public void step(SliceField slices, double x, double y, int buttons, Speed speed, double[] out) {
        int ix = ((buttons & Button.BUTTON_RIGHT_VALUE) != 0 ? 1 : 0)
                - ((buttons & Button.BUTTON_LEFT_VALUE) != 0 ? 1 : 0);
        int iy =
                ((buttons & Button.BUTTON_DOWN_VALUE) != 0 ? 1 : 0) - ((buttons & Button.BUTTON_UP_VALUE) != 0 ? 1 : 0);
        if (ix == 0 && iy == 0) {
            out[0] = x;
            out[1] = y;
            return;
        }
        double step = speed(speed) / tickRateHz;
        double scale = ix != 0 && iy != 0 ? step * Math.sqrt(0.5) : step;
        slices.moveCircle(x, y, ix * scale, iy * scale, playerRadius, out);
    }
}
