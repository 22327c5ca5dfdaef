package dev.trespasser.director.profiles;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.util.Timestamps;
import dev.trespasser.peers.RedisServer;
import dev.trespasser.proto.GameMode;
import dev.trespasser.proto.RedisNames;
import dev.trespasser.proto.openmatch2.Pool;
import dev.trespasser.proto.openmatch2.Profile;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.JedisPooled;

/** The slicer against a real Redis holding the frontend's queued-tickets set. */
class PoolSlicerTest {

    private static final MatchProfile EU = MatchProfile.unsliced(GameMode.FOUR_V_FOUR, "eu");
    private static final String KEY = RedisNames.queuedTickets("4v4", "eu");

    private static RedisServer server;
    private static JedisPooled redis;

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
    }

    @Test
    void aPoolAtTheLimitIsInvokedWhole() {
        queue(16, 10_000);
        assertEquals(List.of(EU.toProfile()), new PoolSlicer(redis, 16).profiles(EU));
    }

    @Test
    void aLargerPoolIsCutAtTheCreationTimesOfRanksMaxAndTwiceMax() {
        queue(40, 10_000); // ranks 0..39, created at 10,000 + rank ms
        // Other queues do not count.
        redis.zadd(RedisNames.queuedTickets("4v4", "us"), 1, "elsewhere");

        List<Profile> slices = new PoolSlicer(redis, 16).profiles(EU);

        assertEquals(
                List.of("4v4.eu~1/3", "4v4.eu~2/3", "4v4.eu~3/3"),
                slices.stream().map(Profile::getName).toList());
        assertEquals(range(Timestamps.toMillis(Timestamps.MIN_VALUE), 10_016), creationRange(slices.get(0)));
        assertEquals(range(10_016, 10_032), creationRange(slices.get(1)));
        assertEquals(range(10_032, Timestamps.toMillis(Timestamps.MAX_VALUE)), creationRange(slices.get(2)));
        for (Profile slice : slices) {
            Pool pool = slice.getPoolsOrThrow(MatchProfile.POOL_NAME);
            assertEquals(
                    Pool.FilterBounds.EXCLUDE_END,
                    pool.getCreationTimeRangeFilter().getBounds());
            // The mode and region filters of the whole profile stay.
            Pool whole = EU.toProfile().getPoolsOrThrow(MatchProfile.POOL_NAME);
            assertEquals(whole.getTagPresentFiltersList(), pool.getTagPresentFiltersList());
            assertEquals(whole.getStringEqualsFiltersList(), pool.getStringEqualsFiltersList());
        }
    }

    @Test
    void aRatingSliceKeepsItsRatingFilterInEveryTimeSlice() {
        queue(17, 10_000);
        MatchProfile high = new MatchProfile(GameMode.FOUR_V_FOUR, "eu", 1_800, Double.POSITIVE_INFINITY);
        List<Profile> slices = new PoolSlicer(redis, 16).profiles(high);
        assertEquals(
                List.of("4v4.eu.1800-~1/2", "4v4.eu.1800-~2/2"),
                slices.stream().map(Profile::getName).toList());
        for (Profile slice : slices) {
            assertEquals(1, slice.getPoolsOrThrow(MatchProfile.POOL_NAME).getDoubleRangeFiltersCount());
        }
    }

    private static void queue(int tickets, long firstCreatedMillis) {
        for (int i = 0; i < tickets; i++) {
            redis.zadd(KEY, firstCreatedMillis + i, firstCreatedMillis + "-" + i);
        }
    }

    private static List<Long> range(long start, long end) {
        return List.of(start, end);
    }

    private static List<Long> creationRange(Profile profile) {
        Pool.CreationTimeRangeFilter filter =
                profile.getPoolsOrThrow(MatchProfile.POOL_NAME).getCreationTimeRangeFilter();
        return List.of(Timestamps.toMillis(filter.getStart()), Timestamps.toMillis(filter.getEnd()));
    }
}
