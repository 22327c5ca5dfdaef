package dev.trespasser.bots.ai;

import dev.trespasser.game.world.GameMap;
import dev.trespasser.game.world.Orientation;
import dev.trespasser.game.world.Wall;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a client knows about the map from its Welcome ({@code Welcome.map}, decoded by
 * {@code MapGeometryCodec}): bounds and the centre of every wall slice, indexed like the slice
 * table on the wire.
 */
public final class MapKnowledge {

    private final double width;
    private final double height;
    private final double[] sliceX;
    private final double[] sliceY;

    public MapKnowledge(double width, double height, List<Point> sliceCentres) {
        if (!(width > 0 && height > 0)) {
            throw new IllegalArgumentException("map bounds must be positive");
        }
        this.width = width;
        this.height = height;
        this.sliceX = new double[sliceCentres.size()];
        this.sliceY = new double[sliceCentres.size()];
        for (int i = 0; i < sliceCentres.size(); i++) {
            sliceX[i] = sliceCentres.get(i).x();
            sliceY[i] = sliceCentres.get(i).y();
        }
    }

    /** The slice table order of match-server's map format: wall by wall, each in its running direction. */
    public static MapKnowledge of(GameMap map) {
        List<Point> centres = new ArrayList<>(map.sliceCount());
        for (Wall wall : map.walls()) {
            for (int i = 0; i < wall.slices(); i++) {
                double along = i * Wall.SLICE_LENGTH + Wall.SLICE_LENGTH / 2.0;
                double across = wall.thickness() / 2.0;
                centres.add(
                        wall.orientation() == Orientation.HORIZONTAL
                                ? new Point(wall.x() + along, wall.y() + across)
                                : new Point(wall.x() + across, wall.y() + along));
            }
        }
        return new MapKnowledge(map.width(), map.height(), centres);
    }

    /** A map the Welcome did not describe usably: the default bounds and no walls (it will bump into them). */
    public static MapKnowledge unknown() {
        return new MapKnowledge(960, 540, List.of());
    }

    public double width() {
        return width;
    }

    public double height() {
        return height;
    }

    public int sliceCount() {
        return sliceX.length;
    }

    /**
     * The centre of the nearest intact slice between {@code minDistance} and {@code maxDistance}
     * from {@code from}, or null. {@code damaged} maps slice index to HP for damaged slices.
     */
    public Point nearestIntactSlice(Point from, double minDistance, double maxDistance, Map<Integer, Integer> damaged) {
        int best = -1;
        double bestDistance = Double.MAX_VALUE;
        for (int i = 0; i < sliceX.length; i++) {
            double d = from.distanceTo(sliceX[i], sliceY[i]);
            if (d >= minDistance && d <= maxDistance && d < bestDistance) {
                Integer hp = damaged.get(i);
                if (hp == null || hp > 0) {
                    best = i;
                    bestDistance = d;
                }
            }
        }
        return best < 0 ? null : new Point(sliceX[best], sliceY[best]);
    }
}
