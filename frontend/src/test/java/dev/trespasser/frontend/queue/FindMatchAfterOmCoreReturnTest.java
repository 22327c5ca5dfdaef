package dev.trespasser.frontend.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trespasser.frontend.QueueStack;
import dev.trespasser.frontend.redis.RedisKeys;
import dev.trespasser.proto.GameMode;
import dev.trespasser.proto.frontend.v1.FindMatchRequest;
import dev.trespasser.proto.frontend.v1.FindMatchResponse;
import dev.trespasser.proto.frontend.v1.Session;
import dev.trespasser.proto.openmatch2.Ticket;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A player who asks again while their ticket may be lost (om-core came back since it was made)
 * gets a ticket om-core has at once, not the lost one; the reconcile is far away here (60 s).
 */
class FindMatchAfterOmCoreReturnTest {

    @RegisterExtension
    static final QueueStack stack = QueueStack.perClass(Map.of(), Map.of("FRONTEND_RECONCILE_INTERVAL_MS", "60000"));

    @Test
    void alreadyQueuedAnswerNamesATicketOmCoreHasAfterItCameBack() throws Exception {
        Session player = stack.frontend().guest();
        String first = findMatch(player).getTicketId();
        assertEquals(first, findMatch(player).getTicketId(), "nothing happened: the same ticket");

        stack.frontend()
                .redis()
                .set(RedisKeys.OM_CORE_TICKETS_LOST_BEFORE, Long.toString(System.currentTimeMillis() + 1));
        FindMatchResponse again = findMatch(player);

        assertTrue(again.getAlreadyQueued());
        assertNotEquals(first, again.getTicketId());
        assertEquals(
                again.getTicketId(),
                stack.frontend().redis().hget(RedisKeys.queueEntry(player.getPlayerId()), "ticket_id"));
        stack.probe()
                .awaitPool(
                        GameMode.FOUR_V_FOUR,
                        "eu",
                        pool -> pool.stream().map(Ticket::getId).anyMatch(again.getTicketId()::equals)
                                && pool.stream().map(Ticket::getId).noneMatch(first::equals),
                        "the new ticket active, the old one gone");
        assertEquals(again.getTicketId(), findMatch(player).getTicketId(), "and it stays");
    }

    private static FindMatchResponse findMatch(Session player) {
        return stack.frontend()
                .as(player)
                .findMatch(FindMatchRequest.newBuilder().setRegion("eu").build());
    }
}
