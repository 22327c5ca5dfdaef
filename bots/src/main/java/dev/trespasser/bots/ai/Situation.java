package dev.trespasser.bots.ai;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the bot knows at one input tick, all of it from the server's messages: exactly what a
 * player's client may know (its own state, teammates, the enemies in its view, the sounds it
 * heard, the charges in sight, the wall damage).
 *
 * @param self           own position (meaningless when dead)
 * @param alive          whether the bot is alive (dead bots wait for the respawn)
 * @param hasCharge      whether the bot still holds its breach charge
 * @param combatAllowed  the match is active: firing and throwing do something
 * @param visibleEnemies living enemies in view
 * @param sounds         sounds heard since the previous tick
 * @param charges        charges in sight (own team's and enemies')
 * @param damagedSlices  slice index to HP for every slice not at full HP (0: destroyed)
 */
public record Situation(
        Point self,
        boolean alive,
        boolean hasCharge,
        boolean combatAllowed,
        List<Point> visibleEnemies,
        List<HeardSound> sounds,
        List<Point> charges,
        Map<Integer, Integer> damagedSlices) {

    public Situation {
        Objects.requireNonNull(self, "self");
        visibleEnemies = List.copyOf(visibleEnemies);
        sounds = List.copyOf(sounds);
        charges = List.copyOf(charges);
        Objects.requireNonNull(damagedSlices, "damagedSlices");
    }
}
