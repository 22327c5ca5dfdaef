package dev.trespasser.match.sim;

/** Result of the last finished round of a match. */
public enum Winner {
    /** No round has ended yet. */
    NONE,
    RED,
    BLUE,
    DRAW
}
