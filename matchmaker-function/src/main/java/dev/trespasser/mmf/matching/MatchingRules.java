package dev.trespasser.mmf.matching;

/**
 * How far apart ratings inside one match may be, as a function of waiting time.
 *
 * <p>tolerance(wait) = min(maxTolerance, baseTolerance + tolerancePerSecond × wait in seconds).
 * A match is allowed when max(rating) − min(rating) over its tickets is at most the tolerance of
 * its longest-waiting ticket: whoever waited longest has accepted the widest match.
 */
public record MatchingRules(double baseTolerance, double tolerancePerSecond, double maxTolerance) {

    public static final MatchingRules DEFAULT = new MatchingRules(100, 20, 600);

    public MatchingRules {
        if (!(baseTolerance >= 0) || !Double.isFinite(baseTolerance)) {
            throw new IllegalArgumentException("baseTolerance must be finite and >= 0: " + baseTolerance);
        }
        if (!(tolerancePerSecond >= 0) || !Double.isFinite(tolerancePerSecond)) {
            throw new IllegalArgumentException("tolerancePerSecond must be finite and >= 0: " + tolerancePerSecond);
        }
        if (!(maxTolerance >= baseTolerance) || !Double.isFinite(maxTolerance)) {
            throw new IllegalArgumentException("maxTolerance must be finite and >= baseTolerance: " + maxTolerance);
        }
    }

    /** The widest rating spread a ticket accepts after waiting {@code waitSeconds}. */
    public double toleranceAfter(double waitSeconds) {
        double wait = Math.max(0, waitSeconds);
        return Math.min(maxTolerance, baseTolerance + tolerancePerSecond * wait);
    }
}
