package dev.trespasser.frontend.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.trespasser.peers.RedisServer;
import dev.trespasser.proto.GameMode;
import dev.trespasser.proto.RedisNames;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.resps.Tuple;

/**
 * The queued-tickets set the director sizes its pools by: a ticket is in its (mode, region) set,
 * scored by creation time, from its creation until it ends, whichever way it ends.
 */
class QueuedTicketsTest {

    private static final Duration TTL = Duration.ofMinutes(10);
    private static final long NOW = 1_800_000_000_000L;
    private static final String EU = RedisNames.queuedTickets("4v4", "eu");

    private static RedisServer server;
    private static JedisPooled redis;
    private QueueStore store;

    @BeforeAll
    static void start() {
        server = RedisServer.start(Path.of("target/peer-logs"));
        redis = new JedisPooled(URI.create(server.url()));
    }

    @AfterAll
    static void stop() {
        if (redis != null) {
            redis.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void empty() {
        redis.flushAll();
        store = new QueueStore(redis, TTL, Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC));
    }

    @Test
    void aNewTicketIsCountedInItsModeAndRegionScoredByCreationTime() {
        store.putNew(entry("alice", "t1", NOW - 5), NOW);
        store.putNew(new QueueEntry("bob", "t2", "", GameMode.ONE_V_ONE, "eu", 1000, NOW, NOW, 0, "", ""), NOW);
        assertEquals(Map.of("t1", (double) (NOW - 5)), members(EU));
        assertEquals(Map.of("t2", (double) NOW), members(RedisNames.queuedTickets("1v1", "eu")));
    }

    @Test
    void aRequeueReplacesTheOldTicketAndAFailedRequeueRestoresIt() {
        QueueEntry first = entry("alice", "t1", NOW - 60_000);
        store.putNew(first, NOW);
        QueueEntry requeued = first.requeuedAs("t2", NOW);
        store.put(requeued, NOW);
        assertEquals(Map.of("t2", (double) NOW), members(EU));

        store.putBack(first, "t2", NOW);
        assertEquals(Map.of("t1", (double) (NOW - 60_000)), members(EU));
    }

    @Test
    void cancelTimeoutAndDeliveryTakeEveryTicketOfTheEntryOut() {
        QueueEntry cancelled = entry("alice", "t1", NOW);
        QueueEntry delivered = entry("bob", "t2", NOW).requeuedAs("t3", NOW);
        store.putNew(cancelled, NOW);
        store.putNew(entry("bob", "t2", NOW), NOW);
        store.put(delivered, NOW);
        // A crash between a requeue's two writes can leave the replaced ticket counted.
        redis.zadd(EU, NOW, "t2");
        assertEquals(
                List.of("t1", "t2", "t3"),
                members(EU).keySet().stream().sorted().toList());

        store.remove(cancelled);
        store.delivered(delivered, "t2", Duration.ofMinutes(1));

        assertEquals(Map.of(), members(EU));
        assertEquals("t2", store.deliveredTicket("bob").orElseThrow());
    }

    @Test
    void membersOlderThanTheTicketTtlAreTrimmedOnTheNextWrite() {
        redis.zadd(EU, NOW - TTL.toMillis() - 1, "lost-in-a-crash");
        redis.zadd(EU, NOW - TTL.toMillis(), "exactly-ttl-old");
        store.putNew(entry("alice", "t1", NOW), NOW);
        assertEquals(
                List.of("exactly-ttl-old", "t1"),
                members(EU).keySet().stream().sorted().toList());
    }

    private static QueueEntry entry(String player, String ticket, long createdAt) {
        return new QueueEntry(player, ticket, "", GameMode.FOUR_V_FOUR, "eu", 1000, createdAt, createdAt, 0, "", "");
    }

    private static Map<String, Double> members(String key) {
        return redis.zrangeWithScores(key, 0, -1).stream()
                .collect(Collectors.toMap(Tuple::getElement, Tuple::getScore));
    }
}
