package dev.trespasser.frontend.queue;

import static dev.trespasser.frontend.GrpcAssertions.assertCode;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Int64Value;
import com.google.protobuf.ListValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.trespasser.frontend.QueueStack;
import dev.trespasser.proto.DisplayNames;
import dev.trespasser.proto.GameMode;
import dev.trespasser.proto.TicketAttributes;
import dev.trespasser.proto.frontend.v1.CancelMatchRequest;
import dev.trespasser.proto.frontend.v1.FindMatchRequest;
import dev.trespasser.proto.frontend.v1.FindMatchResponse;
import dev.trespasser.proto.frontend.v1.Session;
import dev.trespasser.proto.openmatch2.Ticket;
import io.grpc.Status;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** FindMatch and CancelMatch against a real om-core: what they do is what the pools show. */
class QueueContractTest {

    @RegisterExtension
    static final QueueStack stack = QueueStack.perClass(Map.of(), Map.of("FRONTEND_FIND_MATCH_PER_MINUTE", "5"));

    @Test
    void findMatchPutsAnActiveTicketWithThePlayersRatingInThePool() throws InterruptedException {
        Session player = stack.frontend().registerFresh();
        stack.frontend().redis().hset("trespasser:player:" + player.getPlayerId(), "rating", "1712.5");
        FindMatchResponse queued = stack.frontend()
                .as(player)
                .findMatch(FindMatchRequest.newBuilder()
                        .setMode(dev.trespasser.proto.frontend.v1.GameMode.GAME_MODE_2V2)
                        .setRegion("us")
                        .build());
        assertFalse(queued.getAlreadyQueued());

        List<Ticket> pool = stack.probe()
                .awaitPool(
                        GameMode.TWO_V_TWO,
                        "us",
                        tickets -> tickets.stream().anyMatch(t -> t.getId().equals(queued.getTicketId())),
                        "the new ticket");
        Ticket ticket = pool.stream()
                .filter(t -> t.getId().equals(queued.getTicketId()))
                .findFirst()
                .orElseThrow();
        assertEquals(1712.5, ticket.getAttributes().getDoubleArgsOrThrow(TicketAttributes.RATING));
        assertTrue(ticket.getAttributes().getTagsList().contains("mode.2v2"));
        ListValue players = unpack(ticket, TicketAttributes.PLAYERS, ListValue.class);
        assertEquals(player.getPlayerId(), players.getValues(0).getStringValue());
        assertEquals(
                0,
                unpack(ticket, Matchmaking.REQUEUE_COUNT_EXTENSION, Int64Value.class)
                        .getValue());
        // The name the match will show, from the access token, keyed by the player it names.
        Struct names = unpack(ticket, TicketAttributes.PLAYER_NAMES, Struct.class);
        assertEquals(Map.of(player.getPlayerId(), player.getUsername()), stringFields(names));
        assertTrue(DisplayNames.problem(player.getUsername()).isEmpty(), player.getUsername());

        Map<String, String> entry = stack.frontend().redis().hgetAll("trespasser:queue:" + player.getPlayerId());
        assertEquals(queued.getTicketId(), entry.get("ticket_id"));
        assertEquals("2v2", entry.get("mode"));
        assertEquals("us", entry.get("region"));
        assertEquals("0", entry.get("requeue_count"));
        assertEquals(player.getUsername(), entry.get("display_name"), "kept for the tickets of a requeue");
        assertTrue(Long.parseLong(entry.get("enqueued_at")) > 0);
    }

    @Test
    void secondFindMatchReturnsTheSameTicketAndAnotherQueueIsRefused() {
        Session player = stack.frontend().guest();
        FindMatchResponse first = stack.frontend()
                .as(player)
                .findMatch(FindMatchRequest.newBuilder().setRegion("eu").build());
        FindMatchResponse again = stack.frontend()
                .as(player)
                .findMatch(FindMatchRequest.newBuilder()
                        .setMode(dev.trespasser.proto.frontend.v1.GameMode.GAME_MODE_4V4)
                        .setRegion("eu")
                        .build());
        assertEquals(first.getTicketId(), again.getTicketId());
        assertTrue(again.getAlreadyQueued());
        assertCode(
                Status.Code.FAILED_PRECONDITION,
                () -> stack.frontend()
                        .as(player)
                        .findMatch(FindMatchRequest.newBuilder().setRegion("us").build()));
    }

    @Test
    void cancelledTicketLeavesThePool() throws InterruptedException {
        Session player = stack.frontend().guest();
        String ticketId = stack.frontend()
                .as(player)
                .findMatch(FindMatchRequest.newBuilder().setRegion("eu").build())
                .getTicketId();
        stack.probe()
                .awaitPool(
                        GameMode.FOUR_V_FOUR,
                        "eu",
                        pool -> pool.stream().anyMatch(t -> t.getId().equals(ticketId)),
                        "the ticket before cancelling");

        stack.frontend().as(player).cancelMatch(CancelMatchRequest.getDefaultInstance());
        assertTrue(stack.frontend()
                .redis()
                .hgetAll("trespasser:queue:" + player.getPlayerId())
                .isEmpty());
        stack.probe()
                .awaitPool(
                        GameMode.FOUR_V_FOUR,
                        "eu",
                        pool -> pool.stream().noneMatch(t -> t.getId().equals(ticketId)),
                        "the ticket gone");
        // ...and it stays gone.
        for (int i = 0; i < 3; i++) {
            assertFalse(stack.probe().poolIds(GameMode.FOUR_V_FOUR, "eu").contains(ticketId));
        }
        // Cancelling when not queued is harmless; queueing again works.
        stack.frontend().as(player).cancelMatch(CancelMatchRequest.getDefaultInstance());
        String next = stack.frontend()
                .as(player)
                .findMatch(FindMatchRequest.newBuilder().setRegion("eu").build())
                .getTicketId();
        assertFalse(next.equals(ticketId));
    }

    @Test
    void unknownRegionAndModeAreInvalidArguments() {
        Session player = stack.frontend().guest();
        assertCode(
                Status.Code.INVALID_ARGUMENT,
                () -> stack.frontend()
                        .as(player)
                        .findMatch(
                                FindMatchRequest.newBuilder().setRegion("mars").build()));
        assertCode(
                Status.Code.INVALID_ARGUMENT,
                () -> stack.frontend()
                        .as(player)
                        .findMatch(FindMatchRequest.newBuilder().setRegion("").build()));
        assertCode(
                Status.Code.INVALID_ARGUMENT,
                () -> stack.frontend()
                        .as(player)
                        .findMatch(FindMatchRequest.newBuilder()
                                .setModeValue(99)
                                .setRegion("eu")
                                .build()));
        assertTrue(stack.frontend()
                .redis()
                .hgetAll("trespasser:queue:" + player.getPlayerId())
                .isEmpty());
    }

    @Test
    void findMatchFloodIsRateLimited() {
        Session player = stack.frontend().guest();
        FindMatchRequest request = FindMatchRequest.newBuilder().setRegion("eu").build();
        for (int i = 0; i < 5; i++) {
            stack.frontend().as(player).findMatch(request);
        }
        assertCode(
                Status.Code.RESOURCE_EXHAUSTED,
                () -> stack.frontend().as(player).findMatch(request));
        stack.frontend().as(player).cancelMatch(CancelMatchRequest.getDefaultInstance());
    }

    private static Map<String, String> stringFields(Struct struct) {
        Map<String, String> fields = new java.util.HashMap<>();
        struct.getFieldsMap().forEach((key, value) -> {
            assertEquals(Value.KindCase.STRING_VALUE, value.getKindCase(), key);
            fields.put(key, value.getStringValue());
        });
        return fields;
    }

    private static <T extends com.google.protobuf.Message> T unpack(Ticket ticket, String key, Class<T> type) {
        try {
            return ticket.getExtensionsOrThrow(key).unpack(type);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }
}
