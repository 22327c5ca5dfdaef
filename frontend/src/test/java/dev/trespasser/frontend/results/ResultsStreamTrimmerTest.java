package dev.trespasser.frontend.results;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.trespasser.frontend.FrontendHarness;
import dev.trespasser.frontend.redis.RedisKeys;
import dev.trespasser.peers.RedisServer;
import dev.trespasser.proto.RedisNames;
import dev.trespasser.runtime.RedisClientSettings;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.params.XReadGroupParams;
import redis.clients.jedis.resps.StreamEntry;

/**
 * Trimming the results stream never drops an entry a consumer group has not acknowledged: pending
 * (delivered, unacknowledged) and undelivered entries survive, acknowledged ones go. Real Redis,
 * the trimmer running as the frontend's own Redis user.
 */
class ResultsStreamTrimmerTest {
    private static final String STREAM = RedisNames.MATCH_RESULTS_STREAM;

    private RedisServer server;
    private JedisPooled admin;
    private JedisPooled frontend;
    private ResultsStreamTrimmer trimmer;

    @BeforeEach
    void start() {
        server = RedisServer.startWithUsers(FrontendHarness.PEER_LOGS, RedisServer.RESULTS_USERS);
        admin = new JedisPooled(URI.create(server.adminUrl()));
        frontend = RedisClientSettings.DEFAULTS.pool(URI.create(server.url("frontend")));
        trimmer = new ResultsStreamTrimmer(frontend);
    }

    @AfterEach
    void stop() {
        frontend.close();
        admin.close();
        server.close();
    }

    @Test
    void pendingAndUnreadEntriesSurviveAndAcknowledgedOnesGo() {
        List<StreamEntryID> ids = append(6);
        admin.xgroupCreate(STREAM, RedisKeys.RESULTS_GROUP, new StreamEntryID(0, 0), false);
        List<StreamEntry> delivered = read("consumer-a", 4);
        assertEquals(
                ids.subList(0, 4), delivered.stream().map(StreamEntry::getID).toList());
        admin.xack(STREAM, RedisKeys.RESULTS_GROUP, ids.get(0), ids.get(2));

        assertEquals(1, trimmer.trim(), "only the entry below the oldest pending one");
        assertEquals(ids.subList(1, 6), inStream());

        admin.xack(STREAM, RedisKeys.RESULTS_GROUP, ids.get(1), ids.get(3));
        assertEquals(3, trimmer.trim(), "everything delivered and acknowledged");
        assertEquals(ids.subList(4, 6), inStream(), "the two never delivered stay");

        assertEquals(0, trimmer.trim(), "nothing acknowledged is left");
        assertEquals(2, trimmer.length());
    }

    @Test
    void aGroupThatReadNothingKeepsEverything() {
        List<StreamEntryID> ids = append(3);
        admin.xgroupCreate(STREAM, RedisKeys.RESULTS_GROUP, new StreamEntryID(0, 0), false);
        read("consumer-a", 3);
        admin.xack(STREAM, RedisKeys.RESULTS_GROUP, ids.toArray(StreamEntryID[]::new));
        admin.xgroupCreate(STREAM, "another-reader", new StreamEntryID(0, 0), false);

        assertEquals(0, trimmer.trim());
        assertEquals(ids, inStream());
    }

    @Test
    void aStreamWithoutGroupsIsNotTrimmed() {
        List<StreamEntryID> ids = append(3);
        assertEquals(0, trimmer.trim());
        assertEquals(ids, inStream());
    }

    /** An entry claimed by another consumer keeps its id, and with it its place in the stream. */
    @Test
    void anEntryPendingWithADeadConsumerSurvivesWhileLaterOnesAreAcknowledged() {
        List<StreamEntryID> ids = append(4);
        admin.xgroupCreate(STREAM, RedisKeys.RESULTS_GROUP, new StreamEntryID(0, 0), false);
        read("dead-consumer", 1);
        read("live-consumer", 3);
        admin.xack(STREAM, RedisKeys.RESULTS_GROUP, ids.get(1), ids.get(2), ids.get(3));

        assertEquals(0, trimmer.trim());
        assertEquals(ids, inStream());
    }

    private List<StreamEntryID> append(int n) {
        List<StreamEntryID> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add(admin.xadd(STREAM, StreamEntryID.NEW_ENTRY, Map.of("match_id", "m-" + i, "result", "{}")));
        }
        return ids;
    }

    private List<StreamEntry> read(String consumer, int count) {
        return admin.xreadGroup(
                        RedisKeys.RESULTS_GROUP,
                        consumer,
                        XReadGroupParams.xReadGroupParams().count(count),
                        Map.of(STREAM, StreamEntryID.XREADGROUP_UNDELIVERED_ENTRY))
                .get(0)
                .getValue();
    }

    private List<StreamEntryID> inStream() {
        return admin.xrange(STREAM, (StreamEntryID) null, (StreamEntryID) null).stream()
                .map(StreamEntry::getID)
                .toList();
    }
}
