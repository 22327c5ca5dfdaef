package dev.trespasser.mmf;

import com.google.protobuf.Any;
import com.google.protobuf.DoubleValue;
import com.google.protobuf.StringValue;
import dev.trespasser.mmf.matching.FormedMatch;
import dev.trespasser.mmf.matching.QueuedTicket;
import dev.trespasser.mmf.matching.Team;
import dev.trespasser.proto.TicketAttributes;
import dev.trespasser.proto.openmatch2.Match;
import dev.trespasser.proto.openmatch2.Roster;
import dev.trespasser.proto.openmatch2.Ticket;
import java.util.Map;

/** Writes a formed match as the Open Match 2 Match the director receives. */
final class MatchEncoder {

    private MatchEncoder() {}

    /**
     * @param originals the tickets as om-core sent them, by id: rosters carry them unchanged so
     *     om-core deactivates exactly those tickets and the director sees every attribute
     */
    static Match encode(FormedMatch match, String profileName, Map<String, Ticket> originals) {
        // om-core v2.0.2 crashes on a match with an empty roster: refuse to build one.
        if (match.red().tickets().isEmpty() || match.blue().tickets().isEmpty()) {
            throw new IllegalStateException("match " + match.matchId() + " has an empty team");
        }
        return Match.newBuilder()
                .setId(match.matchId())
                .putRosters(TicketAttributes.RED_ROSTER, roster(TicketAttributes.RED_ROSTER, match.red(), originals))
                .putRosters(TicketAttributes.BLUE_ROSTER, roster(TicketAttributes.BLUE_ROSTER, match.blue(), originals))
                .putExtensions(
                        TicketAttributes.MATCH_MODE,
                        Any.pack(StringValue.of(match.mode().label())))
                .putExtensions(TicketAttributes.MATCH_REGION, Any.pack(StringValue.of(match.region())))
                .putExtensions(TicketAttributes.MATCH_PROFILE, Any.pack(StringValue.of(profileName)))
                .putExtensions(
                        TicketAttributes.MATCH_RED_RATING,
                        Any.pack(DoubleValue.of(match.red().rating())))
                .putExtensions(
                        TicketAttributes.MATCH_BLUE_RATING,
                        Any.pack(DoubleValue.of(match.blue().rating())))
                .build();
    }

    private static Roster roster(String name, Team team, Map<String, Ticket> originals) {
        Roster.Builder roster = Roster.newBuilder().setName(name);
        for (QueuedTicket ticket : team.tickets()) {
            Ticket original = originals.get(ticket.ticketId());
            if (original == null) {
                throw new IllegalStateException("no original for ticket " + ticket.ticketId());
            }
            roster.addTickets(original);
        }
        roster.putExtensions(TicketAttributes.ROSTER_RATING, Any.pack(DoubleValue.of(team.rating())));
        return roster.build();
    }
}
