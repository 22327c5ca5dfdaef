package dev.trespasser.frontend.queue;

import static dev.trespasser.frontend.GrpcAssertions.assertCode;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Int64Value;
import dev.trespasser.frontend.FrontendHarness;
import dev.trespasser.frontend.QueueStack;
import dev.trespasser.peers.FreePort;
import dev.trespasser.peers.RedisServer;
import dev.trespasser.proto.GameMode;
import dev.trespasser.proto.TicketAttributes;
import dev.trespasser.proto.frontend.v1.FindMatchRequest;
import dev.trespasser.proto.frontend.v1.GetProfileRequest;
import dev.trespasser.proto.frontend.v1.Session;
import dev.trespasser.proto.openmatch2.Ticket;
import io.grpc.Status;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Tickets outlive om-core's TTL through requeues, proven with a 3 s TTL on both sides; and an
 * unreachable om-core is UNAVAILABLE with nothing left behind.
 */
class RequeueTest {

    private static final long TTL_MS = 3_000;

    @RegisterExtension
    static final QueueStack stack = QueueStack.perClass(
            Map.of("OM_CACHE_TICKET_TTL_MS", Long.toString(TTL_MS)),
            Map.of("FRONTEND_TICKET_TTL_MS", Long.toString(TTL_MS), "FRONTEND_SWEEP_INTERVAL_MS", "200"));

    @Test
    void ticketNearingTheTtlIsReplacedAndThePlayerNeverLeavesThePool() throws InterruptedException {
        Session player = stack.frontend().guest();
        String first = stack.frontend()
                .as(player)
                .findMatch(FindMatchRequest.newBuilder().setRegion("us").build())
                .getTicketId();
        long start = System.nanoTime();

        // For three TTLs the player's current ticket is in the pool, and it changes. A requeue
        // deactivates the old ticket before activating the new one (never two live tickets, so
        // never two matches), which can hide the player for a replication delay, well under 1 s.
        java.util.Set<String> seenTickets = new java.util.LinkedHashSet<>();
        java.util.Set<String> namesSeen = new java.util.HashSet<>();
        int requeuesSeen = 0;
        long longestAbsenceMillis = 0;
        long absentSince = -1;
        long end = start + TimeUnit.MILLISECONDS.toNanos(3 * TTL_MS);
        Thread.sleep(500);
        while (System.nanoTime() < end) {
            List<Ticket> mine = stack.probe().pool(GameMode.FOUR_V_FOUR, "us").stream()
                    .filter(t -> belongsTo(t, player))
                    .toList();
            long now = System.nanoTime();
            if (mine.isEmpty()) {
                absentSince = absentSince < 0 ? now : absentSince;
                longestAbsenceMillis = Math.max(longestAbsenceMillis, TimeUnit.NANOSECONDS.toMillis(now - absentSince));
            } else {
                absentSince = -1;
            }
            for (Ticket ticket : mine) {
                seenTickets.add(ticket.getId());
                namesSeen.add(nameIn(ticket, player));
                requeuesSeen = Math.max(requeuesSeen, (int) requeueCount(ticket));
            }
            Thread.sleep(100);
        }
        assertTrue(
                longestAbsenceMillis < 1_500,
                "the player vanished from the pool for " + longestAbsenceMillis
                        + " ms (an expired ticket would be gone for good); tickets seen " + seenTickets);
        stack.probe()
                .awaitPool(
                        GameMode.FOUR_V_FOUR,
                        "us",
                        pool -> pool.stream().anyMatch(t -> belongsTo(t, player)),
                        "the player still queued after three TTLs");
        assertTrue(seenTickets.contains(first));
        assertTrue(seenTickets.size() >= 3, "requeued at ~80% of each 3 s TTL: " + seenTickets);
        assertTrue(requeuesSeen >= 2, "requeue count carried in the ticket: " + requeuesSeen);
        assertEquals(
                java.util.Set.of(player.getUsername()),
                namesSeen,
                "every ticket of the wait carries the guest's name, the re-created ones too");
        Map<String, String> entry = stack.frontend().redis().hgetAll("trespasser:queue:" + player.getPlayerId());
        assertTrue(Integer.parseInt(entry.get("requeue_count")) >= 2, entry.toString());
        assertFalse(entry.get("ticket_id").equals(first));
    }

    @Test
    void ticketClaimedByTheDirectorIsNotRequeued() throws InterruptedException {
        Session player = stack.frontend().guest();
        String ticket = stack.frontend()
                .as(player)
                .findMatch(FindMatchRequest.newBuilder().setRegion("eu").build())
                .getTicketId();
        stack.frontend().redis().set("trespasser:claim:" + ticket, "match-being-allocated");
        Thread.sleep(TTL_MS);
        Map<String, String> entry = stack.frontend().redis().hgetAll("trespasser:queue:" + player.getPlayerId());
        assertEquals(ticket, entry.get("ticket_id"), "a claimed ticket belongs to the director until it decides");
        assertEquals("0", entry.get("requeue_count"));

        // The director handed it back (allocation failed, claim deleted): the sweeper takes over again.
        stack.frontend().redis().del("trespasser:claim:" + ticket);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (ticket.equals(stack.frontend().redis().hget("trespasser:queue:" + player.getPlayerId(), "ticket_id"))
                && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertFalse(
                ticket.equals(stack.frontend().redis().hget("trespasser:queue:" + player.getPlayerId(), "ticket_id")),
                "requeued once the claim is gone");
    }

    @Test
    void unreachableOmCoreIsUnavailableAndLeavesNoQueueEntry() {
        try (FrontendHarness cut = FrontendHarness.start(stack.redis(), "127.0.0.1:" + FreePort.pick(), Map.of())) {
            Session player = cut.guest();
            long start = System.nanoTime();
            Status status = assertCode(
                            Status.Code.UNAVAILABLE,
                            () -> cut.as(player)
                                    .findMatch(FindMatchRequest.newBuilder()
                                            .setRegion("eu")
                                            .build()))
                    .getStatus();
            assertTrue(status.getDescription().contains("om-core"), status.toString());
            assertTrue(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start) < 15, "retries are bounded");
            assertTrue(cut.redis()
                    .hgetAll("trespasser:queue:" + player.getPlayerId())
                    .isEmpty());
            // Reads that do not need om-core still work.
            assertEquals(
                    player.getPlayerId(),
                    cut.as(player)
                            .getProfile(GetProfileRequest.getDefaultInstance())
                            .getPlayerId());
            assertCode(
                    Status.Code.UNAVAILABLE,
                    () -> cut.as(player)
                            .findMatch(FindMatchRequest.newBuilder()
                                    .setRegion("eu")
                                    .build()));
        }
    }

    @Test
    void unreachableRedisIsUnavailable() {
        RedisServer doomed = RedisServer.start(FrontendHarness.PEER_LOGS);
        try (FrontendHarness cut = FrontendHarness.start(doomed, stack.omCore().grpcTarget(), Map.of())) {
            Session player = cut.guest();
            doomed.close();
            Status status = assertCode(
                            Status.Code.UNAVAILABLE,
                            () -> cut.anonymous()
                                    .loginGuest(
                                            dev.trespasser.proto.frontend.v1.LoginGuestRequest.getDefaultInstance()))
                    .getStatus();
            assertTrue(status.getDescription().contains("Redis"), status.toString());
            assertCode(
                    Status.Code.UNAVAILABLE,
                    () -> cut.as(player)
                            .findMatch(FindMatchRequest.newBuilder()
                                    .setRegion("eu")
                                    .build()));
        } finally {
            doomed.close();
        }
    }

    private static boolean belongsTo(Ticket ticket, Session player) {
        try {
            return ticket.getExtensionsOrThrow("players")
                    .unpack(com.google.protobuf.ListValue.class)
                    .getValues(0)
                    .getStringValue()
                    .equals(player.getPlayerId());
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }

    private static String nameIn(Ticket ticket, Session player) {
        try {
            return ticket.getExtensionsOrThrow(TicketAttributes.PLAYER_NAMES)
                    .unpack(com.google.protobuf.Struct.class)
                    .getFieldsOrThrow(player.getPlayerId())
                    .getStringValue();
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }

    private static long requeueCount(Ticket ticket) {
        try {
            return ticket.getExtensionsOrThrow(Matchmaking.REQUEUE_COUNT_EXTENSION)
                    .unpack(Int64Value.class)
                    .getValue();
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }
}
