package dev.trespasser.game.input;

/**
 * Angles as the wire carries them: 16 bits, 0..65535 covering [0, 2*pi). Angle 0 points along
 * +x and angles grow towards +y, which is down on screen (clockwise as the player sees it).
 * The simulation keeps aim quantised so client prediction and server agree bit for bit.
 */
public final class Aim {

    public static final int STEPS = 65_536;
    private static final double TWO_PI = 2 * Math.PI;

    private Aim() {}

    public static double toRadians(int aim) {
        return (aim & 0xFFFF) * (TWO_PI / STEPS);
    }

    /** Nearest quantised angle to {@code radians} (any value, wrapped). */
    public static int fromRadians(double radians) {
        double turns = radians / TWO_PI;
        turns -= StrictMath.floor(turns);
        return (int) StrictMath.round(turns * STEPS) & 0xFFFF;
    }

    /** Direction from (fromX, fromY) towards (toX, toY); 0 when the points coincide. */
    public static int towards(double fromX, double fromY, double toX, double toY) {
        double dx = toX - fromX;
        double dy = toY - fromY;
        if (dx == 0 && dy == 0) {
            return 0;
        }
        return fromRadians(StrictMath.atan2(dy, dx));
    }
}
