package dev.trespasser.game.world;

/** Axis-aligned rectangle where a team's players (re)spawn. */
public record SpawnZone(int x, int y, int width, int height) {

    public SpawnZone {
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("a spawn zone needs a positive size");
        }
    }

    public int maxX() {
        return x + width;
    }

    public int maxY() {
        return y + height;
    }
}
