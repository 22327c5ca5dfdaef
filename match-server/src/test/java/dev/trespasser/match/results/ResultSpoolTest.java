package dev.trespasser.match.results;

import static dev.trespasser.match.results.ResultPublisherTest.RESULT;
import static dev.trespasser.match.results.ResultPublisherTest.stream;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.protobuf.util.JsonFormat;
import dev.trespasser.match.metrics.MatchServerMetrics;
import dev.trespasser.match.testing.MetricValues;
import dev.trespasser.peers.FreePort;
import dev.trespasser.peers.RedisServer;
import dev.trespasser.peers.doubles.LoopbackProxy;
import dev.trespasser.proto.results.v1.MatchResult;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.resps.StreamEntry;

/** The spool's promises: everything goes out once Redis takes it, and its bounds give up replays before results. */
class ResultSpoolTest {
    private static final Duration RETRY_BASE = Duration.ofMillis(20);
    private static final Duration RETRY_MAX = Duration.ofMillis(200);

    private final MatchServerMetrics metrics = new MatchServerMetrics();

    @Test
    void aRoundGoesOutWithItsReplayAndTheSpoolEmpties() throws Exception {
        try (RedisServer redis = RedisServer.start(Path.of("target/peer-logs"));
                JedisPooled reader = new JedisPooled(redis.host(), redis.port());
                ResultSpool spool = spool(redis.port(), redis.port(), new ResultSpool.Limits(8, 1 << 20, 1 << 20))) {
            spool.submit(RESULT, new byte[] {1, 2, 3});
            spool.delivered().get(5, TimeUnit.SECONDS);

            List<StreamEntry> entries = stream(reader);
            assertEquals(1, entries.size());
            assertEquals("redis:trespasser:replay:m-1:2", read(entries.get(0)).getReplayRef());
            awaitGauge("trespasser_match_result_spool_rounds", 0);
            assertArrayEquals(
                    new byte[] {1, 2, 3}, reader.get("trespasser:replay:m-1:2".getBytes(StandardCharsets.UTF_8)));
            assertEquals(1, MetricValues.counter(metrics.registry(), "trespasser_match_results_published"));
        }
    }

    @Test
    void aReplayOverTheLimitIsSkippedAndCountedAndItsResultStillGoes() throws Exception {
        try (RedisServer redis = RedisServer.start(Path.of("target/peer-logs"));
                JedisPooled reader = new JedisPooled(redis.host(), redis.port());
                ResultSpool spool = spool(redis.port(), redis.port(), new ResultSpool.Limits(8, 1000, 100))) {
            spool.submit(RESULT, new byte[101]);
            spool.delivered().get(5, TimeUnit.SECONDS);

            List<StreamEntry> entries = stream(reader);
            assertEquals(1, entries.size());
            assertEquals("", read(entries.get(0)).getReplayRef(), "no reference to a replay that was never stored");
            assertFalse(reader.exists("trespasser:replay:m-1:2"));
            assertEquals(
                    1,
                    MetricValues.counter(
                            metrics.registry(), "trespasser_match_replays_skipped", "reason", "too_large"));
        }
    }

    @Test
    void aReplayStoreOutageDoesNotHoldBackTheResult() throws Exception {
        try (RedisServer redis = RedisServer.start(Path.of("target/peer-logs"));
                JedisPooled reader = new JedisPooled(redis.host(), redis.port());
                ResultSpool spool = spool(redis.port(), FreePort.pick(), new ResultSpool.Limits(8, 1000, 100))) {
            spool.submit(RESULT, new byte[50]);
            spool.delivered().get(5, TimeUnit.SECONDS);
            assertEquals(1, stream(reader).size());
            assertEquals(List.of(), spool.undelivered());
            assertEquals(1, gauge("trespasser_match_result_spool_rounds"), "the replay is still held for a retry");
            assertEquals(50, gauge("trespasser_match_result_spool_bytes"));
        }
    }

    /**
     * The first append ran but its reply was lost: the retry appends the round again (the match
     * server's Redis user may only XADD, so it cannot look first). The frontend applies a match id
     * and round once (frontend ResultsConsumerTest.resultUpdatesStatsAndEloOnceEvenWhenPublishedTwice).
     */
    @Test
    void aRetryAfterALostReplyAppendsTheRoundAgain() throws Exception {
        try (RedisServer redis = RedisServer.start(Path.of("target/peer-logs"));
                JedisPooled reader = new JedisPooled(redis.host(), redis.port());
                LoopbackProxy proxy = LoopbackProxy.to(redis.port()).dropRepliesTo("XADD", 1);
                ResultSpool spool = spool(proxy.port(), redis.port(), new ResultSpool.Limits(8, 1000, 100))) {
            spool.submit(RESULT, new byte[] {7});
            spool.delivered().get(5, TimeUnit.SECONDS);

            assertEquals(1, proxy.repliesDropped(), "the first append ran but its reply was lost");
            assertEquals(
                    1,
                    MetricValues.counter(metrics.registry(), "trespasser_match_result_publish_failures"),
                    "and was retried");
            List<StreamEntry> entries = stream(reader);
            assertEquals(2, entries.size(), "the same round twice");
            assertEquals(entries.get(0).getFields(), entries.get(1).getFields());
        }
    }

    @Test
    void atTheByteBoundTheOldestReplayGoesBeforeAnyResult() {
        try (ResultSpool spool = spool(FreePort.pick(), FreePort.pick(), new ResultSpool.Limits(8, 1000, 600))) {
            spool.submit(round(1), new byte[400]);
            spool.submit(round(2), new byte[400]);
            spool.submit(round(3), new byte[400]);

            assertEquals(List.of("match m-1 round 1", "match m-1 round 2", "match m-1 round 3"), spool.undelivered());
            assertEquals(800, gauge("trespasser_match_result_spool_bytes"));
            assertEquals(
                    1,
                    MetricValues.counter(
                            metrics.registry(), "trespasser_match_replays_skipped", "reason", "spool_full"));
            assertFalse(spool.delivered().isDone());

            assertEquals(List.of("match m-1 round 1", "match m-1 round 2", "match m-1 round 3"), spool.giveUp());
            assertEquals(
                    3,
                    MetricValues.counter(
                            metrics.registry(), "trespasser_match_results_undelivered", "reason", "shutdown"));
            assertEquals(
                    2,
                    MetricValues.counter(metrics.registry(), "trespasser_match_replays_skipped", "reason", "shutdown"));
            assertEquals(0, gauge("trespasser_match_result_spool_rounds"));
            assertEquals(true, spool.delivered().isDone(), "shutdown no longer waits for what was given up");
        }
    }

    @Test
    void atTheCountBoundTheOldestResultIsDroppedLoudly() {
        try (ResultSpool spool = spool(FreePort.pick(), FreePort.pick(), new ResultSpool.Limits(2, 1000, 100))) {
            spool.submit(round(1), new byte[10]);
            spool.submit(round(2), new byte[10]);
            spool.submit(round(3), new byte[10]);

            assertEquals(List.of("match m-1 round 2", "match m-1 round 3"), spool.undelivered());
            assertEquals(
                    1,
                    MetricValues.counter(
                            metrics.registry(), "trespasser_match_results_undelivered", "reason", "spool_full"));
            assertEquals(20, gauge("trespasser_match_result_spool_bytes"));
        }
    }

    @Test
    void limitsThatCouldNeverHoldAReplayAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new ResultSpool.Limits(8, 100, 101));
        assertThrows(IllegalArgumentException.class, () -> new ResultSpool.Limits(0, 100, 10));
    }

    private ResultSpool spool(int resultsPort, int replayPort, ResultSpool.Limits limits) {
        JedisPooled results = new JedisPooled("127.0.0.1", resultsPort);
        JedisPooled replays = replayPort == resultsPort ? results : new JedisPooled("127.0.0.1", replayPort);
        return new ResultSpool(
                new ResultPublisher(results, replays, Duration.ofDays(1)), limits, RETRY_BASE, RETRY_MAX, metrics);
    }

    private static MatchResult round(int round) {
        return RESULT.toBuilder().setRound(round).build();
    }

    private static MatchResult read(StreamEntry entry) throws Exception {
        MatchResult.Builder read = MatchResult.newBuilder();
        JsonFormat.parser().merge(entry.getFields().get("result"), read);
        return read.build();
    }

    private double gauge(String name) {
        for (MetricSnapshot snapshot : metrics.registry().scrape()) {
            if (snapshot instanceof GaugeSnapshot gauge
                    && gauge.getMetadata().getName().equals(name)) {
                return gauge.getDataPoints().get(0).getValue();
            }
        }
        throw new AssertionError("no gauge " + name);
    }

    /** The sender updates the gauges just after it completes delivery. */
    private void awaitGauge(String name, double value) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (gauge(name) != value) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(name + " stayed at " + gauge(name) + ", expected " + value);
            }
            Thread.sleep(10);
        }
    }
}
