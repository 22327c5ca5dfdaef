package dev.trespasser.game.world;

import java.util.Arrays;

/**
 * Every wall slice of a map with its hit points, indexed by a uniform grid so that rays (sight,
 * bullets, sound) and circles (players) only test the slices near them.
 *
 * <p>Slices are half-open rectangles {@code [minX, maxX) x [minY, maxY)} for rays running along
 * an axis, so a ray exactly on the shared edge of two intact slices is still blocked; a segment
 * that only grazes a corner or the outside of a face is not.
 */
public final class SliceField implements SliceTable {

    /** Cells of 16 units keep a 960x540 grid at ~2,000 cells with a few slices each. */
    public static final int CELL_SIZE = 16;
    /** A circle closer than its radius minus this to a slice overlaps it; absorbs rounding. */
    private static final double CONTACT_SLACK = 1e-6;

    private static final int PUSH_ITERATIONS = 8;

    private final int width;
    private final int height;
    private final int maxHp;
    private final int count;
    private final int[] minX;
    private final int[] minY;
    private final int[] maxX;
    private final int[] maxY;
    private final int[] hp;
    private final int cols;
    private final int rows;
    private final int[] cellStart;
    private final int[] cellItems;

    private final int[] changed;
    private final boolean[] isChanged;
    private int changedCount;
    private int intactCount;

    private double lastHitT;

    public SliceField(GameMap map, int sliceHp) {
        if (sliceHp < 1) {
            throw new IllegalArgumentException("slices need positive hit points");
        }
        this.width = map.width();
        this.height = map.height();
        this.maxHp = sliceHp;
        this.count = map.sliceCount();
        minX = new int[count];
        minY = new int[count];
        maxX = new int[count];
        maxY = new int[count];
        hp = new int[count];
        int i = 0;
        for (Wall wall : map.walls()) {
            for (int s = 0; s < wall.slices(); s++, i++) {
                if (wall.orientation() == Orientation.HORIZONTAL) {
                    minX[i] = wall.x() + s * Wall.SLICE_LENGTH;
                    maxX[i] = minX[i] + Wall.SLICE_LENGTH;
                    minY[i] = wall.y();
                    maxY[i] = wall.y() + wall.thickness();
                } else {
                    minX[i] = wall.x();
                    maxX[i] = wall.x() + wall.thickness();
                    minY[i] = wall.y() + s * Wall.SLICE_LENGTH;
                    maxY[i] = minY[i] + Wall.SLICE_LENGTH;
                }
            }
        }
        cols = Math.max(1, (width + CELL_SIZE - 1) / CELL_SIZE);
        rows = Math.max(1, (height + CELL_SIZE - 1) / CELL_SIZE);
        cellStart = new int[cols * rows + 1];
        // Two passes (count, then fill) build a compact cell table without per-cell lists.
        for (int s = 0; s < count; s++) {
            for (int cy = cellY(minY[s]); cy <= cellY(maxY[s]); cy++) {
                for (int cx = cellX(minX[s]); cx <= cellX(maxX[s]); cx++) {
                    cellStart[cy * cols + cx + 1]++;
                }
            }
        }
        for (int c = 0; c < cols * rows; c++) {
            cellStart[c + 1] += cellStart[c];
        }
        cellItems = new int[cellStart[cols * rows]];
        int[] fill = Arrays.copyOf(cellStart, cols * rows);
        for (int s = 0; s < count; s++) {
            for (int cy = cellY(minY[s]); cy <= cellY(maxY[s]); cy++) {
                for (int cx = cellX(minX[s]); cx <= cellX(maxX[s]); cx++) {
                    cellItems[fill[cy * cols + cx]++] = s;
                }
            }
        }
        changed = new int[count];
        isChanged = new boolean[count];
        restore();
    }

    /** Every slice back to full health; forgets pending changes. */
    public void restore() {
        Arrays.fill(hp, maxHp);
        intactCount = count;
        clearChanges();
    }

    @Override
    public int count() {
        return count;
    }

    @Override
    public int intactCount() {
        return intactCount;
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    @Override
    public int hp(int slice) {
        return hp[slice];
    }

    @Override
    public boolean intact(int slice) {
        return hp[slice] > 0;
    }

    @Override
    public int minX(int slice) {
        return minX[slice];
    }

    @Override
    public int minY(int slice) {
        return minY[slice];
    }

    @Override
    public int maxX(int slice) {
        return maxX[slice];
    }

    @Override
    public int maxY(int slice) {
        return maxY[slice];
    }

    @Override
    public double centreX(int slice) {
        return (minX[slice] + maxX[slice]) * 0.5;
    }

    @Override
    public double centreY(int slice) {
        return (minY[slice] + maxY[slice]) * 0.5;
    }

    /** Takes hit points off an intact slice; returns its new HP (0: destroyed now). */
    public int damage(int slice, int amount) {
        if (hp[slice] <= 0 || amount <= 0) {
            return hp[slice];
        }
        hp[slice] = Math.max(0, hp[slice] - amount);
        if (hp[slice] == 0) {
            intactCount--;
        }
        markChanged(slice);
        return hp[slice];
    }

    /** Slices whose HP changed since {@link #clearChanges()}, in the order they first changed. */
    public int changedCount() {
        return changedCount;
    }

    public int changedSlice(int i) {
        return changed[i];
    }

    public void clearChanges() {
        for (int i = 0; i < changedCount; i++) {
            isChanged[changed[i]] = false;
        }
        changedCount = 0;
    }

    private void markChanged(int slice) {
        if (!isChanged[slice]) {
            isChanged[slice] = true;
            changed[changedCount++] = slice;
        }
    }

    // ---- rays -------------------------------------------------------------------------------

    /** True when no intact slice lies on the segment between the two points. */
    @Override
    public boolean clearLine(double ax, double ay, double bx, double by) {
        return raycast(ax, ay, bx - ax, by - ay, 1.0) < 0;
    }

    /**
     * The first intact slice along {@code origin + t * direction} for {@code 0 <= t < maxT}, or -1.
     * The hit parameter is then available from {@link #lastHitT()}. Walks the grid cell by cell
     * (Amanatides and Woo), stopping as soon as the nearest hit cannot be beaten by a later cell.
     */
    public int raycast(double ox, double oy, double dx, double dy, double maxT) {
        int cx = clampCol((int) Math.floor(ox / CELL_SIZE));
        int cy = clampRow((int) Math.floor(oy / CELL_SIZE));
        int stepX = dx > 0 ? 1 : (dx < 0 ? -1 : 0);
        int stepY = dy > 0 ? 1 : (dy < 0 ? -1 : 0);
        double tMaxX = dx > 0
                ? ((cx + 1) * (double) CELL_SIZE - ox) / dx
                : dx < 0 ? (cx * (double) CELL_SIZE - ox) / dx : Double.POSITIVE_INFINITY;
        double tMaxY = dy > 0
                ? ((cy + 1) * (double) CELL_SIZE - oy) / dy
                : dy < 0 ? (cy * (double) CELL_SIZE - oy) / dy : Double.POSITIVE_INFINITY;
        double tDeltaX = dx != 0 ? CELL_SIZE / Math.abs(dx) : Double.POSITIVE_INFINITY;
        double tDeltaY = dy != 0 ? CELL_SIZE / Math.abs(dy) : Double.POSITIVE_INFINITY;
        int best = -1;
        double bestT = maxT;
        while (true) {
            int cell = cy * cols + cx;
            for (int k = cellStart[cell], end = cellStart[cell + 1]; k < end; k++) {
                int s = cellItems[k];
                if (hp[s] <= 0) {
                    continue;
                }
                double t = entry(s, ox, oy, dx, dy);
                if (t < bestT) {
                    bestT = t;
                    best = s;
                }
            }
            double cellExit = Math.min(tMaxX, tMaxY);
            if (best >= 0 && bestT <= cellExit) {
                break;
            }
            if (cellExit >= maxT) {
                break;
            }
            if (tMaxX < tMaxY) {
                cx += stepX;
                tMaxX += tDeltaX;
                if (cx < 0 || cx >= cols) {
                    break;
                }
            } else {
                cy += stepY;
                tMaxY += tDeltaY;
                if (cy < 0 || cy >= rows) {
                    break;
                }
            }
        }
        lastHitT = best >= 0 ? bestT : maxT;
        return best;
    }

    /** Parameter of the last {@link #raycast} hit (or its maxT when nothing was hit). */
    public double lastHitT() {
        return lastHitT;
    }

    /** Where the ray enters the slice's interior (>= 0), or +infinity when it does not. */
    private double entry(int s, double ox, double oy, double dx, double dy) {
        double tEnter = Double.NEGATIVE_INFINITY;
        double tExit = Double.POSITIVE_INFINITY;
        if (dx == 0) {
            if (ox < minX[s] || ox >= maxX[s]) {
                return Double.POSITIVE_INFINITY;
            }
        } else {
            double t1 = (minX[s] - ox) / dx;
            double t2 = (maxX[s] - ox) / dx;
            tEnter = Math.min(t1, t2);
            tExit = Math.max(t1, t2);
        }
        if (dy == 0) {
            if (oy < minY[s] || oy >= maxY[s]) {
                return Double.POSITIVE_INFINITY;
            }
        } else {
            double t1 = (minY[s] - oy) / dy;
            double t2 = (maxY[s] - oy) / dy;
            tEnter = Math.max(tEnter, Math.min(t1, t2));
            tExit = Math.min(tExit, Math.max(t1, t2));
        }
        if (tEnter >= tExit || tExit <= 0) {
            return Double.POSITIVE_INFINITY;
        }
        return Math.max(tEnter, 0);
    }

    // ---- circles ----------------------------------------------------------------------------

    /** True when a circle at (x, y) overlaps an intact slice or leaves the bounds. */
    public boolean blocksCircle(double x, double y, double radius) {
        if (x < radius || y < radius || x > width - radius || y > height - radius) {
            return true;
        }
        int x0 = cellX(x - radius);
        int x1 = cellX(x + radius);
        int y0 = cellY(y - radius);
        int y1 = cellY(y + radius);
        double limit = (radius - CONTACT_SLACK) * (radius - CONTACT_SLACK);
        for (int cy = y0; cy <= y1; cy++) {
            for (int cx = x0; cx <= x1; cx++) {
                int cell = cy * cols + cx;
                for (int k = cellStart[cell], end = cellStart[cell + 1]; k < end; k++) {
                    int s = cellItems[k];
                    if (hp[s] > 0 && distanceSquared(s, x, y) < limit) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /**
     * Moves a circle by (dx, dy), sliding along slices and clamped to the bounds, and writes the
     * end position to {@code out[0], out[1]}. The move is cut into sub-steps of at most half the
     * radius: a slice is at least 2 units thick, so a circle cannot cross one between two
     * overlap tests, whatever the speed or tick rate. A sub-step the slices cannot resolve (a gap
     * narrower than the circle pinching it from both sides) is undone and ends the move.
     */
    public void moveCircle(double x, double y, double dx, double dy, double radius, double[] out) {
        double length = Math.sqrt(dx * dx + dy * dy);
        int steps = Math.max(1, (int) Math.ceil(length / (radius * 0.5)));
        double sx = dx / steps;
        double sy = dy / steps;
        for (int i = 0; i < steps; i++) {
            double nx = clamp(x + sx, radius, width - radius);
            double ny = clamp(y + sy, radius, height - radius);
            out[0] = nx;
            out[1] = ny;
            if (!pushOut(out, radius)) {
                break;
            }
            x = clamp(out[0], radius, width - radius);
            y = clamp(out[1], radius, height - radius);
            if (x != out[0] || y != out[1]) {
                // The bounds pushed back into a slice: only accept if that spot is free.
                if (blocksCircle(x, y, radius)) {
                    break;
                }
            }
        }
        out[0] = x;
        out[1] = y;
    }

    /**
     * Pushes {@code p} out of overlapping slices, deepest overlap first: a flat wall is a row of
     * slices, and resolving a neighbour's corner before the slice straight ahead would shove the
     * circle sideways along the face. False when it could not be freed.
     */
    private boolean pushOut(double[] p, double radius) {
        double limit = (radius - CONTACT_SLACK) * (radius - CONTACT_SLACK);
        for (int iteration = 0; iteration < PUSH_ITERATIONS; iteration++) {
            int deepest = -1;
            double nearest = limit;
            int x0 = cellX(p[0] - radius);
            int x1 = cellX(p[0] + radius);
            int y0 = cellY(p[1] - radius);
            int y1 = cellY(p[1] + radius);
            for (int cy = y0; cy <= y1; cy++) {
                for (int cx = x0; cx <= x1; cx++) {
                    int cell = cy * cols + cx;
                    for (int k = cellStart[cell], end = cellStart[cell + 1]; k < end; k++) {
                        int s = cellItems[k];
                        if (hp[s] <= 0) {
                            continue;
                        }
                        double d2 = distanceSquared(s, p[0], p[1]);
                        if (d2 < nearest) {
                            nearest = d2;
                            deepest = s;
                        }
                    }
                }
            }
            if (deepest < 0) {
                return true;
            }
            separate(deepest, p, radius);
        }
        return !blocksCircle(p[0], p[1], radius);
    }

    /** Moves the circle centre to exactly one radius from the slice, along the shortest way out. */
    private void separate(int s, double[] p, double radius) {
        double qx = clamp(p[0], minX[s], maxX[s]);
        double qy = clamp(p[1], minY[s], maxY[s]);
        double ex = p[0] - qx;
        double ey = p[1] - qy;
        double d = Math.sqrt(ex * ex + ey * ey);
        if (d > 1e-9) {
            p[0] = qx + ex / d * radius;
            p[1] = qy + ey / d * radius;
            return;
        }
        // Centre inside the slice: leave through the nearest face.
        double left = p[0] - minX[s];
        double right = maxX[s] - p[0];
        double up = p[1] - minY[s];
        double down = maxY[s] - p[1];
        double min = Math.min(Math.min(left, right), Math.min(up, down));
        if (min == left) {
            p[0] = minX[s] - radius;
        } else if (min == right) {
            p[0] = maxX[s] + radius;
        } else if (min == up) {
            p[1] = minY[s] - radius;
        } else {
            p[1] = maxY[s] + radius;
        }
    }

    private double distanceSquared(int s, double x, double y) {
        double ex = x - clamp(x, minX[s], maxX[s]);
        double ey = y - clamp(y, minY[s], maxY[s]);
        return ex * ex + ey * ey;
    }

    // ---- areas ------------------------------------------------------------------------------

    /**
     * Destroys every intact slice whose centre lies within {@code radius} of (x, y); returns how
     * many were destroyed. Their indices are appended to the changed list.
     */
    public int destroyWithin(double x, double y, double radius) {
        int destroyed = 0;
        double r2 = radius * radius;
        for (int cy = cellY(y - radius); cy <= cellY(y + radius); cy++) {
            for (int cx = cellX(x - radius); cx <= cellX(x + radius); cx++) {
                int cell = cy * cols + cx;
                for (int k = cellStart[cell], end = cellStart[cell + 1]; k < end; k++) {
                    int s = cellItems[k];
                    if (hp[s] <= 0) {
                        continue;
                    }
                    double ex = centreX(s) - x;
                    double ey = centreY(s) - y;
                    if (ex * ex + ey * ey <= r2) {
                        damage(s, hp[s]);
                        destroyed++;
                    }
                }
            }
        }
        return destroyed;
    }

    private int cellX(double x) {
        return clampCol((int) Math.floor(x / CELL_SIZE));
    }

    private int cellY(double y) {
        return clampRow((int) Math.floor(y / CELL_SIZE));
    }

    private int clampCol(int c) {
        return c < 0 ? 0 : (c >= cols ? cols - 1 : c);
    }

    private int clampRow(int r) {
        return r < 0 ? 0 : (r >= rows ? rows - 1 : r);
    }

    private static double clamp(double v, double lo, double hi) {
        return v < lo ? lo : (v > hi ? hi : v);
    }
}
