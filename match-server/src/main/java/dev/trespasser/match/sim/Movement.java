package dev.trespasser.match.sim;

import dev.trespasser.game.movement.MovementRules;
import dev.trespasser.game.movement.Speed;
import dev.trespasser.game.world.SliceField;

/**
 * Moves living players by what they hold, with the rules clients predict with
 * ({@link MovementRules}), and makes their footsteps: one every stride actually travelled, none
 * while sneaking or walking into a wall.
 */
final class Movement {

    private final MovementRules rules;
    private final SliceField slices;
    private final SoundBoard sounds;
    private final double stride;
    private final double[] moved = new double[2];

    Movement(MatchSettings settings, SliceField slices, SoundBoard sounds) {
        MatchSettings.Movement m = settings.movement();
        this.rules = new MovementRules(
                m.playerRadius(),
                m.sneakSpeed(),
                m.walkSpeed(),
                m.runSpeed(),
                settings.timing().tickRateHz());
        this.slices = slices;
        this.sounds = sounds;
        this.stride = settings.sound().footstepStride();
    }

    void move(Player p) {
        p.moving = false;
        if (!p.alive) {
            return;
        }
        rules.step(slices, p.x, p.y, p.buttons, p.speed, moved);
        double dx = moved[0] - p.x;
        double dy = moved[1] - p.y;
        p.x = moved[0];
        p.y = moved[1];
        double travelled = Math.sqrt(dx * dx + dy * dy);
        if (travelled <= 0) {
            return;
        }
        p.moving = true;
        if (p.speed == Speed.SNEAK) {
            return;
        }
        p.strideTravelled += travelled;
        if (p.strideTravelled >= stride) {
            p.strideTravelled -= stride;
            sounds.emit(p.speed == Speed.RUN ? SoundKind.FOOTSTEP_RUN : SoundKind.FOOTSTEP_WALK, p.x, p.y, p.slot);
        }
    }
}
