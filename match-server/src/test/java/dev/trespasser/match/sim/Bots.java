package dev.trespasser.match.sim;

import dev.trespasser.game.input.Aim;
import dev.trespasser.game.movement.Speed;

/**
 * Scripted players for whole-match tests: they wander, aim at the nearest enemy they can see,
 * fire at it and sometimes throw their charge. Their choices come from their own seeded stream
 * and the match state, so a script is reproducible.
 */
final class Bots {

    private final Match match;
    private final SeededRandom random;
    private final int[] sequence;
    private final int[] heading;

    Bots(Match match, long seed) {
        this.match = match;
        this.random = new SeededRandom(seed);
        this.sequence = new int[match.playerCount()];
        this.heading = new int[match.playerCount()];
    }

    /** Everyone sends one input; then the match ticks. */
    void tick() {
        for (int slot = 0; slot < match.playerCount(); slot++) {
            Player me = match.player(slot);
            if (!me.connected()) {
                continue;
            }
            if (random.nextInt(30) == 0) {
                heading[slot] = random.nextInt(16);
            }
            int buttons = heading[slot] & (PlayerInput.UP | PlayerInput.DOWN | PlayerInput.LEFT | PlayerInput.RIGHT);
            int aim = random.nextInt(Aim.STEPS);
            int visible = match.visibleEnemiesMask(slot);
            double best = Double.MAX_VALUE;
            for (int other = 0; other < match.playerCount(); other++) {
                if ((visible & (1 << other)) != 0) {
                    Player them = match.player(other);
                    double d = Math.hypot(them.x() - me.x(), them.y() - me.y());
                    if (d < best) {
                        best = d;
                        aim = Aim.towards(me.x(), me.y(), them.x(), them.y());
                        buttons |= PlayerInput.FIRE;
                    }
                }
            }
            if (random.nextInt(200) == 0) {
                buttons |= PlayerInput.THROW_CHARGE;
            }
            if (random.nextInt(50) == 0) {
                buttons |= PlayerInput.FIRE;
            }
            Speed speed = Speed.values()[random.nextInt(3)];
            match.submitInput(slot, new PlayerInput(++sequence[slot], buttons, speed, aim, random.nextInt(60)));
        }
        match.tick();
    }
}
