package dev.trespasser.match.results;

import dev.trespasser.proto.RedisNames;
import dev.trespasser.proto.results.v1.MatchResult;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.exceptions.JedisException;

/**
 * One attempt at each of the two writes a finished round needs: its replay into the replay store
 * ({@code trespasser:replay:<match>:<round>}, with the retention TTL) and its result onto the
 * stream the frontend consumes ({@code trespasser:match-results}, fields {@code match_id} and
 * {@code result} = MatchResult as protobuf JSON). Retrying is {@link ResultSpool}'s job; a failure
 * here is a {@link JedisException}.
 *
 * <p>Each is one plain command (SETEX, XADD), because that is all the match server's Redis user may
 * run (open-match/redis/*-users.conf): no script, no read of the stream. A retry after an
 * ambiguous failure (the XADD ran, its reply was lost) may therefore append a round twice; the
 * frontend applies each match id and round once ({@code ResultLedger}). The stream is not trimmed
 * here: the frontend trims it behind its consumer group, so no unread entry is ever dropped.
 */
public final class ResultPublisher implements AutoCloseable {

    private final JedisPooled results;
    private final JedisPooled replays;
    private final Duration replayTtl;

    /** @param replays the replay store; may be the same client as {@code results} */
    public ResultPublisher(JedisPooled results, JedisPooled replays, Duration replayTtl) {
        this.results = results;
        this.replays = replays;
        this.replayTtl = replayTtl;
    }

    public static String replayKey(String matchId, int round) {
        return "trespasser:replay:" + matchId + ":" + round;
    }

    /** Writes the replay (overwriting is harmless: the bytes of a round never change). */
    public void storeReplay(String matchId, int round, byte[] replay) {
        replays.setex(replayKey(matchId, round).getBytes(StandardCharsets.UTF_8), replayTtl.toSeconds(), replay);
    }

    /**
     * Appends the result to the stream.
     *
     * @return the id of the stream entry
     */
    public String publish(MatchResult result) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("match_id", result.getMatchId());
        fields.put("result", toJson(result));
        return results.xadd(RedisNames.MATCH_RESULTS_STREAM, StreamEntryID.NEW_ENTRY, fields)
                .toString();
    }

    static String toJson(MatchResult result) {
        return ResultJson.print(result);
    }

    @Override
    public void close() {
        results.close();
        if (replays != results) {
            replays.close();
        }
    }
}
