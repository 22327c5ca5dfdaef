package dev.trespasser.match.results;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.util.JsonFormat;
import dev.trespasser.peers.FreePort;
import dev.trespasser.peers.RedisServer;
import dev.trespasser.proto.RedisNames;
import dev.trespasser.proto.results.v1.MatchResult;
import dev.trespasser.proto.results.v1.Outcome;
import dev.trespasser.proto.results.v1.PlayerResult;
import dev.trespasser.proto.results.v1.ResultTeam;
import dev.trespasser.runtime.RedisClientSettings;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.resps.StreamEntry;

/** Results reach the stream the frontend reads, in the documented shape, once, against a real Redis. */
class ResultPublisherTest {
    static final MatchResult RESULT = MatchResult.newBuilder()
            .setMatchId("m-1")
            .setMode("4v4")
            .setMapName("depot")
            .setOutcome(Outcome.OUTCOME_RED_WON)
            .setRedKills(50)
            .setBlueKills(31)
            .setRound(2)
            .setDurationSeconds(412)
            .addPlayers(PlayerResult.newBuilder()
                    .setPlayerId("p1")
                    .setTeam(ResultTeam.RESULT_TEAM_RED)
                    .setKills(20)
                    .setDeaths(5)
                    .setPresentAtEnd(true))
            .addPlayers(PlayerResult.newBuilder()
                    .setPlayerId("p2")
                    .setTeam(ResultTeam.RESULT_TEAM_BLUE)
                    .setKills(9)
                    .setDeaths(17)
                    .setPresentAtEnd(true))
            .build();

    /** Under the match server's own Redis users, as in production (open-match/redis/). */
    @Test
    void publishedResultAndReplayCanBeReadBack() throws Exception {
        try (RedisServer redisServer =
                        RedisServer.startWithUsers(Path.of("target/peer-logs"), RedisServer.RESULTS_USERS);
                RedisServer replayServer =
                        RedisServer.startWithUsers(Path.of("target/peer-logs"), RedisServer.REPLAY_USERS);
                JedisPooled reader = new JedisPooled(URI.create(redisServer.adminUrl()));
                JedisPooled replayReader = new JedisPooled(URI.create(replayServer.adminUrl()))) {
            try (ResultPublisher publisher = new ResultPublisher(
                    RedisClientSettings.DEFAULTS.pool(URI.create(redisServer.url("match-server"))),
                    RedisClientSettings.DEFAULTS.pool(URI.create(replayServer.url("match-server"))),
                    Duration.ofDays(7))) {
                byte[] replay = {1, 2, 3, 4, 5};
                MatchResult withRef = RESULT.toBuilder()
                        .setReplayRef("redis:trespasser:replay:m-1:2")
                        .build();
                publisher.storeReplay("m-1", 2, replay);
                String id = publisher.publish(withRef);

                List<StreamEntry> entries = stream(reader);
                assertEquals(1, entries.size());
                assertEquals(id, entries.get(0).getID().toString());
                assertEquals("m-1", entries.get(0).getFields().get("match_id"));
                MatchResult.Builder read = MatchResult.newBuilder();
                JsonFormat.parser().merge(entries.get(0).getFields().get("result"), read);
                assertEquals(withRef, read.build());
                assertArrayEquals(replay, replayReader.get("trespasser:replay:m-1:2".getBytes(StandardCharsets.UTF_8)));
                assertTrue(replayReader.ttl("trespasser:replay:m-1:2")
                        > Duration.ofDays(6).toSeconds());
            }
        }
    }

    /**
     * A retry after an ambiguous failure (the append ran, its reply was lost) is a second entry of
     * the same round; the frontend applies it once (ResultsConsumerTest.resultUpdatesStatsAndEloOnceEvenWhenPublishedTwice).
     * The publisher never trims: entries the frontend has not read stay.
     */
    @Test
    void publishingARoundAgainAppendsAndNeverTrims() {
        try (RedisServer redisServer = RedisServer.start(Path.of("target/peer-logs"));
                JedisPooled reader = new JedisPooled(redisServer.host(), redisServer.port())) {
            JedisPooled redis = new JedisPooled(redisServer.host(), redisServer.port());
            try (ResultPublisher publisher = new ResultPublisher(redis, redis, Duration.ofDays(7))) {
                String first = publisher.publish(RESULT);
                String again = publisher.publish(RESULT);
                assertFalse(first.equals(again));
                List<StreamEntry> entries = stream(reader);
                assertEquals(2, entries.size());
                assertEquals(entries.get(0).getFields(), entries.get(1).getFields(), "the same round, twice");
            }
        }
    }

    @Test
    void replaysGoToTheirOwnRedis() {
        try (RedisServer resultsServer = RedisServer.start(Path.of("target/peer-logs"));
                RedisServer replayServer = RedisServer.start(Path.of("target/peer-logs"));
                JedisPooled results = new JedisPooled(resultsServer.host(), resultsServer.port());
                JedisPooled replays = new JedisPooled(replayServer.host(), replayServer.port());
                ResultPublisher publisher = new ResultPublisher(
                        new JedisPooled(resultsServer.host(), resultsServer.port()),
                        new JedisPooled(replayServer.host(), replayServer.port()),
                        Duration.ofDays(1))) {
            publisher.storeReplay("m-1", 2, new byte[] {9, 9});
            publisher.publish(RESULT);
            assertArrayEquals(
                    new byte[] {9, 9}, replays.get("trespasser:replay:m-1:2".getBytes(StandardCharsets.UTF_8)));
            assertNull(results.get("trespasser:replay:m-1:2".getBytes(StandardCharsets.UTF_8)));
            assertEquals(1, stream(results).size());
            assertFalse(replays.exists(RedisNames.MATCH_RESULTS_STREAM));
        }
    }

    @Test
    void unreachableRedisIsAJedisErrorForTheSpoolToRetry() {
        JedisPooled redis = new JedisPooled("127.0.0.1", FreePort.pick());
        try (ResultPublisher publisher = new ResultPublisher(redis, redis, Duration.ofDays(7))) {
            assertThrows(JedisException.class, () -> publisher.publish(RESULT));
            assertThrows(JedisException.class, () -> publisher.storeReplay("m-1", 2, new byte[] {1}));
        }
    }

    static List<StreamEntry> stream(JedisPooled reader) {
        return reader.xrange(RedisNames.MATCH_RESULTS_STREAM, (StreamEntryID) null, (StreamEntryID) null);
    }
}
