package dev.trespasser.frontend.results;

import dev.trespasser.proto.RedisNames;
import dev.trespasser.proto.results.v1.MatchResult;
import dev.trespasser.proto.results.v1.PlayerResult;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import redis.clients.jedis.UnifiedJedis;

/**
 * What the director recorded when it allocated each match ({@link RedisNames#matchRecord}: the
 * GameServer, the roster with teams, the most rounds), which a match server can neither read nor
 * write. A result is applied only if it agrees: a match server that lies (names other players,
 * another server, a match it never hosted) changes no rating.
 */
final class MatchRecords {

    /** Why a result does not match its record; the label of the forged-results metric. */
    enum Mismatch {
        /** No record: the director never allocated this match id (or it expired a day after the match). */
        UNKNOWN_MATCH,
        /** The result comes from another GameServer than the one allocated. */
        WRONG_SERVER,
        /** A player who was not on the roster, on another team, or twice. */
        WRONG_ROSTER,
        /** A round beyond the most the match's rules allow. */
        WRONG_ROUND;

        String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Far above a 4v4 roster; a record beyond it is not one the director wrote. */
    private static final int MAX_ROSTER = ResultsConsumer.MAX_PLAYERS;

    private final UnifiedJedis redis;

    MatchRecords(UnifiedJedis redis) {
        this.redis = redis;
    }

    /** Empty when the result agrees with the director's record. Redis failures propagate. */
    Optional<Mismatch> check(String matchId, MatchResult result) {
        Map<String, String> record = redis.hgetAll(RedisNames.matchRecord(matchId));
        Map<String, Integer> roster = roster(record.get(RedisNames.MATCH_RECORD_ROSTER));
        if (record.isEmpty() || roster == null) {
            return Optional.of(Mismatch.UNKNOWN_MATCH);
        }
        if (!result.getGameServer().equals(record.get(RedisNames.MATCH_RECORD_GAME_SERVER))) {
            return Optional.of(Mismatch.WRONG_SERVER);
        }
        Set<String> seen = new HashSet<>();
        for (PlayerResult player : result.getPlayersList()) {
            Integer team = roster.get(player.getPlayerId());
            if (team == null || team != player.getTeamValue() || !seen.add(player.getPlayerId())) {
                return Optional.of(Mismatch.WRONG_ROSTER);
            }
        }
        int maxRounds = parseOrZero(record.get(RedisNames.MATCH_RECORD_MAX_ROUNDS));
        if (maxRounds <= 0 || result.getRound() > maxRounds) {
            return Optional.of(Mismatch.WRONG_ROUND);
        }
        return Optional.empty();
    }

    /** {@code player=team,...} as the director writes it; null when it is not that. */
    private static Map<String, Integer> roster(String encoded) {
        if (encoded == null || encoded.isEmpty()) {
            return null;
        }
        String[] entries = encoded.split(",", MAX_ROSTER + 1);
        if (entries.length > MAX_ROSTER) {
            return null;
        }
        Map<String, Integer> roster = new HashMap<>();
        for (String entry : entries) {
            int equals = entry.lastIndexOf('=');
            int team = equals > 0 ? parseOrZero(entry.substring(equals + 1)) : 0;
            if (team <= 0) {
                return null;
            }
            roster.put(entry.substring(0, equals), team);
        }
        return roster;
    }

    private static int parseOrZero(String number) {
        try {
            return number == null ? 0 : Integer.parseInt(number);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
