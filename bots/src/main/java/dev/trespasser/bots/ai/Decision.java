package dev.trespasser.bots.ai;

import dev.trespasser.proto.game.v1.Button;
import dev.trespasser.proto.game.v1.MovementSpeed;

/**
 * One input: buttons (OR of {@link Button} values), speed, aim (16-bit angle) and, with
 * THROW_CHARGE, how far to throw.
 */
public record Decision(int buttons, MovementSpeed speed, int aim, int throwDistance) {

    public static final int MOVE_MASK =
            Button.BUTTON_UP_VALUE | Button.BUTTON_DOWN_VALUE | Button.BUTTON_LEFT_VALUE | Button.BUTTON_RIGHT_VALUE;

    public boolean fires() {
        return (buttons & Button.BUTTON_FIRE_VALUE) != 0;
    }

    public boolean throwsCharge() {
        return (buttons & Button.BUTTON_THROW_CHARGE_VALUE) != 0;
    }

    public boolean moves() {
        return (buttons & MOVE_MASK) != 0;
    }
}
