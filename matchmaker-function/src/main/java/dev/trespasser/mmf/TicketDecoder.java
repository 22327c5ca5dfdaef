package dev.trespasser.mmf;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.ListValue;
import com.google.protobuf.Timestamp;
import com.google.protobuf.Value;
import dev.trespasser.mmf.matching.QueuedTicket;
import dev.trespasser.proto.GameMode;
import dev.trespasser.proto.TicketAttributes;
import dev.trespasser.proto.openmatch2.Ticket;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Reads an Open Match 2 ticket into a {@link QueuedTicket}, enforcing {@link TicketAttributes}. */
final class TicketDecoder {

    /** Longer ids are not ours; refusing them keeps error messages and logs bounded. */
    static final int MAX_ID_LENGTH = 128;

    private static final String LIST_VALUE_TYPE_URL =
            "type.googleapis.com/" + ListValue.getDescriptor().getFullName();

    private TicketDecoder() {}

    /**
     * @param now used as the enqueue time of a ticket without creation time (om-core always sets
     *     one, so only hand-made tickets lack it)
     */
    static QueuedTicket decode(Ticket ticket, Instant now) throws InvalidTicketException {
        String id = ticket.getId();
        if (id.isEmpty()) {
            throw new InvalidTicketException("", "no ticket id");
        }
        if (id.length() > MAX_ID_LENGTH) {
            throw new InvalidTicketException(id.substring(0, 16) + "…", "ticket id longer than " + MAX_ID_LENGTH);
        }
        Ticket.FilterableData attributes = ticket.getAttributes();
        GameMode mode = mode(id, attributes.getTagsList());
        String region = attributes.getStringArgsOrDefault(TicketAttributes.REGION, "");
        if (!attributes.containsDoubleArgs(TicketAttributes.RATING)) {
            throw new InvalidTicketException(id, "no double arg '" + TicketAttributes.RATING + "'");
        }
        double rating = attributes.getDoubleArgsOrThrow(TicketAttributes.RATING);
        if (!Double.isFinite(rating)) {
            throw new InvalidTicketException(id, "rating is not a finite number");
        }
        List<String> players = players(id, ticket, mode);
        Instant enqueuedAt = attributes.hasCreationTime() ? instant(id, attributes.getCreationTime()) : now;
        Optional<Instant> queuedSince = queuedSince(id, ticket);
        if (queuedSince.isPresent() && queuedSince.get().isBefore(enqueuedAt)) {
            enqueuedAt = queuedSince.get();
        }
        return new QueuedTicket(id, players, rating, mode, region, enqueuedAt);
    }

    private static GameMode mode(String id, List<String> tags) throws InvalidTicketException {
        Optional<GameMode> found = Optional.empty();
        for (String tag : tags) {
            if (!tag.startsWith(TicketAttributes.MODE_TAG_PREFIX)) {
                continue;
            }
            String label = tag.substring(TicketAttributes.MODE_TAG_PREFIX.length());
            GameMode mode = GameMode.fromLabel(label)
                    .orElseThrow(() -> new InvalidTicketException(id, "unknown mode tag '" + tag + "'"));
            if (found.isPresent() && found.get() != mode) {
                throw new InvalidTicketException(id, "more than one mode tag");
            }
            found = Optional.of(mode);
        }
        return found.orElse(GameMode.DEFAULT);
    }

    private static List<String> players(String id, Ticket ticket, GameMode mode) throws InvalidTicketException {
        Any packed = ticket.getExtensionsMap().get(TicketAttributes.PLAYERS);
        if (packed == null) {
            throw new InvalidTicketException(id, "no extension '" + TicketAttributes.PLAYERS + "'");
        }
        // Any.is/unpack look the type up reflectively; a string compare is enough per ticket.
        if (!packed.getTypeUrl().equals(LIST_VALUE_TYPE_URL)) {
            throw new InvalidTicketException(
                    id, "extension 'players' is " + packed.getTypeUrl() + ", expected google.protobuf.ListValue");
        }
        ListValue list;
        try {
            list = ListValue.parseFrom(packed.getValue());
        } catch (InvalidProtocolBufferException e) {
            throw new InvalidTicketException(id, "extension 'players' does not parse");
        }
        if (list.getValuesCount() == 0) {
            throw new InvalidTicketException(id, "no players");
        }
        if (list.getValuesCount() > mode.teamSize()) {
            throw new InvalidTicketException(
                    id,
                    "party of "
                            + list.getValuesCount()
                            + " exceeds the "
                            + mode.label()
                            + " team size of "
                            + mode.teamSize());
        }
        List<String> players = new ArrayList<>(list.getValuesCount());
        Set<String> seen = new HashSet<>();
        for (Value value : list.getValuesList()) {
            if (value.getKindCase() != Value.KindCase.STRING_VALUE
                    || value.getStringValue().isEmpty()) {
                throw new InvalidTicketException(id, "a player id is not a non-empty string");
            }
            if (value.getStringValue().length() > MAX_ID_LENGTH) {
                throw new InvalidTicketException(id, "a player id is longer than " + MAX_ID_LENGTH);
            }
            if (!seen.add(value.getStringValue())) {
                throw new InvalidTicketException(id, "player '" + value.getStringValue() + "' listed twice");
            }
            players.add(value.getStringValue());
        }
        return players;
    }

    private static Optional<Instant> queuedSince(String id, Ticket ticket) throws InvalidTicketException {
        Any packed = ticket.getExtensionsMap().get(TicketAttributes.QUEUED_SINCE);
        if (packed == null) {
            return Optional.empty();
        }
        try {
            if (packed.is(Timestamp.class)) {
                return Optional.of(instant(id, packed.unpack(Timestamp.class)));
            }
        } catch (InvalidProtocolBufferException e) {
            // Reported below like any other malformed value.
        }
        throw new InvalidTicketException(
                id, "extension '" + TicketAttributes.QUEUED_SINCE + "' is not a google.protobuf.Timestamp");
    }

    private static Instant instant(String id, Timestamp timestamp) throws InvalidTicketException {
        try {
            return Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos());
        } catch (DateTimeException | ArithmeticException e) {
            throw new InvalidTicketException(id, "creation_time out of range");
        }
    }
}
