package dev.trespasser.match.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.util.JsonFormat;
import dev.trespasser.match.agones.AgonesSdk;
import dev.trespasser.match.agones.GameServerLifecycle;
import dev.trespasser.match.metrics.MatchServerMetrics;
import dev.trespasser.match.room.MatchRoom;
import dev.trespasser.match.room.RoomConfig;
import dev.trespasser.match.room.RoomListener;
import dev.trespasser.match.room.RoundResult;
import dev.trespasser.match.sim.MatchSettings;
import dev.trespasser.match.testing.TestRooms;
import dev.trespasser.peers.RedisServer;
import dev.trespasser.peers.doubles.AgonesSdkDouble;
import dev.trespasser.proto.GameServerMetadata;
import dev.trespasser.proto.allocation.v1.MatchAllocation;
import dev.trespasser.proto.results.v1.MatchResult;
import dev.trespasser.proto.results.v1.Outcome;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.resps.StreamEntry;

/**
 * Issue 10: Redis stopped for 90 s across a round's end. The redis-server process is really
 * stopped and started again on the same port (empty, as after a failover to a fresh replica); the
 * room, spool, publisher and lifecycle are the ones the process wires, against the SDK test
 * double. The result arrives exactly once after Redis returns, and the server stays out of the
 * fleet (Allocated) until it has.
 */
class RedisOutageTest {
    private static final Logger log = LoggerFactory.getLogger(RedisOutageTest.class);
    private static final Duration OUTAGE = Duration.ofSeconds(90);
    /** The back-off cap keeps the wait after Redis returns short; the outage itself is not scaled. */
    private static final Duration RETRY_MAX = Duration.ofSeconds(1);

    @Test
    void aRoundEndingWhileRedisIsDownIsPublishedExactlyOnceWhenItReturns() throws Exception {
        Path logs = Path.of("target/peer-logs");
        RedisServer redis = RedisServer.start(logs);
        int port = redis.port();
        MatchServerMetrics metrics = new MatchServerMetrics();
        JedisPooled client = new JedisPooled("127.0.0.1", port);
        ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
        try (AgonesSdkDouble sidecar = new AgonesSdkDouble().start();
                AgonesSdk sdk = AgonesSdk.connect("127.0.0.1", sidecar.httpPort());
                ResultSpool spool = new ResultSpool(
                        new ResultPublisher(client, client, Duration.ofDays(1)),
                        new ResultSpool.Limits(32, 4 << 20, 2 << 20),
                        Duration.ofMillis(100),
                        RETRY_MAX,
                        metrics)) {
            // Nobody joins: waiting ends after 2 s (0.5 s at 4x), and the round ends abandoned.
            RoomConfig rooms = RoomConfig.defaults()
                    .withTimeScale(4)
                    .withBaseSettings(MatchSettings.defaults()
                            .withFlow(new MatchSettings.Flow(4, 50, 600, false, 2, 0, 0, 1, 60, 2, 2)));
            CompletableFuture<Void> roundEnded = new CompletableFuture<>();
            GameServerLifecycle.MatchHosting hosting = (gameServerName, allocation, matchOver) -> {
                MatchRoom room = MatchRoom.open(
                        allocation,
                        rooms,
                        new RoomListener() {
                            @Override
                            public void onRoundEnded(RoundResult result) {
                                spool.submit(
                                        result.matchResult().toBuilder()
                                                .setGameServer("gs-outage")
                                                .build(),
                                        result.replay());
                                roundEnded.complete(null);
                            }

                            @Override
                            public void onRoomFinished() {
                                matchOver.run();
                            }
                        },
                        metrics);
                return room::close;
            };
            GameServerLifecycle.ResultDelivery delivery = new GameServerLifecycle.ResultDelivery() {
                @Override
                public CompletableFuture<Void> delivered() {
                    return spool.delivered();
                }

                @Override
                public void giveUp() {
                    spool.giveUp();
                }
            };
            try (GameServerLifecycle lifecycle = new GameServerLifecycle(
                    sdk,
                    hosting,
                    delivery,
                    new GameServerLifecycle.Settings(
                            Duration.ofMillis(200), Duration.ofSeconds(5), Duration.ofSeconds(5), 0),
                    scheduler)) {
                lifecycle.start();
                assertEquals("Ready", sidecar.state());

                redis.close();
                long stopped = System.nanoTime();
                log.info("redis-server on port {} stopped", port);

                MatchAllocation allocation = TestRooms.allocation("m-outage", "2v2", "a", "b", "c", "d");
                sidecar.allocate(Map.of(
                        GameServerMetadata.MATCH_ANNOTATION,
                        JsonFormat.printer().print(allocation)));
                roundEnded.get(30, TimeUnit.SECONDS);
                awaitTrue(() -> lifecycle.matchesServed() == 1, Duration.ofSeconds(10), "the match is over");
                assertEquals(List.of("match m-outage round 1"), spool.undelivered());

                while (System.nanoTime() - stopped < OUTAGE.toNanos()) {
                    assertEquals("Allocated", sidecar.state(), "no Ready while the result is held");
                    Thread.sleep(1_000);
                }
                assertTrue(metrics.registry().scrape().stream()
                        .anyMatch(m -> m.getMetadata().getName().equals("trespasser_match_result_publish_failures")));

                redis = RedisServer.start(logs, port);
                long back = System.nanoTime();
                log.info("redis-server on port {} back after {} s", port, (back - stopped) / 1_000_000_000);
                awaitTrue(
                        () -> sidecar.state().equals("Ready"),
                        Duration.ofSeconds(15),
                        "Ready after the result is published");
                long readyMillis = (System.nanoTime() - back) / 1_000_000;

                try (JedisPooled reader = new JedisPooled("127.0.0.1", port)) {
                    List<StreamEntry> entries = ResultPublisherTest.stream(reader);
                    assertEquals(1, entries.size(), "exactly one entry: " + entries);
                    MatchResult.Builder read = MatchResult.newBuilder();
                    JsonFormat.parser().merge(entries.get(0).getFields().get("result"), read);
                    assertEquals("m-outage", read.getMatchId());
                    assertEquals(Outcome.OUTCOME_ABANDONED, read.getOutcome());
                    assertEquals("gs-outage", read.getGameServer());
                    // Sending stopped with the spool empty: later passes add nothing.
                    Thread.sleep(2 * RETRY_MAX.toMillis());
                    assertEquals(1, ResultPublisherTest.stream(reader).size());
                }
                System.out.printf(
                        "RedisOutageTest: outage %d s, result on the stream and Ready %d ms after redis-server returned%n",
                        (back - stopped) / 1_000_000_000, readyMillis);
            }
        } finally {
            scheduler.shutdownNow();
            redis.close();
        }
    }

    private static void awaitTrue(BooleanSupplier condition, Duration timeout, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.sleep(20);
        }
    }
}
