package dev.trespasser.mmf;

import com.google.protobuf.Timestamp;
import dev.trespasser.proto.GameMode;
import dev.trespasser.proto.TicketAttributes;
import dev.trespasser.proto.openmatch2.ChunkedMmfRunRequest;
import dev.trespasser.proto.openmatch2.Pool;
import dev.trespasser.proto.openmatch2.Profile;
import dev.trespasser.proto.openmatch2.Roster;
import dev.trespasser.proto.openmatch2.Ticket;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds tickets and chunked Run requests as om-core sends them. */
final class Requests {

    static final Instant NOW = Instant.parse("2026-11-21T12:00:00Z");

    private Requests() {}

    /** A ticket as om-core holds it: id and creation time set, our attributes inside. */
    static Ticket ticket(String id, GameMode mode, double rating, int players, long waitedSeconds) {
        List<String> playerIds = new ArrayList<>();
        for (int i = 0; i < players; i++) {
            playerIds.add(id + "/p" + i);
        }
        Ticket created = TicketAttributes.newTicket(mode, "eu", rating, playerIds);
        Instant enqueued = NOW.minusSeconds(waitedSeconds);
        return created.toBuilder()
                .setId(id)
                .setAttributes(created.getAttributes().toBuilder()
                        .setCreationTime(Timestamp.newBuilder()
                                .setSeconds(enqueued.getEpochSecond())
                                .setNanos(enqueued.getNano())))
                .build();
    }

    static Ticket solo(String id, double rating) {
        return ticket(id, GameMode.FOUR_V_FOUR, rating, 1, 10);
    }

    static List<Ticket> solos(String prefix, int count) {
        List<Ticket> tickets = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            tickets.add(solo(prefix + i, 1500 + i));
        }
        return tickets;
    }

    /** One chunk holding the given pools. */
    static ChunkedMmfRunRequest chunk(String profile, int numChunks, Map<String, List<Ticket>> pools) {
        Profile.Builder builder = Profile.newBuilder().setName(profile);
        for (Map.Entry<String, List<Ticket>> pool : pools.entrySet()) {
            builder.putPools(
                    pool.getKey(),
                    Pool.newBuilder()
                            .setParticipants(Roster.newBuilder()
                                    .setName(pool.getKey() + "_roster")
                                    .addAllTickets(pool.getValue()))
                            .build());
        }
        return ChunkedMmfRunRequest.newBuilder()
                .setProfile(builder)
                .setNumChunks(numChunks)
                .build();
    }

    /** Splits one pool's tickets over {@code numChunks} chunks, as om-core does for big pools. */
    static List<ChunkedMmfRunRequest> chunked(String profile, String pool, List<Ticket> tickets, int numChunks) {
        List<ChunkedMmfRunRequest> chunks = new ArrayList<>();
        int per = (tickets.size() + numChunks - 1) / numChunks;
        for (int c = 0; c < numChunks; c++) {
            List<Ticket> part =
                    tickets.subList(Math.min(tickets.size(), c * per), Math.min(tickets.size(), (c + 1) * per));
            Map<String, List<Ticket>> pools = new LinkedHashMap<>();
            pools.put(pool, part);
            chunks.add(chunk(profile, numChunks, pools));
        }
        return chunks;
    }
}
