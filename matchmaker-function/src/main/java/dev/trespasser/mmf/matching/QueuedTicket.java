package dev.trespasser.mmf.matching;

import dev.trespasser.proto.GameMode;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/**
 * One queued matchmaking unit: a solo player or a party that must play on the same team.
 *
 * @param rating the party's rating; every player of the ticket counts with it in team ratings
 * @param enqueuedAt when the ticket entered the queue; wait time is measured from it
 */
public record QueuedTicket(
        String ticketId, List<String> playerIds, double rating, GameMode mode, String region, Instant enqueuedAt) {

    public QueuedTicket {
        Objects.requireNonNull(ticketId, "ticketId");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(enqueuedAt, "enqueuedAt");
        playerIds = List.copyOf(playerIds);
        if (ticketId.isEmpty()) {
            throw new IllegalArgumentException("ticket id is empty");
        }
        if (playerIds.isEmpty()) {
            throw new IllegalArgumentException("ticket " + ticketId + " has no players");
        }
        if (new HashSet<>(playerIds).size() != playerIds.size()) {
            throw new IllegalArgumentException("ticket " + ticketId + " lists a player twice");
        }
        if (!Double.isFinite(rating)) {
            throw new IllegalArgumentException("ticket " + ticketId + " has a non-finite rating");
        }
    }

    public int partySize() {
        return playerIds.size();
    }
}
