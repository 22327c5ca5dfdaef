package dev.trespasser.match.room;

import dev.trespasser.proto.game.v1.ErrorReason;

/**
 * A joined player's connection as the room sees it: the seam between the room and the WebSocket
 * edge. Implementations must be safe to call from the room's tick thread while the edge's
 * threads use them.
 */
public interface ClientLink {

    /**
     * Queues one binary frame. A droppable frame (a snapshot) is not queued while the connection
     * is backed up; then this returns false and the frame is forgotten.
     */
    boolean send(byte[] frame, boolean droppable);

    /**
     * Sends what {@link #send} queued. The room calls it once per tick after all its sends, so the
     * network layer can write a tick's frames in one go; frames may also go out before it.
     */
    default void flush() {}

    /** Sends an ErrorNotice where possible, then closes with close code 4000 + reason. */
    void close(ErrorReason reason, String message);
}
