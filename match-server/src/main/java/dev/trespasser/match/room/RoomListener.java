package dev.trespasser.match.room;

/** What the lifecycle hears from a room; called on the room's tick thread, so return quickly. */
public interface RoomListener {

    /** After each scoreboard (and when the match is abandoned). */
    void onRoundEnded(RoundResult result);

    /** The room is over (no restart, or abandoned): publish, reset, return the server to the fleet. */
    void onRoomFinished();
}
