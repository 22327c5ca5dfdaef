package dev.trespasser.game.world;

/**
 * Read-only view of the slice table for code outside the simulation (snapshots, replays of
 * state): the match alone changes slices.
 */
public interface SliceTable {

    int count();

    int intactCount();

    int hp(int slice);

    boolean intact(int slice);

    int minX(int slice);

    int minY(int slice);

    int maxX(int slice);

    int maxY(int slice);

    double centreX(int slice);

    double centreY(int slice);

    /** True when no intact slice lies on the segment between the two points. */
    boolean clearLine(double ax, double ay, double bx, double by);
}
