package dev.trespasser.bots.ai;

/** A position in world units. */
public record Point(double x, double y) {

    public double distanceTo(Point o) {
        return Math.hypot(o.x - x, o.y - y);
    }

    public double distanceTo(double ox, double oy) {
        return Math.hypot(ox - x, oy - y);
    }
}
