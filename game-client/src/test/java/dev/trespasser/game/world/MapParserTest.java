package dev.trespasser.game.world;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trespasser.game.maps.MapCatalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MapParserTest {

    private static final String HEAD =
            "trespasser-map 1\nsize 200 100\nspawn red 0 0 20 100\nspawn blue 180 0 20 100\n";

    @Test
    void parsesEveryStatementWithCommentsAndBlankLines() {
        GameMap map = MapParser.parse("t", """
                # a comment line
                trespasser-map 1

                size 200 100   # bounds
                spawn red 0 0 20 100
                spawn blue 180 0 20 100
                wall h 40 10 5
                wall v 100 20 10 8
                """);
        assertEquals(200, map.width());
        assertEquals(100, map.height());
        assertEquals(new SpawnZone(0, 0, 20, 100), map.redSpawn());
        assertEquals(new Wall(Orientation.HORIZONTAL, 40, 10, 5, 6), map.walls().get(0));
        assertEquals(new Wall(Orientation.VERTICAL, 100, 20, 10, 8), map.walls().get(1));
        assertEquals(15, map.sliceCount());
    }

    @Test
    void sliceTableNumbersWallsInFileOrderAlongTheirRun() {
        SliceField slices = new SliceField(MapParser.parse("t", HEAD + "wall h 40 10 5\nwall v 100 20 10 8\n"), 100);
        assertEquals(40, slices.minX(0));
        assertEquals(48, slices.minX(4));
        assertEquals(16, slices.maxY(4));
        assertEquals(100, slices.minX(5));
        assertEquals(22, slices.minY(6));
        assertEquals(108, slices.maxX(6));
    }

    @ParameterizedTest(name = "{2}")
    @CsvSource(
            delimiter = '|',
            value = {
                "size 200 100|1|the first statement must be",
                "trespasser-map 2|1|unsupported map format version 2",
                "trespasser-map 1\\nwall h 0 0 5|2|'wall' before 'size'",
                "trespasser-map 1\\nsize 0 100|2|size must be between 1 and 8192",
                "trespasser-map 1\\nsize 200 100\\nsize 200 100|3|duplicate 'size'",
                "trespasser-map 1\\nsize 200 100\\nbridge 1 2|3|unknown statement 'bridge'",
                "trespasser-map 1\\nsize 200 100\\nwall d 0 0 5|3|unknown wall direction 'd'",
                "trespasser-map 1\\nsize 200 100\\nwall h 0 0|3|'wall' takes 4 or 5 arguments, got 3",
                "trespasser-map 1\\nsize 200 100\\nwall h 0 zero 5|3|y must be an integer",
                "trespasser-map 1\\nsize 200 100\\nwall h 0 0 99999999999|3|slice count must be an integer",
                "trespasser-map 1\\nsize 200 100\\nwall h 190 0 10|3|lies outside the bounds",
                "trespasser-map 1\\nsize 200 100\\nwall h -2 0 10|3|lies outside the bounds",
                "trespasser-map 1\\nsize 200 100\\nwall h 0 0 0|3|at least one slice",
                "trespasser-map 1\\nsize 200 100\\nwall h 0 0 5 65|3|thickness must be between 1 and 64",
                "trespasser-map 1\\nsize 200 100\\nwall h 0 0 10\\n\\nwall v 10 0 5|5|overlaps the wall on line 3",
                "trespasser-map 1\\nsize 200 100\\nspawn green 0 0 20 20|3|unknown team 'green'",
                "trespasser-map 1\\nsize 200 100\\nspawn red 0 0 8 20|3|spawn zone must be at least 10x10",
                "trespasser-map 1\\nsize 200 100\\nspawn red 0 0 20 20\\nspawn red 0 0 20 20|4|duplicate red spawn zone",
                "trespasser-map 1\\nsize 200 100\\nspawn red 0 0 20 20|0|missing blue spawn zone",
                "trespasser-map 1|0|missing 'size'",
                "# only a comment|0|empty map",
            })
    void malformedMapsAreRejectedWithLineAndReason(String text, int line, String reason) {
        MapFormatException e =
                assertThrows(MapFormatException.class, () -> MapParser.parse("bad", text.replace("\\n", "\n")));
        assertEquals(line, e.line(), e.getMessage());
        assertTrue(e.getMessage().contains(reason), e.getMessage());
        assertTrue(e.getMessage().startsWith("bad"), e.getMessage());
    }

    @Test
    void touchingWallsAreAllowed() {
        GameMap map = MapParser.parse("t", HEAD + "wall h 40 10 5\nwall v 50 10 5\n");
        assertEquals(2, map.walls().size());
    }

    @Test
    void windowsLineEndingsParse() {
        assertEquals(
                1,
                MapParser.parse("t", HEAD.replace("\n", "\r\n") + "wall h 40 10 5\r\n")
                        .walls()
                        .size());
    }

    @Test
    void shippedMapsLoadByName() {
        for (String name : MapCatalog.SHIPPED) {
            GameMap map = MapCatalog.load(name);
            assertEquals(name, map.name());
            assertEquals(960, map.width());
            assertEquals(540, map.height());
            assertTrue(map.sliceCount() > 300, name + " has " + map.sliceCount() + " slices");
            SliceField slices = new SliceField(map, 100);
            for (SpawnZone zone : new SpawnZone[] {map.redSpawn(), map.blueSpawn()}) {
                int free = 0;
                for (int y = zone.y() + 5; y <= zone.maxY() - 5; y += 12) {
                    for (int x = zone.x() + 5; x <= zone.maxX() - 5; x += 12) {
                        free += slices.blocksCircle(x, y, 5) ? 0 : 1;
                    }
                }
                assertTrue(free >= 8, name + " spawn zone holds a team: " + free + " free spots");
            }
        }
    }

    @Test
    void unknownOrUnsafeMapNamesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> MapCatalog.load("nowhere"));
        assertThrows(IllegalArgumentException.class, () -> MapCatalog.load("../depot"));
        assertFalse(MapCatalog.SHIPPED.isEmpty());
    }
}
