package dev.trespasser.game.movement.vectors;

import dev.trespasser.game.movement.Speed;
import java.util.List;

/**
 * One scripted walk for the movement test vectors: where the player stands, which slices are shot
 * away first, and what they hold for how many ticks.
 */
public record MovementScript(
        String name,
        String description,
        double startX,
        double startY,
        List<Integer> destroyedSlices,
        List<Hold> holds) {

    public MovementScript {
        destroyedSlices = List.copyOf(destroyedSlices);
        holds = List.copyOf(holds);
    }

    /** {@code buttons} (bits of {@code InputCommand.buttons}) held at {@code speed} for {@code ticks}. */
    public record Hold(int buttons, Speed speed, int ticks) {}
}
