package dev.trespasser.game.movement.vectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trespasser.game.maps.MapCatalog;
import dev.trespasser.game.movement.MovementRules;
import dev.trespasser.game.wire.Wire;
import dev.trespasser.game.world.GameMap;
import dev.trespasser.game.world.SliceField;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Keeps the committed golden file {@code src/test/resources/vectors/movement.json} (what the web
 * client's Vitest replays) equal to what the movement rules produce now, reads it back and
 * replays every case against the rules; the server's simulation replays the same bytes in
 * match-server's {@code ClientMovementVectorsTest}.
 */
class MovementVectorsTest {

    /** Set ({@code -Dvectors.update=true}) to rewrite the golden file after changing the rules. */
    static final String UPDATE_PROPERTY = "vectors.update";

    private final GameMap depot = MapCatalog.load(MovementScripts.MAP);

    @Test
    void committedGoldenFileIsWhatTheRulesProduceNow() throws IOException {
        String now = MovementVectors.generate();
        if (Boolean.getBoolean(UPDATE_PROPERTY)) {
            MovementVectors.write(MovementVectors.GOLDEN);
        }
        assertTrue(
                Files.exists(MovementVectors.GOLDEN),
                MovementVectors.GOLDEN + " is missing; write it with -D" + UPDATE_PROPERTY + "=true");
        String committed = Files.readString(MovementVectors.GOLDEN, StandardCharsets.UTF_8);
        assertEquals(
                committed,
                now,
                "the movement rules changed: rerun with -D" + UPDATE_PROPERTY + "=true (mvn -pl game-client -am test"
                        + " -Dtest=MovementVectorsTest -Dsurefire.failIfNoSpecifiedTests=false -D" + UPDATE_PROPERTY
                        + "=true), check the diff of " + MovementVectors.GOLDEN + " and commit it with the web"
                        + " client's movement.ts if the web test then fails");
    }

    @Test
    void goldenFileReplaysExactly() throws IOException {
        String json = Files.readString(MovementVectors.GOLDEN, StandardCharsets.UTF_8);
        MovementVectorFile vectors = MovementVectorFile.parse(json);

        assertEquals("trespasser-movement-vectors", vectors.format());
        assertEquals(MovementVectors.FORMAT_VERSION, vectors.version());
        assertEquals(Long.toUnsignedString(depot.fingerprint(), 16), vectors.mapFingerprint());
        MovementVectorFile.Rules r = vectors.rules();
        MovementRules rules =
                new MovementRules(r.playerRadius(), r.sneakSpeed(), r.walkSpeed(), r.runSpeed(), r.tickRateHz());
        assertEquals(MovementRules.DEFAULTS, rules);
        assertEquals(MovementScripts.all(depot).size(), vectors.cases().size());

        double[] out = new double[2];
        for (MovementVectorFile.Case c : vectors.cases()) {
            SliceField slices = new SliceField(depot, 1);
            c.destroyedSlices().forEach(s -> slices.damage(s, 1));
            double x = c.start().x();
            double y = c.start().y();
            for (int t = 0; t < c.ticks().size(); t++) {
                MovementVectorFile.Tick tick = c.ticks().get(t);
                rules.step(slices, x, y, tick.buttons(), tick.speed(), out);
                x = out[0];
                y = out[1];
                String at = c.name() + " tick " + t;
                assertEquals(Double.doubleToLongBits(tick.x()), Double.doubleToLongBits(x), at + " x");
                assertEquals(Double.doubleToLongBits(tick.y()), Double.doubleToLongBits(y), at + " y");
                assertEquals(Wire.position(x), tick.wireX(), at + " wire x");
                assertEquals(Wire.position(y), tick.wireY(), at + " wire y");
            }
        }
    }

    @Test
    void generatingTwiceGivesTheSameBytes() {
        assertEquals(MovementVectors.generate(), MovementVectors.generate());
    }

    /** The scripts must show what their names promise, or the vectors prove less than they claim. */
    @Test
    void scriptsExerciseWallsHolesAndSpeeds() {
        Map<String, List<MovementVectorFile.Tick>> cases = new HashMap<>();
        for (MovementVectorFile.Case c :
                MovementVectorFile.parse(MovementVectors.generate()).cases()) {
            cases.put(c.name(), c.ticks());
        }
        assertEquals(360, last(cases, "open-yard-walk-east").x(), 1e-9);
        assertEquals(71, last(cases, "speeds-then-fence").y(), 1e-9, "the fence (y 60..66) stops a radius-5 player");
        MovementVectorFile.Tick slid = last(cases, "diagonal-slides-along-fence");
        assertEquals(71, slid.y(), 1e-9);
        assertEquals(
                300 + 60 * (100.0 / 60 * Math.sqrt(0.5)), slid.x(), 1e-9, "it keeps its eastward pace along the fence");
        assertEquals(375, last(cases, "blocked-by-warehouse-wall").x(), 1e-9);
        assertEquals(261, last(cases, "through-north-door").y(), 1e-9, "through the door, stopped by the shelving");
        assertTrue(last(cases, "diagonal-slides-into-door").y() > 200, "slid into the door and through it");
        assertEquals(420, last(cases, "through-shot-hole").x(), 1e-9);
        assertTrue(last(cases, "hole-too-narrow").x() < 386, "a 10-unit player does not fit an 8-unit hole");
        assertEquals(300, last(cases, "opposite-buttons-cancel").x(), 1e-9);
        assertEquals(110, last(cases, "opposite-buttons-cancel").y(), 1e-9);
        assertEquals(5, last(cases, "map-corner-clamp").x(), 1e-9);
        assertEquals(5, last(cases, "map-corner-clamp").y(), 1e-9);
        MovementVectorFile.Tick corner = last(cases, "crate-corner");
        assertEquals(5, Math.hypot(corner.x() - 200, corner.y() - 130), 1e-9, "held one radius off the crate's corner");
        assertEquals(300 + 10 - 100.0 / 6, last(cases, "stop-and-go").x(), 1e-9);
        assertEquals(250 + 5, last(cases, "stop-and-go").y(), 1e-9);
        MovementVectorFile.Tick round = last(cases, "eight-directions");
        assertEquals(300, round.x(), 1e-9, "eight directions of equal length close the loop");
        assertEquals(300, round.y(), 1e-9);
    }

    private static MovementVectorFile.Tick last(Map<String, List<MovementVectorFile.Tick>> cases, String name) {
        List<MovementVectorFile.Tick> ticks = cases.get(name);
        return ticks.get(ticks.size() - 1);
    }
}
