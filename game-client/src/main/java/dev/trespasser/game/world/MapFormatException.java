package dev.trespasser.game.world;

/** A map file that cannot be used, with the line that broke it (0 for whole-file problems). */
public final class MapFormatException extends RuntimeException {

    private final String mapName;
    private final int line;

    public MapFormatException(String mapName, int line, String reason) {
        super(mapName + (line > 0 ? ":" + line : "") + ": " + reason);
        this.mapName = mapName;
        this.line = line;
    }

    public String mapName() {
        return mapName;
    }

    public int line() {
        return line;
    }
}
