package dev.trespasser.director;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.ListValue;
import com.google.protobuf.StringValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Timestamp;
import com.google.protobuf.Value;
import com.google.protobuf.util.Timestamps;
import dev.trespasser.director.profiles.MatchProfile;
import dev.trespasser.proto.DisplayNames;
import dev.trespasser.proto.GameMode;
import dev.trespasser.proto.TicketAttributes;
import dev.trespasser.proto.allocation.v1.RosterTeam;
import dev.trespasser.proto.openmatch2.Match;
import dev.trespasser.proto.openmatch2.Roster;
import dev.trespasser.proto.openmatch2.Ticket;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A match from om-core that keeps the MMF contract (matchmaker-function TicketAttributes): rosters
 * "red" and "blue" only, each a full team of the profile's mode, every ticket with an id and
 * players, no ticket or player twice.
 */
record ValidatedMatch(String id, GameMode mode, String region, List<MatchTicket> tickets) {

    private static final Logger log = LoggerFactory.getLogger(ValidatedMatch.class);

    /**
     * One ticket of the match and the team it plays for.
     *
     * @param queuedSinceMillis when the ticket's wait began (the frontend's QUEUED_SINCE extension,
     *     kept when it re-creates a ticket near om-core's TTL); 0 when the ticket does not say
     * @param displayNames the valid names of the ticket's players (PLAYER_NAMES), by player id; a
     *     player missing here is shown by a short form of the id
     */
    record MatchTicket(
            String ticketId,
            RosterTeam team,
            List<String> playerIds,
            long queuedSinceMillis,
            Map<String, String> displayNames) {

        MatchTicket {
            playerIds = List.copyOf(playerIds);
            displayNames = Map.copyOf(displayNames);
        }

        Optional<String> displayName(String playerId) {
            return Optional.ofNullable(displayNames.get(playerId));
        }

        /**
         * One id per player for the wait this ticket stands for: two tickets of one wait (the old
         * and the re-created one) share them, a new FindMatch does not. Empty when unknown.
         */
        List<String> waits() {
            return queuedSinceMillis <= 0
                    ? List.of()
                    : playerIds.stream()
                            .map(player -> player + "@" + queuedSinceMillis)
                            .toList();
        }
    }

    /** Thrown when a match breaks the contract; carries a reason for the log. */
    static final class InvalidMatchException extends Exception {
        private static final long serialVersionUID = 1L;

        InvalidMatchException(String matchId, String reason) {
            super("match " + matchId + ": " + reason);
        }
    }

    ValidatedMatch {
        tickets = List.copyOf(tickets);
    }

    List<String> ticketIds() {
        return tickets.stream().map(MatchTicket::ticketId).toList();
    }

    /** The player waits of each ticket (see {@link MatchTicket#waits()}). */
    Map<String, List<String>> waitsByTicket() {
        Map<String, List<String>> waits = new LinkedHashMap<>();
        for (MatchTicket ticket : tickets) {
            waits.put(ticket.ticketId(), ticket.waits());
        }
        return waits;
    }

    List<String> waits() {
        return tickets.stream().flatMap(ticket -> ticket.waits().stream()).toList();
    }

    List<String> playerIds() {
        return tickets.stream().flatMap(ticket -> ticket.playerIds().stream()).toList();
    }

    static ValidatedMatch validate(Match match, MatchProfile profile) throws InvalidMatchException {
        String id = match.getId();
        if (id.isEmpty()) {
            throw new InvalidMatchException("(no id)", "no match id");
        }
        GameMode mode = profile.mode();
        String modeLabel = stringExtension(match, TicketAttributes.MATCH_MODE, mode.label());
        if (!modeLabel.equals(mode.label())) {
            throw new InvalidMatchException(id, "mode " + modeLabel + " from profile " + profile.name());
        }
        String region = stringExtension(match, TicketAttributes.MATCH_REGION, profile.region());
        if (!region.equals(profile.region())) {
            throw new InvalidMatchException(id, "region " + region + " from profile " + profile.name());
        }
        Set<String> rosterNames = match.getRostersMap().keySet();
        if (!rosterNames.equals(Set.of(TicketAttributes.RED_ROSTER, TicketAttributes.BLUE_ROSTER))) {
            throw new InvalidMatchException(id, "rosters " + rosterNames + ", expected red and blue");
        }
        List<MatchTicket> tickets = new ArrayList<>();
        Set<String> ticketIds = new HashSet<>();
        Set<String> players = new HashSet<>();
        for (Map.Entry<String, RosterTeam> team : List.of(
                Map.entry(TicketAttributes.RED_ROSTER, RosterTeam.ROSTER_TEAM_RED),
                Map.entry(TicketAttributes.BLUE_ROSTER, RosterTeam.ROSTER_TEAM_BLUE))) {
            Roster roster = match.getRostersOrThrow(team.getKey());
            int teamPlayers = 0;
            for (Ticket ticket : roster.getTicketsList()) {
                if (ticket.getId().isEmpty() || !ticketIds.add(ticket.getId())) {
                    throw new InvalidMatchException(
                            id, "a ticket without id, or listed twice: '" + ticket.getId() + "'");
                }
                List<String> ticketPlayers = players(id, ticket);
                for (String player : ticketPlayers) {
                    if (!players.add(player)) {
                        throw new InvalidMatchException(id, "player " + player + " appears twice");
                    }
                }
                teamPlayers += ticketPlayers.size();
                tickets.add(new MatchTicket(
                        ticket.getId(),
                        team.getValue(),
                        ticketPlayers,
                        queuedSinceMillis(ticket),
                        displayNames(id, ticket, ticketPlayers)));
            }
            if (teamPlayers != mode.teamSize()) {
                throw new InvalidMatchException(
                        id,
                        "team " + team.getKey() + " has " + teamPlayers + " players, " + mode.label() + " needs "
                                + mode.teamSize());
            }
        }
        return new ValidatedMatch(id, mode, region, tickets);
    }

    /** Every distinct ticket id in the match's rosters, valid match or not. */
    static List<String> rosterTicketIds(Match match) {
        Set<String> ids = new LinkedHashSet<>();
        for (Roster roster : match.getRostersMap().values()) {
            for (Ticket ticket : roster.getTicketsList()) {
                if (!ticket.getId().isEmpty()) {
                    ids.add(ticket.getId());
                }
            }
        }
        return List.copyOf(ids);
    }

    private static List<String> players(String matchId, Ticket ticket) throws InvalidMatchException {
        Any packed = ticket.getExtensionsMap().get(TicketAttributes.PLAYERS);
        if (packed == null || !packed.is(ListValue.class)) {
            throw new InvalidMatchException(matchId, "ticket " + ticket.getId() + " has no player list");
        }
        ListValue list;
        try {
            list = packed.unpack(ListValue.class);
        } catch (InvalidProtocolBufferException e) {
            throw new InvalidMatchException(matchId, "ticket " + ticket.getId() + ": player list does not parse");
        }
        List<String> players = new ArrayList<>(list.getValuesCount());
        for (Value value : list.getValuesList()) {
            if (value.getKindCase() != Value.KindCase.STRING_VALUE
                    || value.getStringValue().isEmpty()) {
                throw new InvalidMatchException(matchId, "ticket " + ticket.getId() + ": a player id is not a string");
            }
            players.add(value.getStringValue());
        }
        if (players.isEmpty()) {
            throw new InvalidMatchException(matchId, "ticket " + ticket.getId() + " has no players");
        }
        return players;
    }

    /**
     * The ticket's valid names of its own players. A missing, malformed or refused name only loses
     * that name (the match is still good; the player is shown by a short form of the id), and is
     * logged without echoing it.
     */
    private static Map<String, String> displayNames(String matchId, Ticket ticket, List<String> players) {
        Any packed = ticket.getExtensionsMap().get(TicketAttributes.PLAYER_NAMES);
        if (packed == null) {
            return Map.of();
        }
        Struct names;
        try {
            names = packed.is(Struct.class) ? packed.unpack(Struct.class) : null;
        } catch (InvalidProtocolBufferException e) {
            names = null;
        }
        if (names == null) {
            log.warn(
                    "match {}: ticket {}: extension '{}' is not a readable google.protobuf.Struct; its players get no names",
                    matchId,
                    ticket.getId(),
                    TicketAttributes.PLAYER_NAMES);
            return Map.of();
        }
        Map<String, String> valid = new LinkedHashMap<>();
        for (String player : players) {
            Value name = names.getFieldsMap().get(player);
            if (name == null) {
                continue;
            }
            Optional<String> problem = name.getKindCase() == Value.KindCase.STRING_VALUE
                    ? DisplayNames.problem(name.getStringValue())
                    : Optional.of("is not a string");
            if (problem.isPresent()) {
                log.warn(
                        "match {}: ticket {}: the name of {} {}; left out",
                        matchId,
                        ticket.getId(),
                        player,
                        problem.get());
            } else {
                valid.put(player, name.getStringValue());
            }
        }
        return valid;
    }

    /** A missing or unreadable QUEUED_SINCE only loses the wait claim: the ticket claim still holds. */
    private static long queuedSinceMillis(Ticket ticket) {
        Any packed = ticket.getExtensionsMap().get(TicketAttributes.QUEUED_SINCE);
        if (packed == null || !packed.is(Timestamp.class)) {
            return 0;
        }
        try {
            return Timestamps.toMillis(packed.unpack(Timestamp.class));
        } catch (InvalidProtocolBufferException | IllegalArgumentException e) {
            return 0;
        }
    }

    private static String stringExtension(Match match, String key, String fallback) throws InvalidMatchException {
        Any packed = match.getExtensionsMap().get(key);
        if (packed == null) {
            return fallback;
        }
        try {
            return packed.unpack(StringValue.class).getValue();
        } catch (InvalidProtocolBufferException e) {
            throw new InvalidMatchException(match.getId(), "extension '" + key + "' is not a StringValue");
        }
    }
}
