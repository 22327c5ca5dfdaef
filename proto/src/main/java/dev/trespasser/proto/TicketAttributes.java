package dev.trespasser.proto;

import com.google.protobuf.Any;
import com.google.protobuf.ListValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.trespasser.proto.openmatch2.Ticket;
import java.util.List;
import java.util.Map;

/**
 * The one place that names what Trespasser puts in an Open Match 2 ticket and match. The
 * frontend writes tickets with these keys, this function reads them, and the director reads the
 * match extensions. The contract is described in matchmaker-function/README.md.
 */
public final class TicketAttributes {

    /** Ticket tag naming the mode, e.g. {@code mode.4v4}; pools filter on it. No tag means 4v4. */
    public static final String MODE_TAG_PREFIX = "mode.";

    /** {@code attributes.string_args} key: the region the players queue in, e.g. {@code eu}. */
    public static final String REGION = "region";

    /** {@code attributes.double_args} key: the ticket's (the party's) rating. Required. */
    public static final String RATING = "rating";

    /**
     * {@code extensions} key: the ticket's player ids, an Any packing a google.protobuf.ListValue of
     * string values, one per player, in party order. Required, 1..team-size entries.
     */
    public static final String PLAYERS = "players";

    /**
     * Optional {@code extensions} key: an Any packing a google.protobuf.Timestamp of when the
     * player first queued. The frontend replaces a ticket before om-core's TTL expires it; this
     * keeps the replacement's wait (and so its widened tolerance and priority) from starting over.
     * The enqueue time is the earlier of it and {@code attributes.creation_time}.
     */
    public static final String QUEUED_SINCE = "queued_since";

    /**
     * Optional {@code extensions} key: the players' display names, an Any packing a
     * google.protobuf.Struct whose fields map a player id of {@link #PLAYERS} to a string value
     * that keeps {@link DisplayNames}. The frontend writes the name from the player's access token;
     * the MMF passes it on untouched (rosters carry the original tickets); the director signs it
     * into that player's join token. A player without a valid name here gets a token without one,
     * and the match shows a short form of the id.
     */
    public static final String PLAYER_NAMES = "player_names";

    /** Roster names of a match; each holds the original tickets of one team. */
    public static final String RED_ROSTER = "red";

    public static final String BLUE_ROSTER = "blue";

    /** Match extension (StringValue): the mode label, e.g. {@code 4v4}. */
    public static final String MATCH_MODE = "mode";

    /** Match extension (StringValue): the region all tickets of the match share. */
    public static final String MATCH_REGION = "region";

    /** Match extension (StringValue): the name of the profile the match was formed for. */
    public static final String MATCH_PROFILE = "profile";

    /** Match extensions (DoubleValue): mean player rating of each team. */
    public static final String MATCH_RED_RATING = "red_rating";

    public static final String MATCH_BLUE_RATING = "blue_rating";

    /** Roster extension (DoubleValue): mean player rating of that team. */
    public static final String ROSTER_RATING = "rating";

    private TicketAttributes() {}

    public static String modeTag(GameMode mode) {
        return MODE_TAG_PREFIX + mode.label();
    }

    public static Any packPlayers(List<String> playerIds) {
        ListValue.Builder list = ListValue.newBuilder();
        for (String id : playerIds) {
            list.addValues(Value.newBuilder().setStringValue(id));
        }
        return Any.pack(list.build());
    }

    public static Any packPlayerNames(Map<String, String> nameByPlayer) {
        Struct.Builder names = Struct.newBuilder();
        nameByPlayer.forEach((player, name) ->
                names.putFields(player, Value.newBuilder().setStringValue(name).build()));
        return Any.pack(names.build());
    }

    /**
     * A ticket as the frontend creates it: no id and no creation time, both of which om-core
     * assigns.
     */
    public static Ticket newTicket(GameMode mode, String region, double rating, List<String> playerIds) {
        return Ticket.newBuilder()
                .setAttributes(Ticket.FilterableData.newBuilder()
                        .addTags(modeTag(mode))
                        .putStringArgs(REGION, region)
                        .putDoubleArgs(RATING, rating))
                .putExtensions(PLAYERS, packPlayers(playerIds))
                .build();
    }
}
