package dev.trespasser.game.movement.vectors;

import static dev.trespasser.game.movement.Speed.RUN;
import static dev.trespasser.game.movement.Speed.SNEAK;
import static dev.trespasser.game.movement.Speed.WALK;

import dev.trespasser.game.movement.Speed;
import dev.trespasser.game.movement.vectors.MovementScript.Hold;
import dev.trespasser.game.world.GameMap;
import dev.trespasser.game.world.SliceField;
import java.util.ArrayList;
import java.util.List;

/**
 * The walks the vectors cover, on the shipped map {@code depot} (see its file: the warehouse
 * spans x 380..580, y 170..370 with 6-unit walls and a 20-unit door in every side; a fence runs
 * along y 60..66 from x 140 to 380; a crate stands at x 200..216, y 100..130).
 */
public final class MovementScripts {

    public static final String MAP = "depot";

    static final int UP = 1;
    static final int DOWN = 2;
    static final int LEFT = 4;
    static final int RIGHT = 8;

    private MovementScripts() {}

    public static List<MovementScript> all(GameMap depot) {
        SliceField field = new SliceField(depot, 1);
        List<MovementScript> s = new ArrayList<>();
        s.add(script(
                "open-yard-walk-east",
                "walking east across open ground: 1 unit per tick",
                300,
                120,
                List.of(),
                hold(RIGHT, WALK, 60)));
        s.add(script(
                "speeds-then-fence",
                "north at sneak, walk, then run until the fence stops the player at y 71",
                300,
                140,
                List.of(),
                hold(UP, SNEAK, 20),
                hold(UP, WALK, 20),
                hold(UP, RUN, 40)));
        s.add(script(
                "diagonal-slides-along-fence",
                "north-east at a run into the fence, then sliding east along it",
                300,
                90,
                List.of(),
                hold(UP | RIGHT, RUN, 60)));
        s.add(script(
                "blocked-by-warehouse-wall",
                "east into the warehouse's west wall: stops at x 375",
                360,
                220,
                List.of(),
                hold(RIGHT, WALK, 40)));
        s.add(script(
                "through-north-door",
                "south through the 20-unit north door until the shelving stops the player",
                480,
                120,
                List.of(),
                hold(DOWN, WALK, 160)));
        s.add(script(
                "diagonal-slides-into-door",
                "south-east against the north wall, sliding along it into the door",
                455,
                150,
                List.of(),
                hold(DOWN | RIGHT, WALK, 90)));
        s.add(script(
                "through-shot-hole",
                "east through a 14-unit hole shot in the warehouse's west wall",
                360,
                207,
                holeInWestWall(field, 200, 214),
                hold(RIGHT, WALK, 60)));
        s.add(script(
                "hole-too-narrow",
                "east against an 8-unit hole: a radius-5 player does not fit",
                360,
                204,
                holeInWestWall(field, 200, 208),
                hold(RIGHT, RUN, 40)));
        s.add(script(
                "opposite-buttons-cancel",
                "left and right cancel; only up moves",
                300,
                140,
                List.of(),
                hold(LEFT | RIGHT | UP, WALK, 30),
                hold(LEFT | RIGHT, RUN, 10)));
        s.add(script(
                "map-corner-clamp",
                "north-west at a run into the map's corner: clamped at (5, 5)",
                20,
                20,
                List.of(),
                hold(UP | LEFT, RUN, 30)));
        s.add(script(
                "crate-corner",
                "north-east straight into the crate's lower-left corner, which holds the player",
                192,
                138,
                List.of(),
                hold(UP | RIGHT, WALK, 60)));
        s.add(script(
                "stop-and-go",
                "walk, stand, sneak, stand, run: standing keeps the position",
                300,
                250,
                List.of(),
                hold(RIGHT, WALK, 10),
                hold(0, WALK, 5),
                hold(DOWN, SNEAK, 10),
                hold(0, RUN, 5),
                hold(LEFT, RUN, 10)));
        s.add(script(
                "eight-directions",
                "each of the eight directions at a run, in the open",
                300,
                300,
                List.of(),
                hold(UP, RUN, 6),
                hold(UP | RIGHT, RUN, 6),
                hold(RIGHT, RUN, 6),
                hold(DOWN | RIGHT, RUN, 6),
                hold(DOWN, RUN, 6),
                hold(DOWN | LEFT, RUN, 6),
                hold(LEFT, RUN, 6),
                hold(UP | LEFT, RUN, 6)));
        return s;
    }

    /** The slices of the warehouse's west wall (x 380..386) whose span lies within y0..y1. */
    static List<Integer> holeInWestWall(SliceField field, int y0, int y1) {
        List<Integer> hole = new ArrayList<>();
        for (int i = 0; i < field.count(); i++) {
            if (field.minX(i) == 380 && field.maxX(i) == 386 && field.minY(i) >= y0 && field.maxY(i) <= y1) {
                hole.add(i);
            }
        }
        if (hole.size() != (y1 - y0) / 2) {
            throw new IllegalStateException("depot's west wall is not where the scripts expect it: " + hole);
        }
        return hole;
    }

    private static MovementScript script(
            String name, String description, double x, double y, List<Integer> destroyed, Hold... holds) {
        return new MovementScript(name, description, x, y, destroyed, List.of(holds));
    }

    private static Hold hold(int buttons, Speed speed, int ticks) {
        return new Hold(buttons, speed, ticks);
    }
}
