package dev.trespasser.game.world;

/** Direction a wall runs in: slices follow each other along it. */
public enum Orientation {
    /** Runs along +x; each slice is 2 wide in x and the wall's thickness tall in y. */
    HORIZONTAL,
    /** Runs along +y; each slice is 2 tall in y and the wall's thickness wide in x. */
    VERTICAL
}
