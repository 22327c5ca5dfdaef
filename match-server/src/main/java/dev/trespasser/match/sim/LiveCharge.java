package dev.trespasser.match.sim;

/** A thrown breach charge waiting to explode. */
public final class LiveCharge {

    final int id;
    final int owner;
    final double x;
    final double y;
    int fuseTicks;

    LiveCharge(int id, int owner, double x, double y, int fuseTicks) {
        this.id = id;
        this.owner = owner;
        this.x = x;
        this.y = y;
        this.fuseTicks = fuseTicks;
    }

    public int id() {
        return id;
    }

    public int owner() {
        return owner;
    }

    public double x() {
        return x;
    }

    public double y() {
        return y;
    }

    public int fuseTicksLeft() {
        return fuseTicks;
    }
}
