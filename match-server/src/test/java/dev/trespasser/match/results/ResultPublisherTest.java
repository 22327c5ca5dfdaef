package dev.trespasser.match.results;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.resps.StreamEntry;

/** Results reach the stream the frontend reads, in the documented shape, against a real Redis. */
class ResultPublisherTest {
    private static final MatchResult RESULT = MatchResult.newBuilder()
            .setMatchId("m-1").setMode("4v4").setMapName("depot").setOutcome(Outcome.OUTCOME_RED_WON)
            .setRedKills(50).setBlueKills(31).setRound(2).setDurationSeconds(412)
            .addPlayers(PlayerResult.newBuilder().setPlayerId("p1").setTeam(ResultTeam.RESULT_TEAM_RED).setKills(20).setDeaths(5).setPresentAtEnd(true))
            .addPlayers(PlayerResult.newBuilder().setPlayerId("p2").setTeam(ResultTeam.RESULT_TEAM_BLUE).setKills(9).setDeaths(17).setPresentAtEnd(true))
            .build();

    @Test
    void publishedResultAndReplayCanBeReadBack() throws Exception {
        try (RedisServer redisServer = RedisServer.start(Path.of("target/peer-logs"));
             JedisPooled reader = new JedisPooled(redisServer.host(), redisServer.port());
             ResultPublisher publisher = new ResultPublisher(new JedisPooled(redisServer.host(), redisServer.port()),
                     Duration.ofDays(7), Duration.ofSeconds(5))) {
            byte[] replay = {1, 2, 3, 4, 5};
            publisher.publish(RESULT, replay);

            List<StreamEntry> entries = reader.xrange(RedisNames.MATCH_RESULTS_STREAM, (StreamEntryID) null, (StreamEntryID) null);
            assertEquals(1, entries.size());
            assertEquals("m-1", entries.get(0).getFields().get("match_id"));
            MatchResult.Builder read = MatchResult.newBuilder();
            JsonFormat.parser().merge(entries.get(0).getFields().get("result"), read);
            assertEquals(RESULT.toBuilder().setReplayRef("redis:trespasser:replay:m-1:2").build(), read.build());
            assertArrayEquals(replay, reader.get("trespasser:replay:m-1:2".getBytes(StandardCharsets.UTF_8)));
            assertTrue(reader.ttl("trespasser:replay:m-1:2") > Duration.ofDays(6).toSeconds());
        }
    }

    @Test
    void unreachableRedisFailsLoudlyAfterTheRetryBudget() {
        int closedPort = FreePort.pick();
        try (ResultPublisher publisher = new ResultPublisher(new JedisPooled("127.0.0.1", closedPort),
                Duration.ofDays(7), Duration.ofMillis(300))) {
            ResultPublisher.ResultNotPublishedException error =
                    assertThrows(ResultPublisher.ResultNotPublishedException.class, () -> publisher.publish(RESULT, new byte[] {1}));
            assertTrue(error.getMessage().contains("m-1"), error.getMessage());
        }
    }
}
