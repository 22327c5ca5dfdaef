package dev.trespasser.frontend.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trespasser.frontend.FrontendHarness;
import dev.trespasser.frontend.redis.RedisKeys;
import dev.trespasser.peers.RedisServer;
import dev.trespasser.proto.GameMode;
import dev.trespasser.proto.MatchLifetime;
import dev.trespasser.proto.RedisNames;
import dev.trespasser.proto.allocation.v1.MatchRules;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.params.SetParams;

/**
 * "You got this assignment" is remembered as long as the director keeps the assignment itself,
 * whose TTL is the longest match its rules allow: a page reloaded late in a restarted match
 * finds both, never one without the other.
 */
class DeliveredMemoryTest {

    private static RedisServer redis;
    private static JedisPooled jedis;

    @BeforeAll
    static void start() {
        redis = RedisServer.start(FrontendHarness.PEER_LOGS);
        jedis = new JedisPooled(redis.host(), redis.port());
    }

    @AfterAll
    static void stop() {
        if (jedis != null) {
            jedis.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void theDeliveredTicketLivesAsLongAsTheDirectorsAssignmentKey() {
        Duration longMatch = MatchLifetime.longest(MatchRules.newBuilder()
                .setTimeLimitSeconds(1800)
                .setMaxRounds(5)
                .build());
        jedis.set(
                RedisNames.playerAssignment("t-1", "p-1"),
                "{}",
                SetParams.setParams().ex(longMatch.toSeconds()));

        store().delivered(entry("p-1", "t-1"), "t-1", Matchmaking.DELIVERED_MEMORY);

        assertEquals(Optional.of("t-1"), store().deliveredTicket("p-1"));
        long remembered = jedis.pttl(RedisKeys.deliveredAssignment("p-1"));
        assertTrue(
                remembered > longMatch.toMillis() - 5_000 && remembered <= longMatch.toMillis(),
                "remembered for " + remembered + " ms, the assignment lives " + longMatch.toMillis() + " ms");
    }

    @Test
    void withoutATtlOnTheAssignmentTheDefaultRulesLongestMatchIsRemembered() {
        jedis.set(RedisNames.assignment("t-2"), "{}");

        store().delivered(entry("p-2", "t-2"), "t-2", Matchmaking.DELIVERED_MEMORY);

        long remembered = jedis.pttl(RedisKeys.deliveredAssignment("p-2"));
        assertTrue(
                remembered > Duration.ofMinutes(25).toMillis(), "a reload at minute 25 still finds it: " + remembered);
        assertTrue(remembered <= Matchmaking.DELIVERED_MEMORY.toMillis());
    }

    private QueueStore store() {
        return new QueueStore(jedis, Duration.ofMinutes(10), Clock.systemUTC());
    }

    private static QueueEntry entry(String playerId, String ticketId) {
        return new QueueEntry(playerId, ticketId, "", GameMode.DEFAULT, "eu", 1000, 0, 0, 0, ticketId, "");
    }
}
