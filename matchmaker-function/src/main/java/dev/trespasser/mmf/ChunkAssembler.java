package dev.trespasser.mmf;

import dev.trespasser.proto.openmatch2.ChunkedMmfRunRequest;
import dev.trespasser.proto.openmatch2.Pool;
import dev.trespasser.proto.openmatch2.Ticket;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects the chunks of one Run. om-core never half-closes its side of the stream, so the first
 * chunk's num_chunks is the only way to know the request is complete; every later chunk must
 * agree with it.
 */
final class ChunkAssembler {

    private final int maxChunks;
    private final int maxTickets;
    private final Map<String, List<Ticket>> pools = new HashMap<>();
    private int expected;
    private int received;
    private int tickets;
    private String profileName;

    ChunkAssembler(int maxChunks, int maxTickets) {
        this.maxChunks = maxChunks;
        this.maxTickets = maxTickets;
    }

    /** Adds one chunk; true once all of them have arrived. */
    boolean add(ChunkedMmfRunRequest chunk) throws InvalidRunException {
        if (isComplete()) {
            throw new IllegalStateException("all " + expected + " chunks already received");
        }
        int ordinal = received + 1;
        if (received == 0) {
            if (chunk.getNumChunks() <= 0) {
                throw new InvalidRunException("num_chunks must be positive, got " + chunk.getNumChunks());
            }
            if (chunk.getNumChunks() > maxChunks) {
                throw new InvalidRunException(
                        "num_chunks " + chunk.getNumChunks() + " exceeds the limit of " + maxChunks);
            }
            expected = chunk.getNumChunks();
        } else if (chunk.getNumChunks() != expected) {
            throw new InvalidRunException(
                    "chunk " + ordinal + " says num_chunks=" + chunk.getNumChunks() + " but chunk 1 said " + expected);
        }
        if (!chunk.hasProfile()) {
            throw new InvalidRunException("chunk " + ordinal + " carries no profile");
        }
        String name = chunk.getProfile().getName();
        if (received == 0) {
            profileName = name;
        } else if (!profileName.equals(name)) {
            throw new InvalidRunException(
                    "chunk " + ordinal + " is for profile '" + name + "', chunk 1 for '" + profileName + "'");
        }
        for (Map.Entry<String, Pool> pool : chunk.getProfile().getPoolsMap().entrySet()) {
            List<Ticket> participants = pool.getValue().getParticipants().getTicketsList();
            tickets += participants.size();
            if (tickets > maxTickets) {
                throw new InvalidRunException(
                        "profile '" + profileName + "' holds more than " + maxTickets + " tickets");
            }
            pools.computeIfAbsent(pool.getKey(), k -> new ArrayList<>()).addAll(participants);
        }
        received++;
        return isComplete();
    }

    boolean isComplete() {
        return received > 0 && received == expected;
    }

    int received() {
        return received;
    }

    /** num_chunks from the first chunk, or 0 before it. */
    int expected() {
        return expected;
    }

    AssembledProfile profile() {
        if (!isComplete()) {
            throw new IllegalStateException("only " + received + " of " + expected + " chunks received");
        }
        return new AssembledProfile(profileName, pools);
    }
}
