package dev.trespasser.game.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trespasser.game.maps.MapCatalog;
import dev.trespasser.game.world.GameMap;
import dev.trespasser.game.world.MapFormatException;
import dev.trespasser.game.world.MapParser;
import dev.trespasser.game.world.SpawnZone;
import dev.trespasser.game.world.Wall;
import dev.trespasser.proto.game.v1.MapGeometry;
import java.util.Collections;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class MapGeometryCodecTest {

    /** 200x100, spawns at both ends, two walls: small enough to read every number below. */
    private static final GameMap SMALL = MapParser.parse("t", """
            trespasser-map 1
            size 200 100
            spawn red 0 0 20 100
            spawn blue 180 0 20 100
            wall h 40 10 5
            wall v 100 20 10 8
            """);

    static List<String> shippedMaps() {
        return MapCatalog.SHIPPED;
    }

    @ParameterizedTest
    @MethodSource("shippedMaps")
    void everyShippedMapSurvivesTheRoundTripThroughBytes(String name) throws Exception {
        GameMap map = MapCatalog.load(name);
        byte[] bytes = MapGeometryCodec.encode(map).toByteArray();

        GameMap decoded = MapGeometryCodec.decode(MapGeometry.parseFrom(bytes));

        assertEquals(map, decoded);
        assertEquals(map.fingerprint(), decoded.fingerprint());
        assertEquals(map.sliceCount(), decoded.sliceCount());
    }

    @Test
    void shippedMapsStaySmallOnTheWire() {
        // Welcome goes once per join; packed varints keep a map to a few bytes per wall.
        for (String name : MapCatalog.SHIPPED) {
            GameMap map = MapCatalog.load(name);
            int size = MapGeometryCodec.encode(map).getSerializedSize();
            System.out.printf(
                    "MapGeometry %s: %d bytes for %d walls, %d slices%n",
                    name, size, map.walls().size(), map.sliceCount());
            assertTrue(size <= 40 + 8 * map.walls().size(), name + " encodes to " + size + " bytes");
            assertTrue(size < 512, name + " encodes to " + size + " bytes");
        }
    }

    @Test
    void encodesTheDocumentedLayout() {
        MapGeometry geometry = MapGeometryCodec.encode(SMALL);

        assertEquals(1, geometry.getFormat());
        assertEquals("t", geometry.getName());
        assertEquals(200, geometry.getWidth());
        assertEquals(100, geometry.getHeight());
        assertEquals(Wall.SLICE_LENGTH, geometry.getSliceLength());
        assertEquals(List.of(0, 40, 10, 5, 6, 1, 100, 20, 10, 8), geometry.getWallsList());
        assertEquals(List.of(0, 0, 20, 100, 180, 0, 20, 100), geometry.getSpawnsList());
        assertEquals(SMALL.fingerprint(), geometry.getFingerprint());
    }

    @Test
    void aMapWithoutWallsRoundTrips() {
        GameMap open =
                new GameMap("open", 100, 100, List.of(), new SpawnZone(0, 0, 20, 100), new SpawnZone(80, 0, 20, 100));
        assertEquals(open, MapGeometryCodec.decode(MapGeometryCodec.encode(open)));
    }

    @Test
    void refusesAnUnknownFormat() {
        assertRefused(g -> g.setFormat(2), "unknown map geometry format 2");
        assertRefused(g -> g.setFormat(0), "unknown map geometry format 0");
    }

    @Test
    void refusesAnotherSliceLength() {
        assertRefused(g -> g.setSliceLength(3), "slice length 3");
    }

    @Test
    void refusesBadNames() {
        assertRefused(g -> g.setName(""), "map name");
        assertRefused(g -> g.setName("x".repeat(65)), "map name");
        assertRefused(g -> g.setName("evil\nname"), "map name");
    }

    @Test
    void refusesSizesOutOfBounds() {
        assertRefused(g -> g.setWidth(0), "size must be between");
        assertRefused(g -> g.setHeight(MapParser.MAX_SIZE + 1), "size must be between");
        assertRefused(g -> g.setWidth(-1), "size must be between"); // uint32 4294967295
    }

    @Test
    void refusesWallsThatAreNotWholeRecords() {
        assertRefused(g -> g.addWalls(1), "not a multiple of 5");
        assertRefused(g -> g.clearWalls().addAllWalls(List.of(0, 40, 10, 5)), "not a multiple of 5");
    }

    @Test
    void refusesAnUnknownOrientation() {
        assertRefused(g -> g.setWalls(5, 2), "unknown orientation 2");
        assertRefused(g -> g.setWalls(0, -1), "unknown orientation 4294967295");
    }

    @Test
    void refusesWallsOutsideTheMap() {
        assertRefused(g -> g.setWalls(1, 195), "lies outside the bounds"); // 10 long from x 195
        assertRefused(g -> g.setWalls(7, 90), "lies outside the bounds"); // 20 long from y 90
        assertRefused(g -> g.setWalls(1, -1), "lies outside the bounds"); // x 4294967295
        assertRefused(g -> g.setWalls(3, -1), "too many slices"); // 4294967295 slices
    }

    @Test
    void refusesDegenerateOrOverlappingWalls() {
        assertRefused(g -> g.setWalls(3, 0), "at least one slice");
        assertRefused(g -> g.setWalls(4, 0), "thickness must be between");
        assertRefused(g -> g.setWalls(4, MapParser.MAX_THICKNESS + 1), "thickness must be between");
        assertRefused(g -> g.addAllWalls(List.of(0, 40, 10, 5, 6)), "overlaps wall 0");
    }

    @Test
    void boundsTheWallCountBeforeReadingAnyWall() {
        // A frame's worth of walls is refused from its length alone, whatever the walls say.
        List<Integer> tooMany = Collections.nCopies((MapGeometryCodec.MAX_WALLS + 1) * 5, 1);
        assertRefused(g -> g.clearWalls().addAllWalls(tooMany), "too many walls");
    }

    @Test
    void boundsTheTotalSliceCount() {
        // 40 horizontal walls of 2000 slices (4000 units) each, stacked 7 apart: 80,000 slices.
        UnaryOperator<MapGeometry.Builder> hugeWalls = g -> {
            g.clearWalls().setWidth(MapParser.MAX_SIZE).setHeight(MapParser.MAX_SIZE);
            for (int i = 0; i < 40; i++) {
                g.addAllWalls(List.of(0, 0, i * 7, 2000, 6));
            }
            return g;
        };
        assertRefused(hugeWalls, "too many slices");
    }

    @Test
    void refusesSpawnsThatAreNotTwoZones() {
        assertRefused(g -> g.clearSpawns(), "spawns hold 0 numbers, expected 8");
        assertRefused(g -> g.addSpawns(1), "spawns hold 9 numbers, expected 8");
        assertRefused(g -> g.clearSpawns().addAllSpawns(List.of(0, 0, 20, 100)), "spawns hold 4 numbers");
    }

    @Test
    void refusesSpawnsOutsideTheMapOrTooSmall() {
        assertRefused(g -> g.setSpawns(4, 190), "blue spawn zone [190,0)-(210,100) lies outside");
        assertRefused(g -> g.setSpawns(1, -1), "red spawn zone");
        assertRefused(g -> g.setSpawns(2, 5), "red spawn zone must be at least 10x10");
    }

    @Test
    void refusesAFingerprintThatDoesNotMatchTheGeometry() {
        assertRefused(g -> g.setFingerprint(SMALL.fingerprint() + 1), "does not match the geometry");
        // One number changed in an otherwise valid wall: only the fingerprint tells.
        assertRefused(g -> g.setWalls(1, 41), "does not match the geometry");
    }

    @Test
    void theRefusalNamesTheMap() {
        MapFormatException refused = assertThrows(
                MapFormatException.class,
                () -> MapGeometryCodec.decode(
                        MapGeometryCodec.encode(SMALL).toBuilder().setFormat(9).build()));
        assertEquals("t", refused.mapName());
    }

    private static void assertRefused(UnaryOperator<MapGeometry.Builder> change, String reason) {
        MapGeometry.Builder builder = MapGeometryCodec.encode(SMALL).toBuilder();
        MapGeometry hostile = change.apply(builder).build();
        MapFormatException refused = assertThrows(MapFormatException.class, () -> MapGeometryCodec.decode(hostile));
        assertTrue(
                refused.getMessage().contains(reason), () -> "expected '" + reason + "' in: " + refused.getMessage());
    }
}
