package dev.trespasser.match.agones;

import dev.trespasser.match.json.MalformedJsonException;
import dev.trespasser.match.json.StrictJson;
import dev.trespasser.proto.allocation.v1.MatchAllocation;
import dev.trespasser.proto.allocation.v1.MatchRules;
import dev.trespasser.proto.allocation.v1.RosterPlayer;
import dev.trespasser.proto.allocation.v1.RosterTeam;
import java.util.List;
import java.util.Map;

/**
 * Reads the director's allocation annotation (trespasser/allocation/v1 {@code MatchAllocation},
 * printed by protobuf's JSON printer) on {@link StrictJson}, without protobuf-java-util: its
 * parser alone loaded ~380 classes (Gson, Guava) into the match process at the first allocation.
 *
 * <p>Accepted, as proto3 JSON defines it: lowerCamelCase or proto field names (not both for one
 * field), int64 as a decimal string or an integer, uint32 as an integer or a decimal string,
 * enums by name, {@code null} as the field's default. Unknown fields are ignored (still parsed
 * within the bounds), so a newer director can add fields before every match server knows them.
 * Refused with an {@link InvalidAllocationException} naming the field: malformed JSON, a document
 * over {@link #MAX_CHARS} or deeper than {@link #MAX_DEPTH}, duplicate keys, wrong types, numbers
 * out of the field's range, fractions, unknown enum names, more than {@link #MAX_ROSTER} players.
 */
public final class AllocationAnnotation {
    /** Far above the ~100 bytes a player takes, far below the 256 KiB Kubernetes allows for all annotations. */
    public static final int MAX_CHARS = 16 * 1024;
    /** The allocation object, the roster array and a player object (rules: 2): room for one level of unknown nesting. */
    public static final int MAX_DEPTH = 4;

    public static final int MAX_ROSTER = 64;

    private static final long MAX_UINT32 = 0xFFFF_FFFFL;

    private AllocationAnnotation() {}

    /** An annotation that does not describe an allocation: what and where. */
    public static final class InvalidAllocationException extends Exception {
        private static final long serialVersionUID = 1L;

        InvalidAllocationException(String problem) {
            super(problem);
        }
    }

    public static MatchAllocation parse(String json) throws InvalidAllocationException {
        Map<String, Object> root;
        try {
            root = StrictJson.parseObject(json, MAX_CHARS, MAX_DEPTH);
        } catch (MalformedJsonException e) {
            throw new InvalidAllocationException("malformed JSON: " + e.getMessage());
        }
        Fields fields = new Fields(root, "");
        MatchAllocation.Builder allocation = MatchAllocation.newBuilder()
                .setMatchId(fields.string("matchId", "match_id"))
                .setMode(fields.string("mode", "mode"))
                .setMapName(fields.string("mapName", "map_name"))
                .setAllocatedAtEpochSeconds(fields.int64("allocatedAtEpochSeconds", "allocated_at_epoch_seconds"));
        List<Object> roster = fields.array("roster", "roster");
        if (roster.size() > MAX_ROSTER) {
            throw new InvalidAllocationException("roster: " + roster.size() + " players exceed " + MAX_ROSTER);
        }
        for (int i = 0; i < roster.size(); i++) {
            Fields player = Fields.of(roster.get(i), "roster[" + i + "]");
            allocation.addRoster(RosterPlayer.newBuilder()
                    .setPlayerId(player.string("playerId", "player_id"))
                    .setTeam(player.team("team", "team")));
        }
        Object rulesValue = fields.value("rules", "rules");
        if (rulesValue != null) {
            Fields rules = Fields.of(rulesValue, "rules");
            allocation.setRules(MatchRules.newBuilder()
                    .setKillLimit(rules.uint32("killLimit", "kill_limit"))
                    .setTimeLimitSeconds(rules.uint32("timeLimitSeconds", "time_limit_seconds"))
                    .setFriendlyFire(rules.bool("friendlyFire", "friendly_fire"))
                    .setMaxRounds(rules.uint32("maxRounds", "max_rounds")));
        }
        return allocation.build();
    }

    /** The members of one JSON object, read by field with the path for errors. */
    private record Fields(Map<String, Object> members, String path) {

        @SuppressWarnings("unchecked")
        static Fields of(Object value, String path) throws InvalidAllocationException {
            if (!(value instanceof Map)) {
                throw new InvalidAllocationException(path + ": expected an object, got " + describe(value));
            }
            return new Fields((Map<String, Object>) value, path + ".");
        }

        /** The value under either spelling, or null when absent or JSON null (the default). */
        Object value(String jsonName, String protoName) throws InvalidAllocationException {
            Object camel = members.get(jsonName);
            Object snake = jsonName.equals(protoName) ? null : members.get(protoName);
            if (camel != null && snake != null) {
                throw new InvalidAllocationException(
                        path + jsonName + ": given twice (as " + jsonName + " and " + protoName + ")");
            }
            Object value = camel != null ? camel : snake;
            return value == StrictJson.NULL ? null : value;
        }

        String string(String jsonName, String protoName) throws InvalidAllocationException {
            Object value = value(jsonName, protoName);
            if (value == null) {
                return "";
            }
            if (!(value instanceof String s)) {
                throw wrongType(jsonName, "a string", value);
            }
            return s;
        }

        boolean bool(String jsonName, String protoName) throws InvalidAllocationException {
            Object value = value(jsonName, protoName);
            if (value == null) {
                return false;
            }
            if (!(value instanceof Boolean b)) {
                throw wrongType(jsonName, "true or false", value);
            }
            return b;
        }

        @SuppressWarnings("unchecked")
        List<Object> array(String jsonName, String protoName) throws InvalidAllocationException {
            Object value = value(jsonName, protoName);
            if (value == null) {
                return List.of();
            }
            if (!(value instanceof List)) {
                throw wrongType(jsonName, "an array", value);
            }
            return (List<Object>) value;
        }

        long int64(String jsonName, String protoName) throws InvalidAllocationException {
            return integer(jsonName, protoName, Long.MIN_VALUE, Long.MAX_VALUE);
        }

        int uint32(String jsonName, String protoName) throws InvalidAllocationException {
            // Stored as the same 32 bits, as protobuf-java keeps uint32 in an int.
            return (int) integer(jsonName, protoName, 0, MAX_UINT32);
        }

        RosterTeam team(String jsonName, String protoName) throws InvalidAllocationException {
            Object value = value(jsonName, protoName);
            if (value == null) {
                return RosterTeam.ROSTER_TEAM_UNSPECIFIED;
            }
            if (!(value instanceof String name)) {
                throw wrongType(jsonName, "an enum name", value);
            }
            for (RosterTeam team : RosterTeam.values()) {
                if (team != RosterTeam.UNRECOGNIZED && team.name().equals(name)) {
                    return team;
                }
            }
            throw new InvalidAllocationException(path + jsonName + ": unknown RosterTeam \"" + clip(name) + "\"");
        }

        private long integer(String jsonName, String protoName, long min, long max) throws InvalidAllocationException {
            Object value = value(jsonName, protoName);
            if (value == null) {
                return 0;
            }
            long number;
            if (value instanceof Long l) {
                number = l;
            } else if (value instanceof String s && s.matches("-?(0|[1-9][0-9]{0,18})")) {
                try {
                    number = Long.parseLong(s);
                } catch (NumberFormatException tooLarge) {
                    throw new InvalidAllocationException(path + jsonName + ": \"" + s + "\" is out of range");
                }
            } else {
                throw wrongType(jsonName, "an integer", value);
            }
            if (number < min || number > max) {
                throw new InvalidAllocationException(
                        path + jsonName + ": " + number + " is out of range [" + min + ", " + max + "]");
            }
            return number;
        }

        private InvalidAllocationException wrongType(String jsonName, String expected, Object value) {
            return new InvalidAllocationException(
                    path + jsonName + ": expected " + expected + ", got " + describe(value));
        }
    }

    private static String describe(Object value) {
        if (value instanceof String s) {
            return "the string \"" + clip(s) + "\"";
        }
        if (value instanceof Map) {
            return "an object";
        }
        if (value instanceof List) {
            return "an array";
        }
        return value instanceof Double ? "the fraction " + value : String.valueOf(value);
    }

    /** Hostile input must not flood the log through the error message. */
    private static String clip(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }
}
