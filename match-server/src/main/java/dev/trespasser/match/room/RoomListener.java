package dev.trespasser.match.room;

/**
 * What the lifecycle hears from a room; called on the room's tick thread (player callbacks also on
 * the thread that closes the room), so return quickly.
 */
public interface RoomListener {

    /** After each scoreboard (and when the match is abandoned). */
    void onRoundEnded(RoundResult result);

    /** A player's seat was taken by a connection (not called when a newer connection replaces theirs). */
    default void onPlayerConnected(String playerId) {}

    /** A player's seat has no connection any more (they left, were closed, or the room closed). */
    default void onPlayerDisconnected(String playerId) {}

    /** The room is over (no restart, or abandoned): publish, reset, return the server to the fleet. */
    void onRoomFinished();
}
