package dev.trespasser.frontend.queue;

import dev.trespasser.proto.GameMode;
import java.util.ArrayList;
import java.util.List;

/**
 * A queued player as the frontend records it in Redis. {@code previousTicketId} is the ticket
 * replaced by the last requeue: it may have been matched just before it was deactivated, so its
 * assignment is still honoured. {@code assignedTicketId} is set once an assignment is known.
 * {@code displayName} is the name the player queued under (their access token's), which every
 * ticket of the wait carries; empty for entries written before names.
 */
public record QueueEntry(
        String playerId,
        String ticketId,
        String previousTicketId,
        GameMode mode,
        String region,
        double rating,
        long enqueuedAtMillis,
        long ticketCreatedAtMillis,
        int requeueCount,
        String assignedTicketId,
        String displayName) {

    public boolean references(String ticket) {
        return !ticket.isEmpty() && (ticket.equals(ticketId) || ticket.equals(previousTicketId));
    }

    /** Current first: the order in which assignments are looked up. */
    public List<String> ticketIds() {
        List<String> ids = new ArrayList<>(2);
        ids.add(ticketId);
        if (!previousTicketId.isEmpty()) {
            ids.add(previousTicketId);
        }
        return ids;
    }

    public QueueEntry requeuedAs(String newTicketId, long nowMillis) {
        return new QueueEntry(
                playerId,
                newTicketId,
                ticketId,
                mode,
                region,
                rating,
                enqueuedAtMillis,
                nowMillis,
                requeueCount + 1,
                assignedTicketId,
                displayName);
    }
}
