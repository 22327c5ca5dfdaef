package dev.trespasser.game.world;

/**
 * An axis-aligned run of slices. {@code (x, y)} is the top-left corner of the first slice; the
 * run extends {@code slices * SLICE_LENGTH} along its orientation and {@code thickness} across.
 */
public record Wall(Orientation orientation, int x, int y, int slices, int thickness) {

    /** Every slice is this long along its wall: five per player width. */
    public static final int SLICE_LENGTH = 2;

    public static final int DEFAULT_THICKNESS = 6;

    public Wall {
        if (orientation == null) {
            throw new IllegalArgumentException("orientation is required");
        }
        if (slices < 1 || thickness < 1) {
            throw new IllegalArgumentException("a wall needs at least one slice and a positive thickness");
        }
    }

    public int minX() {
        return x;
    }

    public int minY() {
        return y;
    }

    public int maxX() {
        return orientation == Orientation.HORIZONTAL ? x + slices * SLICE_LENGTH : x + thickness;
    }

    public int maxY() {
        return orientation == Orientation.HORIZONTAL ? y + thickness : y + slices * SLICE_LENGTH;
    }

    /** True when the interiors of the two walls share area (touching edges is fine). */
    public boolean overlaps(Wall other) {
        return minX() < other.maxX() && other.minX() < maxX() && minY() < other.maxY() && other.minY() < maxY();
    }
}
