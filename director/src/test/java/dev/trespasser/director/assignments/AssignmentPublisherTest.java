package dev.trespasser.director.assignments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.util.JsonFormat;
import dev.trespasser.director.allocation.AllocationResult;
import dev.trespasser.director.assignments.AssignmentPublisher.TicketAssignment;
import dev.trespasser.peers.RedisServer;
import dev.trespasser.proto.RedisNames;
import dev.trespasser.proto.allocation.v1.RosterPlayer;
import dev.trespasser.proto.allocation.v1.RosterTeam;
import dev.trespasser.proto.frontend.v1.Assignment;
import dev.trespasser.runtime.RedisClientSettings;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.JedisPubSub;

/** The assignment channel as the frontend reads it, against a real Redis. */
class AssignmentPublisherTest {

    private static RedisServer redisServer;
    private static JedisPooled redis;
    /** The publisher runs as the director's own Redis user (open-match/redis/results-redis-users.conf). */
    private static JedisPooled director;

    @BeforeAll
    static void startRedis() {
        redisServer = RedisServer.startWithUsers(Path.of("target/peer-logs"), RedisServer.RESULTS_USERS);
        redis = new JedisPooled(URI.create(redisServer.adminUrl()));
        director = RedisClientSettings.DEFAULTS.pool(URI.create(redisServer.url("director")));
    }

    @AfterAll
    static void stopRedis() {
        if (redis != null) {
            redis.close();
            director.close();
        }
        if (redisServer != null) {
            redisServer.close();
        }
    }

    /** What the frontend's results consumer checks a result against (MatchRecords). */
    @Test
    void theMatchRecordNamesTheServerTheRosterWithTeamsAndTheMostRounds() {
        AssignmentPublisher publisher = new AssignmentPublisher(director, Duration.ofSeconds(600));
        publisher.recordMatch(
                "m-rec",
                "gs-7",
                List.of(
                        RosterPlayer.newBuilder()
                                .setPlayerId("p-1")
                                .setTeam(RosterTeam.ROSTER_TEAM_RED)
                                .build(),
                        RosterPlayer.newBuilder()
                                .setPlayerId("p-2")
                                .setTeam(RosterTeam.ROSTER_TEAM_BLUE)
                                .build()),
                5);

        assertEquals(
                Map.of(
                        RedisNames.MATCH_RECORD_GAME_SERVER,
                        "gs-7",
                        RedisNames.MATCH_RECORD_ROSTER,
                        "p-1=1,p-2=2",
                        RedisNames.MATCH_RECORD_MAX_ROUNDS,
                        "5"),
                redis.hgetAll(RedisNames.matchRecord("m-rec")));
        long ttl = redis.ttl(RedisNames.matchRecord("m-rec"));
        assertTrue(
                ttl
                                > Duration.ofSeconds(600)
                                                .plus(AssignmentPublisher.RECORD_EXTRA_TTL)
                                                .getSeconds()
                                        - 10
                        && ttl
                                <= Duration.ofSeconds(600)
                                        .plus(AssignmentPublisher.RECORD_EXTRA_TTL)
                                        .getSeconds(),
                "ttl " + ttl);

        // Written again for the same match id (a retried placement), it is replaced, not merged.
        publisher.recordMatch(
                "m-rec",
                "gs-8",
                List.of(RosterPlayer.newBuilder()
                        .setPlayerId("p-9")
                        .setTeam(RosterTeam.ROSTER_TEAM_RED)
                        .build()),
                3);
        assertEquals(
                Map.of(
                        RedisNames.MATCH_RECORD_GAME_SERVER,
                        "gs-8",
                        RedisNames.MATCH_RECORD_ROSTER,
                        "p-9=1",
                        RedisNames.MATCH_RECORD_MAX_ROUNDS,
                        "3"),
                redis.hgetAll(RedisNames.matchRecord("m-rec")));
    }

    @Test
    void everyPlayerGetsOwnKeySoloTicketsAlsoTicketKeyAndEveryTicketIsAnnouncedAfterItsKeysExist() throws Exception {
        LinkedBlockingQueue<String> announced = new LinkedBlockingQueue<>();
        LinkedBlockingQueue<String> keyPresentOnMessage = new LinkedBlockingQueue<>();
        CountDownLatch subscribed = new CountDownLatch(1);
        JedisPubSub subscriber = new JedisPubSub() {
            @Override
            public void onSubscribe(String channel, int count) {
                subscribed.countDown();
            }

            @Override
            public void onMessage(String channel, String ticketId) {
                announced.add(ticketId);
                String key = ticketId.equals("t-party")
                        ? RedisNames.playerAssignment(ticketId, "p-2")
                        : RedisNames.assignment(ticketId);
                keyPresentOnMessage.add(String.valueOf(redis.exists(key)));
            }
        };
        Thread listener = new Thread(() -> {
            try (Jedis jedis = new Jedis(URI.create(redisServer.adminUrl()))) {
                jedis.subscribe(subscriber, RedisNames.ASSIGNMENTS_CHANNEL);
            }
        });
        listener.start();
        assertTrue(subscribed.await(5, TimeUnit.SECONDS));

        Map<String, String> party = new LinkedHashMap<>();
        party.put("p-2", "token-2");
        party.put("p-3", "token-3");
        new AssignmentPublisher(director, Duration.ofSeconds(600))
                .publish(
                        "m-1",
                        "10.0.0.7",
                        7654,
                        List.of(
                                new TicketAssignment("t-solo", Map.of("p-1", "token-1")),
                                new TicketAssignment("t-party", party)));

        assertEquals("t-solo", announced.poll(5, TimeUnit.SECONDS));
        assertEquals("t-party", announced.poll(5, TimeUnit.SECONDS));
        assertEquals("true", keyPresentOnMessage.poll(5, TimeUnit.SECONDS));
        assertEquals("true", keyPresentOnMessage.poll(5, TimeUnit.SECONDS));
        subscriber.unsubscribe();
        listener.join(5000);

        Assignment solo = parse(redis.get(RedisNames.assignment("t-solo")));
        assertEquals(
                Assignment.newBuilder()
                        .setHost("10.0.0.7")
                        .setPort(7654)
                        .setToken("token-1")
                        .setMatchId("m-1")
                        .build(),
                solo);
        assertEquals(solo, parse(redis.get(RedisNames.playerAssignment("t-solo", "p-1"))));
        assertEquals(
                "token-2",
                parse(redis.get(RedisNames.playerAssignment("t-party", "p-2"))).getToken());
        assertEquals(
                "token-3",
                parse(redis.get(RedisNames.playerAssignment("t-party", "p-3"))).getToken());
        assertNull(redis.get(RedisNames.assignment("t-party")), "a party ticket has no ticket-level key");

        long ttl = redis.ttl(RedisNames.playerAssignment("t-party", "p-3"));
        assertTrue(ttl > 590 && ttl <= 600, "TTL " + ttl);
    }

    @Test
    void anAllocatedServerIsPublishedThroughTheHostTemplateWithTheTlsFlag() throws Exception {
        new AssignmentPublisher(
                        director, Duration.ofSeconds(600), HostTemplate.parse("{ip-dashed}.gs.example.com"), true)
                .publish(
                        "m-tls",
                        new AllocationResult.Allocated("gs-3", "10.1.2.3", 7777),
                        List.of(new TicketAssignment("t-tls", Map.of("p-1", "token-1"))));
        assertEquals(
                Assignment.newBuilder()
                        .setHost("10-1-2-3.gs.example.com")
                        .setPort(7777)
                        .setToken("token-1")
                        .setMatchId("m-tls")
                        .setTls(true)
                        .build(),
                parse(redis.get(RedisNames.playerAssignment("t-tls", "p-1"))));

        // An address the template cannot use publishes nothing (the placement hands the match back).
        AssignmentPublisher dashed = new AssignmentPublisher(
                director, Duration.ofSeconds(600), HostTemplate.parse("{ip-dashed}.gs.example.com"), true);
        assertThrows(
                IllegalArgumentException.class,
                () -> dashed.publish(
                        "m-v6",
                        new AllocationResult.Allocated("gs-4", "2001:db8::4", 7777),
                        List.of(new TicketAssignment("t-v6", Map.of("p-2", "token-2")))));
        assertFalse(redis.exists(RedisNames.playerAssignment("t-v6", "p-2")));
    }

    @Test
    void claimsAreAllOrNothingAndReleaseOnlyTheirOwn() {
        TicketClaims claims = new TicketClaims(redis, Duration.ofSeconds(120));

        assertEquals(Map.of(), claims.claim("m-a", List.of("c-1", "c-2")));
        assertEquals(
                Map.of(), claims.claim("m-a", List.of("c-1", "c-2")), "claiming again for the same match is a no-op");

        Map<String, String> taken = claims.claim("m-b", List.of("c-3", "c-2"));
        assertEquals(Map.of("c-2", "m-a"), taken);
        assertFalse(redis.exists(RedisNames.ticketClaim("c-3")), "a refused claim claims nothing");

        assertEquals(0, claims.release("m-b", List.of("c-1", "c-2")), "m-b cannot release m-a's claims");
        assertEquals(Map.of("c-1", "m-a", "c-2", "m-a"), claims.owners(List.of("c-1", "c-2", "c-3")));
        assertEquals(2, claims.release("m-a", List.of("c-1", "c-2")));
        assertEquals(Map.of(), claims.claim("m-b", List.of("c-3", "c-2")));
        long ttl = redis.pttl(RedisNames.ticketClaim("c-2"));
        assertTrue(ttl > 110_000 && ttl <= 120_000, "claim TTL " + ttl);
    }

    private static Assignment parse(String json) throws Exception {
        assertTrue(json != null, "assignment key missing");
        Assignment.Builder builder = Assignment.newBuilder();
        JsonFormat.parser().merge(json, builder);
        return builder.build();
    }
}
