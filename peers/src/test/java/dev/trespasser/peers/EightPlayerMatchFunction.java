package dev.trespasser.peers;

import dev.trespasser.proto.openmatch2.ChunkedMmfRunRequest;
import dev.trespasser.proto.openmatch2.Match;
import dev.trespasser.proto.openmatch2.MatchMakingFunctionServiceGrpc;
import dev.trespasser.proto.openmatch2.Roster;
import dev.trespasser.proto.openmatch2.StreamedMmfResponse;
import dev.trespasser.proto.openmatch2.Ticket;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The smallest honest MMF for the contract test: reads exactly num_chunks messages (om-core never
 * half-closes), reassembles the pools, and makes 4v4 matches from every 8 tickets it saw.
 * It records each run so the test can check what om-core sent, and completes its stream as soon
 * as its last match is sent.
 */
final class EightPlayerMatchFunction extends MatchMakingFunctionServiceGrpc.MatchMakingFunctionServiceImplBase
        implements AutoCloseable {

    /**
     * One Run as received: the ticket ids of each chunk in order, and how many matches it sent.
     */
    record Run(int numChunks, List<List<String>> chunkTicketIds, boolean clientHalfClosedFirst, int matchesSent) {
        int chunksRead() {
            return chunkTicketIds.size();
        }

        List<String> ticketIds() {
            return chunkTicketIds.stream().flatMap(List::stream).toList();
        }
    }

    final List<Run> runs = new CopyOnWriteArrayList<>();
    /** When false the function only records what it receives and returns no match. */
    volatile boolean matching = true;

    private final AtomicInteger matchCounter = new AtomicInteger();
    private final Server server;

    EightPlayerMatchFunction() {
        try {
            server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", FreePort.pick()))
                    .maxInboundMessageSize(16 * 1024 * 1024)
                    .addService(this)
                    .build()
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int port() {
        return server.getPort();
    }

    @Override
    public StreamObserver<ChunkedMmfRunRequest> run(StreamObserver<StreamedMmfResponse> matches) {
        return new StreamObserver<>() {
            private int numChunks = -1;
            private boolean done;
            private final List<Ticket> tickets = new ArrayList<>();
            private final List<List<String>> chunkTicketIds = new ArrayList<>();

            @Override
            public void onNext(ChunkedMmfRunRequest chunk) {
                if (done) {
                    return;
                }
                if (numChunks < 0) {
                    numChunks = chunk.getNumChunks();
                }
                List<String> ids = new ArrayList<>();
                chunk.getProfile().getPoolsMap().values().forEach(pool -> {
                    tickets.addAll(pool.getParticipants().getTicketsList());
                    pool.getParticipants().getTicketsList().forEach(ticket -> ids.add(ticket.getId()));
                });
                chunkTicketIds.add(ids);
                if (chunkTicketIds.size() >= numChunks) {
                    finish(false);
                }
            }

            @Override
            public void onError(Throwable t) {
                done = true;
            }

            @Override
            public void onCompleted() {
                if (!done) {
                    finish(true);
                }
            }

            private void finish(boolean halfClosedFirst) {
                done = true;
                int sent = 0;
                for (int start = 0; matching && start + 8 <= tickets.size(); start += 8, sent++) {
                    matches.onNext(StreamedMmfResponse.newBuilder()
                            .setMatch(Match.newBuilder()
                                    .setId("contract-" + matchCounter.incrementAndGet())
                                    .putRosters(
                                            "red",
                                            Roster.newBuilder()
                                                    .setName("red")
                                                    .addAllTickets(tickets.subList(start, start + 4))
                                                    .build())
                                    .putRosters(
                                            "blue",
                                            Roster.newBuilder()
                                                    .setName("blue")
                                                    .addAllTickets(tickets.subList(start + 4, start + 8))
                                                    .build()))
                            .build());
                }
                runs.add(new Run(numChunks, List.copyOf(chunkTicketIds), halfClosedFirst, sent));
                matches.onCompleted();
            }
        };
    }

    @Override
    public void close() throws InterruptedException {
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
}
