package dev.trespasser.match.sim;

import dev.trespasser.game.world.GameMap;
import dev.trespasser.game.world.MapParser;

/**
 * Fixture language for worlds: an open rectangle with spawn zones in the left and right
 * margins, plus walls written like map statements. Builds real map text and parses it, so every
 * test world also exercises the map format.
 */
final class Arena {

    private final StringBuilder text = new StringBuilder();

    private Arena(int width, int height) {
        text.append("trespasser-map 1\n");
        text.append("size ").append(width).append(' ').append(height).append('\n');
        text.append("spawn red 0 0 20 ").append(height).append('\n');
        text.append("spawn blue ")
                .append(width - 20)
                .append(" 0 20 ")
                .append(height)
                .append('\n');
    }

    static Arena open(int width, int height) {
        return new Arena(width, height);
    }

    /** Horizontal wall from (x, y) along +x, {@code slices} slices, default thickness. */
    Arena wallH(int x, int y, int slices) {
        text.append("wall h ")
                .append(x)
                .append(' ')
                .append(y)
                .append(' ')
                .append(slices)
                .append('\n');
        return this;
    }

    /** Vertical wall from (x, y) along +y, {@code slices} slices, default thickness. */
    Arena wallV(int x, int y, int slices) {
        text.append("wall v ")
                .append(x)
                .append(' ')
                .append(y)
                .append(' ')
                .append(slices)
                .append('\n');
        return this;
    }

    Arena wallV(int x, int y, int slices, int thickness) {
        text.append("wall v ")
                .append(x)
                .append(' ')
                .append(y)
                .append(' ')
                .append(slices)
                .append(' ')
                .append(thickness)
                .append('\n');
        return this;
    }

    GameMap map() {
        return MapParser.parse("arena", text.toString());
    }

    /** A match on this arena with the given roster, everyone connected and the round ACTIVE. */
    Play play(MatchSettings settings, Team... teams) {
        return Play.start(map(), settings, teams);
    }

    /** One red (slot 0) against one blue (slot 1). */
    Play duel() {
        return play(Play.quietSettings(), Team.RED, Team.BLUE);
    }
}
