package dev.trespasser.frontend.assignments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.util.JsonFormat;
import dev.trespasser.frontend.AssignmentStream;
import dev.trespasser.frontend.FrontendHarness;
import dev.trespasser.frontend.PoolProbe;
import dev.trespasser.peers.OmCore;
import dev.trespasser.peers.RedisServer;
import dev.trespasser.proto.GameMode;
import dev.trespasser.proto.frontend.v1.Assignment;
import dev.trespasser.proto.frontend.v1.CancelMatchRequest;
import dev.trespasser.proto.frontend.v1.FindMatchRequest;
import dev.trespasser.proto.frontend.v1.FindMatchResponse;
import dev.trespasser.proto.frontend.v1.Session;
import dev.trespasser.proto.frontend.v1.WatchAssignmentResponse;
import io.grpc.Status;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.params.SetParams;
import redis.clients.jedis.resps.StreamEntry;

/**
 * The assignment channel, with the test playing the director: it writes
 * {@code trespasser:assignment:<ticket>} and PUBLISHes the ticket id, as the contract says.
 */
class AssignmentDeliveryTest {

    private static RedisServer redis;
    private static OmCore omCore;
    private static FrontendHarness frontend;

    @BeforeAll
    static void start() throws InterruptedException {
        redis = RedisServer.start(FrontendHarness.PEER_LOGS);
        omCore = OmCore.start(FrontendHarness.PEER_LOGS, Map.of());
        // A long status interval: an assignment arriving quickly proves the pub/sub path, not polling.
        frontend = FrontendHarness.start(redis, omCore.grpcTarget(), Map.of("FRONTEND_STATUS_INTERVAL_MS", "20000"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (frontend.server().assignmentChannel().subscriptions() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }

    @AfterAll
    static void stop() {
        if (frontend != null) {
            frontend.close();
        }
        if (omCore != null) {
            omCore.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void assignmentPublishedBeforeTheStreamStartsIsDelivered() throws Exception {
        Session player = frontend.guest();
        String ticket = queue(player);
        Assignment assignment = assignment("match-early");
        publishAsDirector(ticket, assignment);

        AssignmentStream watch = watch(player);
        assertEquals(Status.Code.OK, watch.end.get(10, TimeUnit.SECONDS).getCode());
        assertEquals(assignment, watch.assignment());
        assertTrue(
                frontend.redis()
                        .hgetAll("trespasser:queue:" + player.getPlayerId())
                        .isEmpty(),
                "the entry is closed");

        // A reconnecting client gets the same assignment again.
        AssignmentStream again = watch(player);
        assertEquals(Status.Code.OK, again.end.get(10, TimeUnit.SECONDS).getCode());
        assertEquals(assignment, again.assignment());
    }

    @Test
    void assignmentPublishedWhileWatchingArrivesThroughTheChannel() throws Exception {
        Session player = frontend.guest();
        String ticket = queue(player);
        AssignmentStream watch = watch(player);
        watch.awaitMessages(1);
        assertTrue(watch.messages.get(0).hasQueued(), "a status first: " + watch.messages);
        assertEquals(0, watch.messages.get(0).getQueued().getRequeueCount());

        Assignment assignment = assignment("match-live");
        long published = System.nanoTime();
        publishAsDirector(ticket, assignment);
        assertEquals(Status.Code.OK, watch.end.get(10, TimeUnit.SECONDS).getCode());
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - published);
        assertEquals(assignment, watch.assignment());
        assertTrue(tookMillis < 10_000, "delivered by the channel, not the 20 s poll: " + tookMillis + " ms");
    }

    @Test
    void cancelEndsTheStreamAndALateAssignmentIsRefusedAndReported() throws Exception {
        Session player = frontend.guest();
        String ticket = queue(player);
        AssignmentStream watch = watch(player);
        watch.awaitMessages(1);

        frontend.as(player).cancelMatch(CancelMatchRequest.getDefaultInstance());
        // The stream notices at its next check; the channel triggers one when the assignment lands,
        // so publish now: the race the contract describes (matched just before the cancel took effect).
        publishAsDirector(ticket, assignment("match-raced"));
        Status end = watch.end.get(25, TimeUnit.SECONDS);
        assertEquals(Status.Code.CANCELLED, end.getCode(), end.toString());
        assertTrue(
                watch.messages.stream().noneMatch(WatchAssignmentResponse::hasAssignment),
                "a cancelled player got an assignment");

        List<StreamEntry> refusals = awaitRefusal(ticket);
        assertEquals(player.getPlayerId(), refusals.get(0).getFields().get("player_id"));
        assertEquals("match-raced", refusals.get(0).getFields().get("match_id"));

        AssignmentStream after = watch(player);
        assertEquals(
                Status.Code.FAILED_PRECONDITION,
                after.end.get(10, TimeUnit.SECONDS).getCode());
    }

    /**
     * The player's match server died mid-match: they queue again (for any mode), get a new ticket
     * that is really in om-core's pools, wait without the dead match being handed out again, and
     * are matched again. A later cancel or new stream never resurrects either old assignment.
     */
    @Test
    void aPlayerWhoseMatchBrokeQueuesAgainAndIsMatchedAgain() throws Exception {
        Session player = frontend.guest();
        String first = queue(player);
        Assignment broken = assignment("match-broken");
        publishAsDirector(first, broken);
        assertEquals(broken, awaitAssignment(player));

        // The server dies; the client asks for a new match.
        FindMatchResponse again = frontend.as(player)
                .findMatch(FindMatchRequest.newBuilder().setRegion("eu").build());
        assertFalse(again.getAlreadyQueued(), "a finished wait must not count as still queued");
        String second = again.getTicketId();
        assertNotEquals(first, second);
        try (PoolProbe probe = new PoolProbe(omCore)) {
            probe.awaitPool(
                    GameMode.FOUR_V_FOUR,
                    "eu",
                    pool -> pool.stream().anyMatch(t -> t.getId().equals(second)),
                    "the new ticket");
        }
        AssignmentStream waiting = watch(player);
        waiting.awaitMessages(1);
        assertTrue(waiting.messages.get(0).hasQueued(), "waiting again, not the dead match: " + waiting.messages);

        Assignment rematch = assignment("match-rematch");
        publishAsDirector(second, rematch);
        assertEquals(Status.Code.OK, waiting.end.get(10, TimeUnit.SECONDS).getCode());
        assertEquals(rematch, waiting.assignment());

        // That server dies too; this time the player tries another mode, then gives up.
        String third = frontend.as(player)
                .findMatch(FindMatchRequest.newBuilder()
                        .setRegion("us")
                        .setMode(dev.trespasser.proto.frontend.v1.GameMode.GAME_MODE_2V2)
                        .build())
                .getTicketId();
        assertNotEquals(second, third);
        AssignmentStream giveUp = watch(player);
        giveUp.awaitMessages(1);
        frontend.as(player).cancelMatch(CancelMatchRequest.getDefaultInstance());
        frontend.redis()
                .publish("trespasser:assignments", second); // a stray repeat of the old publish wakes the stream
        Status cancelled = giveUp.end.get(25, TimeUnit.SECONDS);
        assertEquals(Status.Code.CANCELLED, cancelled.getCode(), cancelled.toString());
        assertTrue(
                giveUp.messages.stream().noneMatch(WatchAssignmentResponse::hasAssignment),
                "a dead match handed out again: " + giveUp.messages);
        AssignmentStream after = watch(player);
        assertEquals(
                Status.Code.FAILED_PRECONDITION,
                after.end.get(10, TimeUnit.SECONDS).getCode());
    }

    @Test
    void playersOwnAssignmentKeyWinsOverTheTicketKey() throws Exception {
        Session player = frontend.guest();
        String ticket = queue(player);
        Assignment own = assignment("match-own");
        frontend.redis()
                .set(
                        "trespasser:assignment:" + ticket + ":" + player.getPlayerId(),
                        JsonFormat.printer().print(own),
                        SetParams.setParams().ex(600));
        publishAsDirector(ticket, assignment("match-ticket-level"));
        AssignmentStream watch = watch(player);
        assertEquals(Status.Code.OK, watch.end.get(10, TimeUnit.SECONDS).getCode());
        assertEquals(own, watch.assignment());
    }

    @Test
    void watchingWithoutQueueingIsAFailedPrecondition() throws Exception {
        AssignmentStream watch = watch(frontend.guest());
        Status end = watch.end.get(10, TimeUnit.SECONDS);
        assertEquals(Status.Code.FAILED_PRECONDITION, end.getCode());
        assertTrue(end.getDescription().contains("FindMatch"));
    }

    @Test
    void malformedAssignmentIsNotDelivered() throws Exception {
        Session player = frontend.guest();
        String ticket = queue(player);
        frontend.redis()
                .set(
                        "trespasser:assignment:" + ticket,
                        "{not json",
                        SetParams.setParams().ex(600));
        frontend.redis().publish("trespasser:assignments", ticket);
        AssignmentStream watch = watch(player);
        watch.awaitMessages(1);
        assertTrue(watch.messages.get(0).hasQueued());
        assertEquals(null, watch.end.getNow(null), "stream still open, player still queued");
        frontend.as(player).cancelMatch(CancelMatchRequest.getDefaultInstance());
    }

    /**
     * Issue 13: one stream per player. Each new WatchAssignment of the same player ends the one
     * before it with ABORTED, so a client opening streams in a loop holds one at a time; another
     * player's stream is untouched, and the assignment goes to the newest stream.
     */
    @Test
    void aNewStreamOfThePlayerReplacesTheOldOneAndOnlyTheNewestGetsTheAssignment() throws Exception {
        Session player = frontend.guest();
        Session other = frontend.guest();
        String ticket = queue(player);
        queue(other);
        AssignmentStream othersStream = watch(other);
        othersStream.awaitMessages(1);

        List<AssignmentStream> streams = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            AssignmentStream stream = watch(player);
            stream.awaitMessages(1);
            streams.add(stream);
        }
        AssignmentStream newest = streams.remove(streams.size() - 1);
        for (AssignmentStream old : streams) {
            Status end = old.end.get(10, TimeUnit.SECONDS);
            assertEquals(Status.Code.ABORTED, end.getCode(), end.toString());
            assertTrue(end.getDescription().contains("newer WatchAssignment"), end.getDescription());
        }
        assertFalse(newest.end.isDone(), "the newest stream stays open: " + newest.end.getNow(null));
        assertFalse(othersStream.end.isDone(), "another player's stream is not touched");
        awaitStreamGaugeMatchesOpenStreams();

        Assignment assignment = assignment("match-newest");
        publishAsDirector(ticket, assignment);
        assertEquals(Status.Code.OK, newest.end.get(10, TimeUnit.SECONDS).getCode());
        assertEquals(assignment, newest.assignment());
        assertTrue(
                streams.stream().allMatch(s -> s.messages.stream().noneMatch(WatchAssignmentResponse::hasAssignment)),
                "only the newest stream got the assignment");
        frontend.as(other).cancelMatch(CancelMatchRequest.getDefaultInstance());
    }

    /** The trespasser_frontend_watch_streams gauge counts every replaced stream's end once. */
    private static void awaitStreamGaugeMatchesOpenStreams() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        double gauge = -1;
        int open = -1;
        while (System.nanoTime() < deadline) {
            gauge = frontend.registry().scrape().stream()
                    .filter(m -> m.getMetadata().getPrometheusName().equals("trespasser_frontend_watch_streams"))
                    .flatMap(m -> ((GaugeSnapshot) m).getDataPoints().stream())
                    .mapToDouble(GaugeSnapshot.GaugeDataPointSnapshot::getValue)
                    .sum();
            open = frontend.server().assignmentChannel().openStreams();
            if (gauge == open) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("watch_streams gauge " + gauge + " but " + open + " streams open");
    }

    @Test
    void waitingPastTheQueueTimeoutEndsTheStreamAndLeavesTheQueue() throws Exception {
        try (FrontendHarness quick = FrontendHarness.start(
                redis,
                omCore.grpcTarget(),
                Map.of("FRONTEND_QUEUE_TIMEOUT_MS", "1500", "FRONTEND_STATUS_INTERVAL_MS", "300"))) {
            Session player = quick.guest();
            quick.as(player)
                    .findMatch(FindMatchRequest.newBuilder().setRegion("eu").build());
            AssignmentStream watch = AssignmentStream.open(quick.asyncAs(player));
            Status end = watch.end.get(15, TimeUnit.SECONDS);
            assertEquals(Status.Code.DEADLINE_EXCEEDED, end.getCode(), end.toString());
            assertTrue(end.getDescription().contains("FindMatch"), end.getDescription());
            assertTrue(watch.messages.size() >= 2, "status updates while waiting: " + watch.messages);
            assertTrue(
                    quick.redis()
                            .hgetAll("trespasser:queue:" + player.getPlayerId())
                            .isEmpty(),
                    "left the queue");
        }
    }

    private static Assignment awaitAssignment(Session player) throws Exception {
        AssignmentStream watch = watch(player);
        assertEquals(Status.Code.OK, watch.end.get(10, TimeUnit.SECONDS).getCode());
        return watch.assignment();
    }

    private static String queue(Session player) {
        return frontend.as(player)
                .findMatch(FindMatchRequest.newBuilder().setRegion("eu").build())
                .getTicketId();
    }

    private static Assignment assignment(String matchId) {
        return Assignment.newBuilder()
                .setHost("10.0.0.7")
                .setPort(7777)
                .setToken("join-token-" + matchId)
                .setMatchId(matchId)
                .build();
    }

    /** Exactly what the director does, per the contract in frontend/README.md. */
    private static void publishAsDirector(String ticketId, Assignment assignment) throws Exception {
        frontend.redis()
                .set(
                        "trespasser:assignment:" + ticketId,
                        JsonFormat.printer().print(assignment),
                        SetParams.setParams().ex(600));
        frontend.redis().publish("trespasser:assignments", ticketId);
    }

    private static List<StreamEntry> awaitRefusal(String ticket) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            List<StreamEntry> entries = frontend.redis().xrange("trespasser:assignment-refusals", "-", "+").stream()
                    .filter(e -> ticket.equals(e.getFields().get("ticket_id")))
                    .toList();
            if (!entries.isEmpty()) {
                assertEquals(1, entries.size(), "reported once");
                return entries;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no refusal reported for " + ticket);
    }

    private static AssignmentStream watch(Session player) {
        return AssignmentStream.open(frontend.asyncAs(player));
    }
}
