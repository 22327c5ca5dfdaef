package dev.trespasser.game.wire;

import dev.trespasser.game.world.GameMap;
import dev.trespasser.game.world.MapFormatException;
import dev.trespasser.game.world.MapParser;
import dev.trespasser.game.world.Orientation;
import dev.trespasser.game.world.SpawnZone;
import dev.trespasser.game.world.Wall;
import dev.trespasser.proto.game.v1.MapGeometry;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A map's geometry as {@code Welcome.map} carries it ({@code MapGeometry} format 1), so a client
 * draws and collides with the map the server plays instead of shipping map files. Decoding reads
 * what a server sent: it holds the geometry to the same limits as {@link MapParser} and checks
 * the fingerprint, so a corrupt or hostile message is a {@link MapFormatException}, never a map
 * that differs from the server's.
 */
public final class MapGeometryCodec {

    /** The layout {@code MapGeometry.format} 1 describes; the only one this client reads. */
    public static final int FORMAT = 1;

    /** Numbers per wall in {@code MapGeometry.walls}: orientation, x, y, slices, thickness. */
    public static final int WALL_FIELDS = 5;

    /** Numbers in {@code MapGeometry.spawns}: x, y, width, height for red, then for blue. */
    public static final int SPAWN_FIELDS = 8;

    /**
     * Walls a decoded map may have: the shipped maps have a few dozen, and the bound keeps the
     * overlap check (quadratic in walls) and the wall list small whatever a message claims.
     */
    public static final int MAX_WALLS = 4096;

    private static final int HORIZONTAL = 0;
    private static final int VERTICAL = 1;
    /** Printable and short, so a name from the wire is safe to log and show. */
    private static final Pattern NAME = Pattern.compile("[\\p{Alnum}][\\p{Alnum} ._-]{0,63}");

    private MapGeometryCodec() {}

    public static MapGeometry encode(GameMap map) {
        MapGeometry.Builder geometry = MapGeometry.newBuilder()
                .setFormat(FORMAT)
                .setName(map.name())
                .setWidth(map.width())
                .setHeight(map.height())
                .setSliceLength(Wall.SLICE_LENGTH)
                .setFingerprint(map.fingerprint());
        for (Wall wall : map.walls()) {
            geometry.addWalls(wall.orientation() == Orientation.HORIZONTAL ? HORIZONTAL : VERTICAL)
                    .addWalls(wall.x())
                    .addWalls(wall.y())
                    .addWalls(wall.slices())
                    .addWalls(wall.thickness());
        }
        for (SpawnZone zone : List.of(map.redSpawn(), map.blueSpawn())) {
            geometry.addSpawns(zone.x())
                    .addSpawns(zone.y())
                    .addSpawns(zone.width())
                    .addSpawns(zone.height());
        }
        return geometry.build();
    }

    /** The map the message describes; anything it cannot be is a {@link MapFormatException}. */
    public static GameMap decode(MapGeometry geometry) {
        String name = geometry.getName();
        if (!NAME.matcher(name).matches()) {
            throw fail(
                    "<unnamed>",
                    "map name must be 1 to 64 letters, digits, blanks, '.', '_' or '-', got " + quoted(name));
        }
        if (geometry.getFormat() != FORMAT) {
            throw fail(
                    name,
                    "unknown map geometry format " + unsigned(geometry.getFormat()) + " (this client reads " + FORMAT
                            + ")");
        }
        if (geometry.getSliceLength() != Wall.SLICE_LENGTH) {
            throw fail(
                    name,
                    "slice length " + unsigned(geometry.getSliceLength()) + " differs from this client's "
                            + Wall.SLICE_LENGTH);
        }
        long width = unsigned(geometry.getWidth());
        long height = unsigned(geometry.getHeight());
        if (width < 1 || height < 1 || width > MapParser.MAX_SIZE || height > MapParser.MAX_SIZE) {
            throw fail(
                    name,
                    "size must be between 1 and " + MapParser.MAX_SIZE + " in each direction, got " + width + "x"
                            + height);
        }
        int wallNumbers = geometry.getWallsCount();
        if (wallNumbers % WALL_FIELDS != 0) {
            throw fail(name, "walls hold " + wallNumbers + " numbers, not a multiple of " + WALL_FIELDS);
        }
        if (wallNumbers / WALL_FIELDS > MAX_WALLS) {
            throw fail(name, "too many walls: " + wallNumbers / WALL_FIELDS + ", at most " + MAX_WALLS);
        }
        List<Wall> walls = walls(name, geometry, width, height);
        if (geometry.getSpawnsCount() != SPAWN_FIELDS) {
            throw fail(name, "spawns hold " + geometry.getSpawnsCount() + " numbers, expected " + SPAWN_FIELDS);
        }
        SpawnZone red = spawn(name, geometry, 0, "red", width, height);
        SpawnZone blue = spawn(name, geometry, 4, "blue", width, height);
        GameMap map = new GameMap(name, (int) width, (int) height, walls, red, blue);
        if (map.fingerprint() != geometry.getFingerprint()) {
            throw fail(
                    name,
                    "fingerprint " + Long.toUnsignedString(geometry.getFingerprint(), 16)
                            + " does not match the geometry (" + Long.toUnsignedString(map.fingerprint(), 16) + ")");
        }
        return map;
    }

    private static List<Wall> walls(String name, MapGeometry geometry, long width, long height) {
        int count = geometry.getWallsCount() / WALL_FIELDS;
        List<Wall> walls = new ArrayList<>(count);
        long sliceCount = 0;
        for (int i = 0; i < count; i++) {
            int at = i * WALL_FIELDS;
            long orientationNumber = unsigned(geometry.getWalls(at));
            Orientation orientation;
            if (orientationNumber == HORIZONTAL) {
                orientation = Orientation.HORIZONTAL;
            } else if (orientationNumber == VERTICAL) {
                orientation = Orientation.VERTICAL;
            } else {
                throw fail(name, "wall " + i + ": unknown orientation " + orientationNumber + " (0 or 1)");
            }
            long x = unsigned(geometry.getWalls(at + 1));
            long y = unsigned(geometry.getWalls(at + 2));
            long slices = unsigned(geometry.getWalls(at + 3));
            long thickness = unsigned(geometry.getWalls(at + 4));
            if (slices < 1) {
                throw fail(name, "wall " + i + ": a wall needs at least one slice");
            }
            if (thickness < 1 || thickness > MapParser.MAX_THICKNESS) {
                throw fail(
                        name,
                        "wall " + i + ": thickness must be between 1 and " + MapParser.MAX_THICKNESS + ", got "
                                + thickness);
            }
            sliceCount += slices;
            if (sliceCount > MapParser.MAX_SLICES) {
                throw fail(name, "too many slices: a map holds at most " + MapParser.MAX_SLICES);
            }
            long length = slices * Wall.SLICE_LENGTH;
            long maxX = orientation == Orientation.HORIZONTAL ? x + length : x + thickness;
            long maxY = orientation == Orientation.HORIZONTAL ? y + thickness : y + length;
            if (maxX > width || maxY > height) {
                throw fail(
                        name,
                        "wall " + i + " [" + x + "," + y + ")-(" + maxX + "," + maxY + ") lies outside the bounds "
                                + width + "x" + height);
            }
            Wall wall = new Wall(orientation, (int) x, (int) y, (int) slices, (int) thickness);
            for (int j = 0; j < walls.size(); j++) {
                if (walls.get(j).overlaps(wall)) {
                    throw fail(name, "wall " + i + " overlaps wall " + j);
                }
            }
            walls.add(wall);
        }
        return walls;
    }

    private static SpawnZone spawn(String name, MapGeometry geometry, int at, String team, long width, long height) {
        long x = unsigned(geometry.getSpawns(at));
        long y = unsigned(geometry.getSpawns(at + 1));
        long w = unsigned(geometry.getSpawns(at + 2));
        long h = unsigned(geometry.getSpawns(at + 3));
        if (w < MapParser.MIN_SPAWN_SIZE || h < MapParser.MIN_SPAWN_SIZE) {
            throw fail(
                    name,
                    team + " spawn zone must be at least " + MapParser.MIN_SPAWN_SIZE + "x" + MapParser.MIN_SPAWN_SIZE
                            + ", got " + w + "x" + h);
        }
        if (x + w > width || y + h > height) {
            throw fail(
                    name,
                    team + " spawn zone [" + x + "," + y + ")-(" + (x + w) + "," + (y + h)
                            + ") lies outside the bounds " + width + "x" + height);
        }
        return new SpawnZone((int) x, (int) y, (int) w, (int) h);
    }

    private static long unsigned(int wire) {
        return Integer.toUnsignedLong(wire);
    }

    private static String quoted(String text) {
        String shown = text.length() > 64 ? text.substring(0, 64) + "..." : text;
        return "'" + shown.replaceAll("[^\\x20-\\x7E]", "?") + "'";
    }

    private static MapFormatException fail(String name, String reason) {
        return new MapFormatException(name, 0, "map geometry: " + reason);
    }
}
