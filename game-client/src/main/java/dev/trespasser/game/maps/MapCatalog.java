package dev.trespasser.game.maps;

import dev.trespasser.game.world.GameMap;
import dev.trespasser.game.world.MapParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The maps shipped with the server, read by name from the classpath ({@code /maps/<name>.map}).
 * The one place that does I/O for maps; the simulation only ever sees parsed {@link GameMap}s.
 */
public final class MapCatalog {

    /** Every map the server ships; matchmaking may pick any of these. */
    public static final List<String> SHIPPED = List.of("depot", "crossfire");

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");

    private MapCatalog() {}

    /** Loads and parses a shipped map; unknown names are an {@link IllegalArgumentException}. */
    public static GameMap load(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("invalid map name: " + name);
        }
        String resource = "/maps/" + name + ".map";
        try (InputStream in = MapCatalog.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no such map: " + name);
            }
            return MapParser.parse(name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + resource, e);
        }
    }
}
