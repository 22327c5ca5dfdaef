package dev.trespasser.match.results;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.trespasser.proto.RedisNames;
import dev.trespasser.proto.results.v1.MatchResult;
import java.time.Duration;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.XAddParams;

/**
 * Publishes each finished round to the Redis stream the frontend consumes
 * ({@code trespasser:match-results}, fields {@code match_id} and {@code result} = MatchResult as
 * protobuf JSON), after storing its replay under {@code trespasser:replay:<match>:<round>}.
 *
 * <p>Redis being briefly away must not lose a result: publishing retries with back-off for a
 * bounded time before it gives up and says so.
 */
public final class ResultPublisher implements AutoCloseable {
    /** Keeps the stream bounded; the frontend consumes entries within seconds. */
    private static final long STREAM_MAX_LENGTH = 100_000;
    private static final Logger log = LoggerFactory.getLogger(ResultPublisher.class);

    private final JedisPooled redis;
    private final Duration replayTtl;
    private final Duration retryBudget;

    public ResultPublisher(JedisPooled redis, Duration replayTtl, Duration retryBudget) {
        this.redis = redis;
        this.replayTtl = replayTtl;
        this.retryBudget = retryBudget;
    }

    public static String replayKey(String matchId, int round) {
        return "trespasser:replay:" + matchId + ":" + round;
    }

    /**
     * Stores the replay, then appends the result (with its replay reference) to the stream.
     *
     * @return the stream entry id
     * @throws ResultNotPublishedException when Redis stayed unreachable for the whole retry budget
     */
    public String publish(MatchResult result, byte[] replay) {
        String replayKey = replayKey(result.getMatchId(), result.getRound());
        MatchResult withReplay = result.toBuilder().setReplayRef("redis:" + replayKey).build();
        String json = toJson(withReplay);
        long deadline = System.nanoTime() + retryBudget.toNanos();
        long backoffMillis = 50;
        while (true) {
            try {
                redis.setex(replayKey.getBytes(java.nio.charset.StandardCharsets.UTF_8), replayTtl.toSeconds(), replay);
                String id = redis.xadd(RedisNames.MATCH_RESULTS_STREAM,
                        XAddParams.xAddParams().maxLen(STREAM_MAX_LENGTH).approximateTrimming(),
                        Map.of("match_id", result.getMatchId(), "result", json)).toString();
                log.info("published result of match {} round {} ({}) as {}", result.getMatchId(), result.getRound(), result.getOutcome(), id);
                return id;
            } catch (JedisException e) {
                if (System.nanoTime() + backoffMillis * 1_000_000 > deadline) {
                    throw new ResultNotPublishedException(result.getMatchId(), e);
                }
                log.warn("Redis unavailable while publishing match {} ({}); retrying in {} ms", result.getMatchId(), e.getMessage(), backoffMillis);
                sleep(backoffMillis);
                backoffMillis = Math.min(backoffMillis * 2, 2_000);
            }
        }
    }

    private static String toJson(MatchResult result) {
        try {
            return JsonFormat.printer().omittingInsignificantWhitespace().print(result);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("MatchResult is always printable", e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ResultNotPublishedException("interrupted", e);
        }
    }

    @Override
    public void close() {
        redis.close();
    }

    /** A result that could not be published within the retry budget. */
    public static final class ResultNotPublishedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ResultNotPublishedException(String matchId, Throwable cause) {
            super("result of match " + matchId + " not published: " + cause.getMessage(), cause);
        }
    }
}
