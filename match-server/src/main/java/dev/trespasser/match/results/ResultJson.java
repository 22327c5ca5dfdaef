package dev.trespasser.match.results;

import dev.trespasser.proto.results.v1.MatchResult;
import dev.trespasser.proto.results.v1.PlayerResult;

/**
 * Prints a {@link MatchResult} as proto3 JSON, as protobuf-java-util's printer with
 * {@code omittingInsignificantWhitespace()} does (lowerCamelCase names, default values omitted,
 * enums by name, uint32 unsigned, int64 as a string), without loading protobuf-java-util, Gson and
 * Guava into the match process (docs/benchmarks.md, "Lighter match process"). The frontend reads it
 * with protobuf's own parser; {@code ResultJsonTest} holds the two together.
 */
final class ResultJson {

    private ResultJson() {}

    static String print(MatchResult result) {
        Members out = new Members();
        out.string("matchId", result.getMatchId());
        out.string("mode", result.getMode());
        out.string("mapName", result.getMapName());
        if (result.getOutcomeValue() != 0) {
            out.enumValue("outcome", result.getOutcome().name(), result.getOutcomeValue());
        }
        out.uint32("redKills", result.getRedKills());
        out.uint32("blueKills", result.getBlueKills());
        if (result.getPlayersCount() > 0) {
            out.name("players").append('[');
            for (int i = 0; i < result.getPlayersCount(); i++) {
                if (i > 0) {
                    out.json.append(',');
                }
                out.json.append(player(result.getPlayers(i)));
            }
            out.json.append(']');
        }
        out.uint32("durationSeconds", result.getDurationSeconds());
        if (result.getEndedAtEpochSeconds() != 0) {
            out.name("endedAtEpochSeconds")
                    .append('"')
                    .append(result.getEndedAtEpochSeconds())
                    .append('"');
        }
        out.string("replayRef", result.getReplayRef());
        out.uint32("round", result.getRound());
        out.string("gameServer", result.getGameServer());
        return out.close();
    }

    private static String player(PlayerResult player) {
        Members out = new Members();
        out.string("playerId", player.getPlayerId());
        if (player.getTeamValue() != 0) {
            out.enumValue("team", player.getTeam().name(), player.getTeamValue());
        }
        out.uint32("kills", player.getKills());
        out.uint32("deaths", player.getDeaths());
        if (player.getPresentAtEnd()) {
            out.name("presentAtEnd").append("true");
        }
        return out.close();
    }

    /** One JSON object's members, written in field-number order as protobuf's printer does. */
    private static final class Members {
        final StringBuilder json = new StringBuilder(256).append('{');
        private boolean first = true;

        StringBuilder name(String name) {
            if (!first) {
                json.append(',');
            }
            first = false;
            return json.append('"').append(name).append("\":");
        }

        void string(String name, String value) {
            if (!value.isEmpty()) {
                quote(name(name), value);
            }
        }

        void uint32(String name, int value) {
            if (value != 0) {
                name(name).append(Integer.toUnsignedString(value));
            }
        }

        /** A value this build does not know (a newer producer's) prints as its number, as protobuf's printer does. */
        void enumValue(String name, String constant, int number) {
            if (constant.equals("UNRECOGNIZED")) {
                name(name).append(number);
            } else {
                quote(name(name), constant);
            }
        }

        String close() {
            return json.append('}').toString();
        }
    }

    /** RFC 8259 string escaping; surrogates are escaped one unit at a time, so a lone one stays representable. */
    private static void quote(StringBuilder out, String value) {
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f || c == '\u2028' || c == '\u2029' || Character.isSurrogate(c)) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
