package dev.trespasser.mmf.matching;

import dev.trespasser.proto.GameMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** A small language for building queues: {@code solo("a", 1500).waited(30)}. */
public final class Tickets {

    public static final Instant NOW = Instant.parse("2026-11-21T12:00:00Z");

    private Tickets() {}

    public static QueuedTicket solo(String id, double rating) {
        return ticket(id, GameMode.FOUR_V_FOUR, "eu", 1, rating, 0);
    }

    public static QueuedTicket party(String id, int players, double rating) {
        return ticket(id, GameMode.FOUR_V_FOUR, "eu", players, rating, 0);
    }

    public static QueuedTicket ticket(
            String id, GameMode mode, String region, int players, double rating, double waitedSeconds) {
        List<String> playerIds = new ArrayList<>(players);
        for (int i = 0; i < players; i++) {
            playerIds.add(id + "/p" + i);
        }
        Instant enqueued = NOW.minus(Duration.ofNanos(Math.round(waitedSeconds * 1e9)));
        return new QueuedTicket(id, playerIds, rating, mode, region, enqueued);
    }

    public static QueuedTicket waited(QueuedTicket ticket, double seconds) {
        return new QueuedTicket(
                ticket.ticketId(),
                ticket.playerIds(),
                ticket.rating(),
                ticket.mode(),
                ticket.region(),
                NOW.minus(Duration.ofNanos(Math.round(seconds * 1e9))));
    }

    public static QueuedTicket in(QueuedTicket ticket, GameMode mode, String region) {
        return new QueuedTicket(
                ticket.ticketId(), ticket.playerIds(), ticket.rating(), mode, region, ticket.enqueuedAt());
    }

    public static List<QueuedTicket> solos(String prefix, int count, double rating, double step) {
        List<QueuedTicket> tickets = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            tickets.add(solo(prefix + i, rating + i * step));
        }
        return tickets;
    }
}
