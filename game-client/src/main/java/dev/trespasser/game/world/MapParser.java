package dev.trespasser.game.world;

import java.util.ArrayList;
import java.util.List;

/**
 * Parses the text map format. One statement per line, tokens separated by blanks, {@code #}
 * starts a comment that runs to the end of the line, blank lines are ignored:
 *
 * <pre>
 * trespasser-map 1                 # required first statement: format and version
 * size 960 540                     # bounds: width height (exactly once, before anything placed)
 * spawn red 16 200 64 140          # team spawn zone: red|blue x y width height (once per team)
 * wall h 120 100 40                # wall: h|v x y slices [thickness, default 6]
 * wall v 300 60 30 8
 * </pre>
 *
 * A horizontal wall ({@code h}) starts with its top-left corner at (x, y) and runs along +x,
 * {@code slices * 2} long and {@code thickness} tall; a vertical wall ({@code v}) runs along +y.
 * Coordinates are integer world units, y grows downwards. Everything must lie inside the
 * bounds, walls may touch but not overlap, and a spawn zone must be at least one player wide.
 * Any violation is a {@link MapFormatException} naming the line and the reason.
 */
public final class MapParser {

    public static final String HEADER = "trespasser-map";
    public static final int VERSION = 1;
    public static final int MAX_SIZE = 8192;
    public static final int MAX_SLICES = 65_535;
    public static final int MAX_THICKNESS = 64;
    /** A spawn zone narrower than a player could not hold one. */
    public static final int MIN_SPAWN_SIZE = 10;

    private static final int MAX_TEXT_LENGTH = 1 << 20;

    private MapParser() {}

    public static GameMap parse(String name, String text) {
        if (name == null || name.isBlank()) {
            throw new MapFormatException("<unnamed>", 0, "a map needs a name");
        }
        if (text == null) {
            throw new MapFormatException(name, 0, "no map text");
        }
        if (text.length() > MAX_TEXT_LENGTH) {
            throw new MapFormatException(name, 0, "map text longer than " + MAX_TEXT_LENGTH + " characters");
        }
        return new Parse(name).run(text);
    }

    /** The state of one parse, so the public entry point stays re-entrant. */
    private static final class Parse {
        private final String name;
        private boolean headerSeen;
        private int width = -1;
        private int height = -1;
        private SpawnZone red;
        private SpawnZone blue;
        private final List<Wall> walls = new ArrayList<>();
        private final List<Integer> wallLines = new ArrayList<>();
        private int sliceCount;
        private int lineNumber;

        Parse(String name) {
            this.name = name;
        }

        GameMap run(String text) {
            String[] lines = text.split("\r?\n|\r", -1);
            for (int i = 0; i < lines.length; i++) {
                lineNumber = i + 1;
                String line = lines[i];
                int hash = line.indexOf('#');
                if (hash >= 0) {
                    line = line.substring(0, hash);
                }
                line = line.strip();
                if (line.isEmpty()) {
                    continue;
                }
                statement(line.split("\\s+"));
            }
            lineNumber = 0;
            if (!headerSeen) {
                throw fail("empty map: expected '" + HEADER + " " + VERSION + "'");
            }
            if (width < 0) {
                throw fail("missing 'size' statement");
            }
            if (red == null) {
                throw fail("missing red spawn zone");
            }
            if (blue == null) {
                throw fail("missing blue spawn zone");
            }
            return new GameMap(name, width, height, walls, red, blue);
        }

        private void statement(String[] t) {
            if (!headerSeen) {
                if (!t[0].equals(HEADER)) {
                    throw fail("the first statement must be '" + HEADER + " " + VERSION + "', found '" + t[0] + "'");
                }
                arity(t, 2, 2);
                int version = integer(t[1], "version");
                if (version != VERSION) {
                    throw fail("unsupported map format version " + version + " (this server reads " + VERSION + ")");
                }
                headerSeen = true;
                return;
            }
            switch (t[0]) {
                case "size" -> size(t);
                case "spawn" -> spawn(t);
                case "wall" -> wall(t);
                case HEADER -> throw fail("duplicate '" + HEADER + "' header");
                default -> throw fail("unknown statement '" + t[0] + "' (expected size, spawn or wall)");
            }
        }

        private void size(String[] t) {
            arity(t, 3, 3);
            if (width >= 0) {
                throw fail("duplicate 'size' statement");
            }
            int w = integer(t[1], "width");
            int h = integer(t[2], "height");
            if (w < 1 || h < 1 || w > MAX_SIZE || h > MAX_SIZE) {
                throw fail("size must be between 1 and " + MAX_SIZE + " in each direction, got " + w + "x" + h);
            }
            width = w;
            height = h;
        }

        private void spawn(String[] t) {
            arity(t, 6, 6);
            requireSize("spawn");
            int x = integer(t[2], "x");
            int y = integer(t[3], "y");
            int w = integer(t[4], "width");
            int h = integer(t[5], "height");
            if (w < MIN_SPAWN_SIZE || h < MIN_SPAWN_SIZE) {
                throw fail("spawn zone must be at least " + MIN_SPAWN_SIZE + "x" + MIN_SPAWN_SIZE + ", got " + w + "x"
                        + h);
            }
            inside(x, y, (long) x + w, (long) y + h, "spawn zone");
            SpawnZone zone = new SpawnZone(x, y, w, h);
            switch (t[1]) {
                case "red" -> {
                    if (red != null) {
                        throw fail("duplicate red spawn zone");
                    }
                    red = zone;
                }
                case "blue" -> {
                    if (blue != null) {
                        throw fail("duplicate blue spawn zone");
                    }
                    blue = zone;
                }
                default -> throw fail("unknown team '" + t[1] + "' (expected red or blue)");
            }
        }

        private void wall(String[] t) {
            arity(t, 5, 6);
            requireSize("wall");
            Orientation orientation = switch (t[1]) {
                case "h" -> Orientation.HORIZONTAL;
                case "v" -> Orientation.VERTICAL;
                default -> throw fail("unknown wall direction '" + t[1] + "' (expected h or v)");
            };
            int x = integer(t[2], "x");
            int y = integer(t[3], "y");
            int slices = integer(t[4], "slice count");
            int thickness = t.length == 6 ? integer(t[5], "thickness") : Wall.DEFAULT_THICKNESS;
            if (slices < 1) {
                throw fail("a wall needs at least one slice");
            }
            if (thickness < 1 || thickness > MAX_THICKNESS) {
                throw fail("thickness must be between 1 and " + MAX_THICKNESS + ", got " + thickness);
            }
            if ((long) sliceCount + slices > MAX_SLICES) {
                throw fail("too many slices: a map holds at most " + MAX_SLICES);
            }
            long length = (long) slices * Wall.SLICE_LENGTH;
            long maxX = orientation == Orientation.HORIZONTAL ? x + length : (long) x + thickness;
            long maxY = orientation == Orientation.HORIZONTAL ? (long) y + thickness : y + length;
            inside(x, y, maxX, maxY, "wall");
            Wall wall = new Wall(orientation, x, y, slices, thickness);
            for (int i = 0; i < walls.size(); i++) {
                if (walls.get(i).overlaps(wall)) {
                    throw fail("wall overlaps the wall on line " + wallLines.get(i));
                }
            }
            walls.add(wall);
            wallLines.add(lineNumber);
            sliceCount += slices;
        }

        private void requireSize(String what) {
            if (width < 0) {
                throw fail("'" + what + "' before 'size': the bounds must come first");
            }
        }

        private void inside(long minX, long minY, long maxX, long maxY, String what) {
            if (minX < 0 || minY < 0 || maxX > width || maxY > height) {
                throw fail(what + " [" + minX + "," + minY + ")-(" + maxX + "," + maxY + ") lies outside the bounds "
                        + width + "x" + height);
            }
        }

        private void arity(String[] t, int min, int max) {
            if (t.length < min || t.length > max) {
                String expected = min == max ? String.valueOf(min - 1) : (min - 1) + " or " + (max - 1);
                throw fail("'" + t[0] + "' takes " + expected + " arguments, got " + (t.length - 1));
            }
        }

        private int integer(String token, String what) {
            if (token.length() > 9 || !token.matches("-?[0-9]+")) {
                throw fail(what + " must be an integer of at most 9 digits, got '" + token + "'");
            }
            return Integer.parseInt(token);
        }

        private MapFormatException fail(String reason) {
            return new MapFormatException(name, lineNumber, reason);
        }
    }
}
