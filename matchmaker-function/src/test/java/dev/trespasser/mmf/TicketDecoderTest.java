package dev.trespasser.mmf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Any;
import com.google.protobuf.Int64Value;
import com.google.protobuf.Timestamp;
import dev.trespasser.mmf.matching.QueuedTicket;
import dev.trespasser.proto.GameMode;
import dev.trespasser.proto.TicketAttributes;
import dev.trespasser.proto.openmatch2.Ticket;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class TicketDecoderTest {

    private static final Instant NOW = Requests.NOW;

    private static Any timestamp(Instant instant) {
        return Any.pack(Timestamp.newBuilder()
                .setSeconds(instant.getEpochSecond())
                .setNanos(instant.getNano())
                .build());
    }

    @Test
    void aFrontendTicketDecodesToItsPartyRatingModeAndRegion() throws Exception {
        Ticket ticket =
                TicketAttributes.newTicket(GameMode.TWO_V_TWO, "na", 1612.5, List.of("alice", "bob")).toBuilder()
                        .setId("t1")
                        .build();
        QueuedTicket decoded = TicketDecoder.decode(ticket, NOW);
        assertEquals(new QueuedTicket("t1", List.of("alice", "bob"), 1612.5, GameMode.TWO_V_TWO, "na", NOW), decoded);
    }

    @Test
    void aTicketWithoutModeTagIsFourVersusFour() throws Exception {
        Ticket ticket = Requests.solo("t", 1500);
        Ticket untagged = ticket.toBuilder()
                .setAttributes(ticket.getAttributes().toBuilder().clearTags().addTags("beta"))
                .build();
        assertEquals(GameMode.FOUR_V_FOUR, TicketDecoder.decode(untagged, NOW).mode());
    }

    @Test
    void theWaitOfARequeuedTicketCountsFromWhenThePlayerFirstQueued() throws Exception {
        Ticket requeued = Requests.ticket("t", GameMode.FOUR_V_FOUR, 1500, 1, 5).toBuilder()
                .putExtensions(TicketAttributes.QUEUED_SINCE, timestamp(NOW.minusSeconds(400)))
                .putExtensions("requeue_count", Any.pack(Int64Value.of(1)))
                .build();
        assertEquals(NOW.minusSeconds(400), TicketDecoder.decode(requeued, NOW).enqueuedAt());
        // A queued_since after creation cannot shorten the wait either.
        Ticket later = Requests.ticket("t", GameMode.FOUR_V_FOUR, 1500, 1, 5).toBuilder()
                .putExtensions(TicketAttributes.QUEUED_SINCE, timestamp(NOW))
                .build();
        assertEquals(NOW.minusSeconds(5), TicketDecoder.decode(later, NOW).enqueuedAt());
    }

    @Test
    void malformedValuesAreNamedInTheError() {
        Ticket ticket = Requests.solo("t", 1500);
        InvalidTicketException queuedSince = assertThrows(
                InvalidTicketException.class,
                () -> TicketDecoder.decode(
                        ticket.toBuilder()
                                .putExtensions(TicketAttributes.QUEUED_SINCE, Any.pack(Int64Value.of(3)))
                                .build(),
                        NOW));
        assertTrue(queuedSince.getMessage().contains("queued_since"), queuedSince.getMessage());
        Ticket outOfRange = ticket.toBuilder()
                .setAttributes(ticket.getAttributes().toBuilder()
                        .setCreationTime(Timestamp.newBuilder().setSeconds(Long.MAX_VALUE)))
                .build();
        InvalidTicketException time =
                assertThrows(InvalidTicketException.class, () -> TicketDecoder.decode(outOfRange, NOW));
        assertTrue(time.getMessage().contains("creation_time"), time.getMessage());
        Ticket longId = ticket.toBuilder().setId("x".repeat(1000)).build();
        InvalidTicketException id = assertThrows(InvalidTicketException.class, () -> TicketDecoder.decode(longId, NOW));
        assertTrue(id.getMessage().length() < 100, "a hostile id is not echoed in full");
    }
}
