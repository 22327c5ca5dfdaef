package dev.trespasser.match.sim;

import dev.trespasser.game.movement.Speed;

/**
 * One input command of one player, as the client sent it. {@code aim} is quantised (see
 * {@link Aim}); {@code throwDistance} is in world units and clamped by the server to the throw
 * range. Unknown button bits are ignored.
 */
public record PlayerInput(int sequence, int buttons, Speed speed, int aim, int throwDistance) {

    public static final int UP = 1;
    public static final int DOWN = 2;
    public static final int LEFT = 4;
    public static final int RIGHT = 8;
    public static final int FIRE = 16;
    public static final int THROW_CHARGE = 32;
    public static final int ALL_BUTTONS = UP | DOWN | LEFT | RIGHT | FIRE | THROW_CHARGE;

    public PlayerInput {
        if (speed == null) {
            throw new IllegalArgumentException("speed is required");
        }
        buttons &= ALL_BUTTONS;
        aim &= 0xFFFF;
        throwDistance = Math.max(0, throwDistance);
    }

    public boolean pressed(int button) {
        return (buttons & button) != 0;
    }
}
