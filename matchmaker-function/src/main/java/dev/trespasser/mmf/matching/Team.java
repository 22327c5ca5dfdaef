package dev.trespasser.mmf.matching;

import java.util.List;

/**
 * One side of a match.
 *
 * @param rating the mean rating of the team's players (each player counts with their ticket's
 *     rating), so teams of equal size compare directly
 */
public record Team(List<QueuedTicket> tickets, double rating) {

    public Team {
        tickets = List.copyOf(tickets);
    }

    public int players() {
        int players = 0;
        for (QueuedTicket ticket : tickets) {
            players += ticket.partySize();
        }
        return players;
    }

    public List<String> playerIds() {
        return tickets.stream().flatMap(t -> t.playerIds().stream()).toList();
    }
}
