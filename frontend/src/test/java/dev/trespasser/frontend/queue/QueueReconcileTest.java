package dev.trespasser.frontend.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Int64Value;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.trespasser.frontend.FrontendHarness;
import dev.trespasser.frontend.PoolProbe;
import dev.trespasser.frontend.QueueStack;
import dev.trespasser.frontend.redis.RedisKeys;
import dev.trespasser.proto.GameMode;
import dev.trespasser.proto.RedisNames;
import dev.trespasser.proto.frontend.v1.FindMatchRequest;
import dev.trespasser.proto.frontend.v1.Session;
import dev.trespasser.proto.openmatch2.DeactivateTicketsRequest;
import dev.trespasser.proto.openmatch2.OpenMatchServiceGrpc;
import dev.trespasser.proto.openmatch2.Ticket;
import io.grpc.ManagedChannel;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The queue reconcile against a real om-core and Redis (300 ms passes): a ticket om-core holds
 * inactive with no director working on it goes back into the pools; one a director claimed is left
 * alone until the claim is gone; tickets om-core may have lost (created before it was seen coming
 * back) are replaced, keeping the player's wait.
 */
class QueueReconcileTest {

    private static QueueStack stack;
    private static PoolProbe probe;
    private static FrontendHarness frontend;
    private static ManagedChannel omCoreChannel;
    private static OpenMatchServiceGrpc.OpenMatchServiceBlockingStub openMatch;

    @BeforeAll
    static void start() {
        stack = QueueStack.start(Map.of(), Map.of("FRONTEND_RECONCILE_INTERVAL_MS", "300"));
        probe = stack.probe();
        frontend = stack.frontend();
        omCoreChannel = stack.omCore().newChannel();
        openMatch = OpenMatchServiceGrpc.newBlockingStub(omCoreChannel);
    }

    @AfterAll
    static void stop() {
        if (omCoreChannel != null) {
            omCoreChannel.shutdownNow();
        }
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void ticketLeftInactiveWithNoDirectorOnItIsBackInThePoolWithinSeconds() throws Exception {
        Session player = frontend.guest();
        String ticket = queue(player, "eu");
        probe.awaitPool(GameMode.FOUR_V_FOUR, "eu", pool -> ids(pool).contains(ticket), "the new ticket");

        // What om-core does to the tickets of a match it returns; the director then died unseen.
        // Nothing but the reconcile activates it again (the pass may even beat the probe to it).
        openMatch.deactivateTickets(
                DeactivateTicketsRequest.newBuilder().addTicketIds(ticket).build());
        long gone = System.nanoTime();
        Thread.sleep(1_000);

        probe.awaitPool(GameMode.FOUR_V_FOUR, "eu", pool -> ids(pool).contains(ticket), "the ticket re-activated");
        long tookMillis = (System.nanoTime() - gone) / 1_000_000;
        assertTrue(tookMillis < 3_000, "back in the pool " + tookMillis + " ms after its deactivation");
        assertEquals(
                ticket,
                frontend.redis().hget(RedisKeys.queueEntry(player.getPlayerId()), "ticket_id"),
                "the same ticket: om-core still had it");
    }

    @Test
    void ticketClaimedByADirectorIsLeftAloneUntilTheClaimIsGone() throws Exception {
        Session player = frontend.guest();
        String ticket = queue(player, "us");
        probe.awaitPool(GameMode.FOUR_V_FOUR, "us", pool -> ids(pool).contains(ticket), "the new ticket");

        frontend.redis().set(RedisNames.ticketClaim(ticket), "m-being-placed");
        openMatch.deactivateTickets(
                DeactivateTicketsRequest.newBuilder().addTicketIds(ticket).build());
        probe.awaitPool(GameMode.FOUR_V_FOUR, "us", pool -> !ids(pool).contains(ticket), "the ticket deactivated");
        Thread.sleep(2_000);
        assertFalse(
                ids(probe.pool(GameMode.FOUR_V_FOUR, "us")).contains(ticket),
                "a claimed ticket belongs to the director placing its match");

        // The director died: its claim lapses, and the ticket goes back.
        frontend.redis().del(RedisNames.ticketClaim(ticket));
        probe.awaitPool(GameMode.FOUR_V_FOUR, "us", pool -> ids(pool).contains(ticket), "the ticket re-activated");
    }

    @Test
    void ticketsCreatedBeforeOmCoreCameBackAreReplacedKeepingTheWait() throws Exception {
        Session player = frontend.guest();
        String ticket = queue(player, "eu");
        probe.awaitPool(GameMode.FOUR_V_FOUR, "eu", pool -> ids(pool).contains(ticket), "the new ticket");
        String enqueuedAt = frontend.redis().hget(RedisKeys.queueEntry(player.getPlayerId()), "enqueued_at");

        // What OmCoreReconnects records when the connection comes back after a loss.
        frontend.redis().set(RedisKeys.OM_CORE_TICKETS_LOST_BEFORE, Long.toString(System.currentTimeMillis()));

        List<Ticket> pool = probe.awaitPool(
                GameMode.FOUR_V_FOUR,
                "eu",
                p -> p.stream()
                        .anyMatch(t -> owner(t).equals(player.getPlayerId())
                                && !t.getId().equals(ticket)),
                "a new ticket for the player");
        Ticket replacement = pool.stream()
                .filter(t -> owner(t).equals(player.getPlayerId()))
                .findFirst()
                .orElseThrow();
        assertNotEquals(ticket, replacement.getId());
        assertEquals(
                1,
                replacement
                        .getExtensionsOrThrow(Matchmaking.REQUEUE_COUNT_EXTENSION)
                        .unpack(Int64Value.class)
                        .getValue());
        Map<String, String> entry = frontend.redis().hgetAll(RedisKeys.queueEntry(player.getPlayerId()));
        assertEquals(replacement.getId(), entry.get("ticket_id"));
        assertEquals(enqueuedAt, entry.get("enqueued_at"), "the wait goes on");
        probe.awaitPool(GameMode.FOUR_V_FOUR, "eu", p -> !ids(p).contains(ticket), "the old ticket retired");
        // FindMatch now names the ticket om-core has.
        assertEquals(replacement.getId(), queue(player, "eu"));
    }

    private static String queue(Session player, String region) {
        return frontend.as(player)
                .findMatch(FindMatchRequest.newBuilder().setRegion(region).build())
                .getTicketId();
    }

    private static List<String> ids(List<Ticket> pool) {
        return pool.stream().map(Ticket::getId).toList();
    }

    private static String owner(Ticket ticket) {
        try {
            return ticket.getExtensionsOrThrow("players")
                    .unpack(com.google.protobuf.ListValue.class)
                    .getValues(0)
                    .getStringValue();
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }
}
