package dev.trespasser.peers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.BytesValue;
import com.google.protobuf.StringValue;
import dev.trespasser.proto.openmatch2.ActivateTicketsRequest;
import dev.trespasser.proto.openmatch2.CreateTicketRequest;
import dev.trespasser.proto.openmatch2.Match;
import dev.trespasser.proto.openmatch2.MatchmakingFunctionSpec;
import dev.trespasser.proto.openmatch2.MmfRequest;
import dev.trespasser.proto.openmatch2.OpenMatchServiceGrpc;
import dev.trespasser.proto.openmatch2.Pool;
import dev.trespasser.proto.openmatch2.Profile;
import dev.trespasser.proto.openmatch2.Roster;
import dev.trespasser.proto.openmatch2.StreamedMmfResponse;
import dev.trespasser.proto.openmatch2.Ticket;
import io.grpc.ManagedChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Open Match 2 contract as the director, frontend and MMF rely on it, proven against a real
 * om-core with in-memory state and a real Java MMF server.
 */
class OpenMatchContractTest {
    private static OmCore omCore;
    private static EightPlayerMatchFunction mmf;
    private static ManagedChannel channel;
    private static OpenMatchServiceGrpc.OpenMatchServiceBlockingStub openMatch;

    @BeforeAll
    static void startPeers() {
        omCore = OmCore.start(Path.of("target/peer-logs"), Map.of("OM_MATCH_TICKET_DEACTIVATION_WAIT", "true"));
        mmf = new EightPlayerMatchFunction();
        channel = omCore.newChannel();
        openMatch = OpenMatchServiceGrpc.newBlockingStub(channel);
    }

    @AfterAll
    static void stopPeers() throws InterruptedException {
        if (channel != null) {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        if (mmf != null) {
            mmf.close();
        }
        if (omCore != null) {
            omCore.close();
        }
    }

    @Test
    void activatedTicketsAreMatchedOnceThenReturnAfterReactivation() throws InterruptedException {
        String queue = "contract." + UUID.randomUUID();
        List<String> ids = createAndActivate(queue, 8, 0);

        List<Match> first = invokeUntilMatched(queue, 1);
        assertEquals(1, first.size(), "one 4v4 match from eight tickets");
        assertEquals(Set.copyOf(ids), ticketIds(first.get(0)), "the match holds exactly our eight tickets");
        assertEquals(4, first.get(0).getRostersOrThrow("red").getTicketsCount());
        assertEquals(4, first.get(0).getRostersOrThrow("blue").getTicketsCount());

        // om-core deactivated every matched ticket: the next invocation does not offer them.
        List<Match> second = invoke(queue);
        assertTrue(second.isEmpty(), "matched tickets must not be matched again: " + second);
        EightPlayerMatchFunction.Run lastRun = mmf.runs.get(mmf.runs.size() - 1);
        assertTrue(lastRun.ticketIds().stream().noneMatch(ids::contains), "deactivated tickets reached the MMF");

        openMatch.activateTickets(ActivateTicketsRequest.newBuilder().addAllTicketIds(ids).build());
        List<Match> again = invokeUntilMatched(queue, 1);
        assertEquals(Set.copyOf(ids), ticketIds(again.get(0)), "reactivated tickets are matched again");
    }

    @Test
    void profileLargerThanOneMessageArrivesInChunksAndTheMmfReadsExactlyThoseChunks() throws InterruptedException {
        String queue = "contract." + UUID.randomUUID();
        // 48 tickets of ~200 kB make a ~9.6 MB profile: om-core splits it into 4 MB chunks.
        List<String> ids = createAndActivate(queue, 48, 200_000);
        int runsBefore = mmf.runs.size();

        // Activations replicate in batches, so the tickets may arrive over several invocations;
        // each must be matched exactly once.
        List<String> matched = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (matched.size() < ids.size() && System.nanoTime() < deadline) {
            invoke(queue).forEach(match -> matched.addAll(ticketIds(match)));
        }
        assertEquals(ids.size(), matched.size(), "every ticket matched exactly once: " + matched);
        assertEquals(Set.copyOf(ids), Set.copyOf(matched));

        List<EightPlayerMatchFunction.Run> runs = mmf.runs.subList(runsBefore, mmf.runs.size());
        assertTrue(runs.stream().anyMatch(run -> run.numChunks() >= 2),
                "a profile over 4 MB must arrive in several chunks: " + runs.stream().map(EightPlayerMatchFunction.Run::numChunks).toList());
        for (EightPlayerMatchFunction.Run run : runs) {
            assertEquals(run.numChunks(), run.chunksRead(), "the MMF reads exactly num_chunks messages");
            assertFalse(run.clientHalfClosedFirst(), "om-core half-closed; the MMF must not wait for that");
        }
    }

    private List<String> createAndActivate(String queue, int count, int payloadBytes) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Ticket.Builder ticket = Ticket.newBuilder()
                    .setAttributes(Ticket.FilterableData.newBuilder()
                            .addTags(queue)
                            .putStringArgs("region", "eu-west")
                            .putDoubleArgs("rating", 1500 + i))
                    .putExtensions("players", Any.pack(StringValue.of("player-" + i)));
            if (payloadBytes > 0) {
                ticket.putExtensions("payload", Any.pack(BytesValue.of(ByteString.copyFrom(new byte[payloadBytes]))));
            }
            String id = openMatch.createTicket(CreateTicketRequest.newBuilder().setTicket(ticket).build()).getTicketId();
            assertTrue(!id.isEmpty(), "om-core assigns the ticket id");
            ids.add(id);
        }
        openMatch.activateTickets(ActivateTicketsRequest.newBuilder().addAllTicketIds(ids).build());
        return ids;
    }

    /** Activation replicates asynchronously: invoke until the expected matches appear (bounded). */
    private List<Match> invokeUntilMatched(String queue, int expectedMatches) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        List<Match> matches = List.of();
        while (System.nanoTime() < deadline) {
            matches = invoke(queue);
            if (matches.size() >= expectedMatches) {
                return matches;
            }
            assertTrue(matches.isEmpty(), "the MMF matched only part of the tickets: " + matches.size());
            Thread.sleep(100);
        }
        throw new AssertionError("no match after 15 s; om-core log:\n" + omCore.process().logTail(40));
    }

    private List<Match> invoke(String queue) {
        MmfRequest request = MmfRequest.newBuilder()
                .setProfile(Profile.newBuilder()
                        .setName("contract.4v4")
                        .putPools("all", Pool.newBuilder()
                                .setName("all")
                                .addTagPresentFilters(Pool.TagPresentFilter.newBuilder().setTag(queue))
                                .build()))
                .addMmfs(MatchmakingFunctionSpec.newBuilder()
                        .setName("eight-player")
                        .setHost("http://127.0.0.1")
                        .setPort(mmf.port())
                        .setType(MatchmakingFunctionSpec.Type.GRPC))
                .build();
        List<Match> matches = new ArrayList<>();
        openMatch.withDeadlineAfter(20, TimeUnit.SECONDS).withMaxInboundMessageSize(16 * 1024 * 1024)
                .invokeMatchmakingFunctions(request)
                .forEachRemaining((StreamedMmfResponse response) -> matches.add(response.getMatch()));
        return matches;
    }

    private static Set<String> ticketIds(Match match) {
        Set<String> ids = new HashSet<>();
        for (Roster roster : match.getRostersMap().values()) {
            roster.getTicketsList().forEach(t -> ids.add(t.getId()));
        }
        return ids;
    }
}
