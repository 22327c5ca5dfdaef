package dev.trespasser.match.results;

import dev.trespasser.proto.RedisNames;
import dev.trespasser.proto.results.v1.MatchResult;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.exceptions.JedisException;

/**
 * One attempt at each of the two writes a finished round needs: its replay into the replay store
 * ({@code trespasser:replay:<match>:<round>}, with the retention TTL) and its result onto the
 * stream the frontend consumes ({@code trespasser:match-results}, fields {@code match_id} and
 * {@code result} = MatchResult as protobuf JSON). Retrying is {@link ResultSpool}'s job; a failure
 * here is a {@link JedisException}.
 *
 * <p>Appending is idempotent: a retry after an ambiguous failure (the XADD ran, its reply was
 * lost) must not add a second entry, so one Lua script appends and sets a marker per match id and
 * round, and answers the first entry's id when the marker is already there.
 */
public final class ResultPublisher implements AutoCloseable {
    /** Keeps the stream bounded; the frontend consumes entries within seconds. */
    private static final long STREAM_MAX_LENGTH = 100_000;
    /**
     * How long the "already appended" marker lives: far longer than any retry of the same round
     * (its spool lives in one process), and small enough that markers of ~360k rounds a day at
     * 10k CCU (~120 bytes each) stay a few tens of MB.
     */
    static final Duration MARKER_TTL = Duration.ofHours(24);

    /** KEYS: marker, stream. ARGV: marker TTL s, stream max length, match id, result JSON. */
    private static final String APPEND_ONCE = """
            local first = redis.call('GET', KEYS[1])
            if first then return first end
            local id = redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[2], '*', 'match_id', ARGV[3], 'result', ARGV[4])
            redis.call('SET', KEYS[1], id, 'EX', ARGV[1])
            return id
            """;

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

    /** Set (with the stream entry's id) once the round's result is on the stream. */
    public static String publishedMarker(String matchId, int round) {
        return "trespasser:result-published:" + matchId + ":" + round;
    }

    /** Writes the replay (overwriting is harmless: the bytes of a round never change). */
    public void storeReplay(String matchId, int round, byte[] replay) {
        replays.setex(replayKey(matchId, round).getBytes(StandardCharsets.UTF_8), replayTtl.toSeconds(), replay);
    }

    /**
     * Appends the result to the stream unless this match id and round are already there.
     *
     * @return the id of the (first) stream entry for this round
     */
    public String publish(MatchResult result) {
        Object id = results.eval(APPEND_ONCE,
                List.of(publishedMarker(result.getMatchId(), result.getRound()), RedisNames.MATCH_RESULTS_STREAM),
                List.of(Long.toString(MARKER_TTL.toSeconds()), Long.toString(STREAM_MAX_LENGTH),
                        result.getMatchId(), toJson(result)));
        return id.toString();
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
