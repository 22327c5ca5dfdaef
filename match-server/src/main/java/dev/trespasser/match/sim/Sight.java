package dev.trespasser.match.sim;

import dev.trespasser.game.world.SliceField;

/**
 * Who can see whom: the target's centre inside the viewer's cone (within range) or inside the
 * awareness radius, with no intact slice on the line between the two centres.
 */
final class Sight {

    private final SliceField slices;
    private final double rangeSquared;
    private final double awarenessSquared;
    private final double cosHalfCone;
    private final boolean fullCircle;

    Sight(SliceField slices, MatchSettings.Vision vision) {
        this.slices = slices;
        this.rangeSquared = vision.range() * vision.range();
        this.awarenessSquared = vision.awarenessRadius() * vision.awarenessRadius();
        this.cosHalfCone = StrictMath.cos(StrictMath.toRadians(vision.coneDegrees() / 2));
        this.fullCircle = vision.coneDegrees() >= 360;
    }

    boolean canSee(Player viewer, Player target) {
        if (viewer == target || !viewer.alive || !target.alive) {
            return false;
        }
        return inView(viewer, target);
    }

    /**
     * The geometric rule alone, from where the viewer stands: a shooter killed earlier in the same
     * tick still fires what they saw (shots within a tick are simultaneous).
     */
    boolean inView(Player viewer, Player target) {
        double dx = target.x - viewer.x;
        double dy = target.y - viewer.y;
        double d2 = dx * dx + dy * dy;
        if (d2 > awarenessSquared) {
            if (d2 > rangeSquared) {
                return false;
            }
            if (!fullCircle) {
                // cos(angle to target) >= cos(half cone), without a square root when clearly outside.
                double dot = dx * viewer.aimX + dy * viewer.aimY;
                if (dot < 0 && cosHalfCone >= 0) {
                    return false;
                }
                if (dot < cosHalfCone * Math.sqrt(d2)) {
                    return false;
                }
            }
        }
        return slices.clearLine(viewer.x, viewer.y, target.x, target.y);
    }
}
