package dev.trespasser.director;

import com.google.protobuf.Any;
import com.google.protobuf.StringValue;
import com.google.protobuf.util.Timestamps;
import dev.trespasser.proto.GameMode;
import dev.trespasser.proto.TicketAttributes;
import dev.trespasser.proto.openmatch2.Match;
import dev.trespasser.proto.openmatch2.Roster;
import dev.trespasser.proto.openmatch2.Ticket;
import java.util.ArrayList;
import java.util.List;

/** Matches as the MMF returns them, built from ticket ids; ticket {@code t} holds player {@code p-t}. */
final class Matches {

    private Matches() {}

    static Ticket ticket(String id, String region) {
        return TicketAttributes.newTicket(GameMode.FOUR_V_FOUR, region, 1500, List.of("p-" + id)).toBuilder()
                .setId(id)
                .build();
    }

    /** A ticket as the frontend makes it: {@code player}'s, waiting since {@code queuedSinceMillis}. */
    static Ticket waitingTicket(String id, String region, String player, long queuedSinceMillis) {
        return TicketAttributes.newTicket(GameMode.FOUR_V_FOUR, region, 1500, List.of(player)).toBuilder()
                .setId(id)
                .putExtensions(TicketAttributes.QUEUED_SINCE, Any.pack(Timestamps.fromMillis(queuedSinceMillis)))
                .build();
    }

    /** A 4v4 match: the first four ids play red, the last four blue. */
    static Match fourVFour(String matchId, String region, List<String> ticketIds) {
        return fourVFourOf(
                matchId,
                region,
                ticketIds.stream().map(id -> ticket(id, region)).toList());
    }

    /** A 4v4 match of these tickets: the first four play red, the last four blue. */
    static Match fourVFourOf(String matchId, String region, List<Ticket> tickets) {
        if (tickets.size() != 8) {
            throw new IllegalArgumentException("a 4v4 needs 8 single-player tickets");
        }
        Roster.Builder red = Roster.newBuilder().setName(TicketAttributes.RED_ROSTER);
        Roster.Builder blue = Roster.newBuilder().setName(TicketAttributes.BLUE_ROSTER);
        for (int i = 0; i < 8; i++) {
            (i < 4 ? red : blue).addTickets(tickets.get(i));
        }
        return Match.newBuilder()
                .setId(matchId)
                .putRosters(TicketAttributes.RED_ROSTER, red.build())
                .putRosters(TicketAttributes.BLUE_ROSTER, blue.build())
                .putExtensions(TicketAttributes.MATCH_MODE, Any.pack(StringValue.of("4v4")))
                .putExtensions(TicketAttributes.MATCH_REGION, Any.pack(StringValue.of(region)))
                .build();
    }

    /** Ticket ids {@code prefix0 .. prefix(count-1)}. */
    static List<String> ids(String prefix, int count) {
        List<String> ids = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            ids.add(prefix + i);
        }
        return ids;
    }
}
