package dev.trespasser.game.world;

import java.util.List;

/**
 * A parsed map: bounds, walls in file order and one spawn zone per team. The slice table (what
 * the protocol calls a slice index) numbers the slices of the first wall first, each wall's
 * slices in the direction it runs.
 */
public record GameMap(String name, int width, int height, List<Wall> walls, SpawnZone redSpawn, SpawnZone blueSpawn) {

    public GameMap {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a map needs a name");
        }
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("a map needs positive bounds");
        }
        walls = List.copyOf(walls);
        if (redSpawn == null || blueSpawn == null) {
            throw new IllegalArgumentException("a map needs both spawn zones");
        }
    }

    public int sliceCount() {
        int count = 0;
        for (Wall wall : walls) {
            count += wall.slices();
        }
        return count;
    }

    /** A 64-bit digest of the geometry, so a replay can refuse to run on a different map. */
    public long fingerprint() {
        long h = 0x9E3779B97F4A7C15L;
        h = mix(h, width);
        h = mix(h, height);
        for (Wall wall : walls) {
            h = mix(h, wall.orientation().ordinal());
            h = mix(h, wall.x());
            h = mix(h, wall.y());
            h = mix(h, wall.slices());
            h = mix(h, wall.thickness());
        }
        for (SpawnZone zone : List.of(redSpawn, blueSpawn)) {
            h = mix(h, zone.x());
            h = mix(h, zone.y());
            h = mix(h, zone.width());
            h = mix(h, zone.height());
        }
        return h;
    }

    private static long mix(long h, long value) {
        long z = h ^ (value + 0x9E3779B97F4A7C15L + (h << 6) + (h >>> 2));
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
