package dev.trespasser.match.room;

/**
 * The edge's reads of the joined players' sockets, run by the room's tick thread before each tick:
 * what the players sent since the last tick goes into the room ({@link MatchRoom#receive}) and is
 * applied by that tick. An edge that does this needs no thread woken per client frame.
 */
@FunctionalInterface
public interface IncomingFrames {

    IncomingFrames NONE = nanoTime -> {};

    void read(long nanoTime);

    /** The room has stopped ticking and closed its players: nothing will be read any more. */
    default void roomClosed() {}
}
