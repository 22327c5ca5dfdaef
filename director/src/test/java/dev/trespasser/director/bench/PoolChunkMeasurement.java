package dev.trespasser.director.bench;

import com.google.protobuf.Any;
import com.google.protobuf.Int64Value;
import com.google.protobuf.util.Timestamps;
import dev.trespasser.director.profiles.MatchProfile;
import dev.trespasser.peers.FreePort;
import dev.trespasser.peers.OmCore;
import dev.trespasser.proto.GameMode;
import dev.trespasser.proto.TicketAttributes;
import dev.trespasser.proto.openmatch2.ActivateTicketsRequest;
import dev.trespasser.proto.openmatch2.ChunkedMmfRunRequest;
import dev.trespasser.proto.openmatch2.CreateTicketRequest;
import dev.trespasser.proto.openmatch2.MatchMakingFunctionServiceGrpc;
import dev.trespasser.proto.openmatch2.MatchmakingFunctionSpec;
import dev.trespasser.proto.openmatch2.MmfRequest;
import dev.trespasser.proto.openmatch2.OpenMatchServiceGrpc;
import dev.trespasser.proto.openmatch2.StreamedMmfResponse;
import dev.trespasser.proto.openmatch2.Ticket;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * How many tickets of the shape the frontend creates fit in one chunk of a real om-core's MMF
 * request: the figure behind the director's profile slicing (director/README.md, "Profiles").
 * Queues N tickets in one (mode, region) pool, invokes once with an MMF that records num_chunks
 * and the size of each chunk's message, and prints them. om-core's chunk defect (docs/peers.md)
 * makes every chunk carry the last chunk's roster, so tickets per full chunk are derived as
 * (N - last chunk) / (num_chunks - 1), and checked against the message sizes.
 *
 * <p>Run: see docs/benchmarks.md, "Tickets per om-core chunk".
 */
public final class PoolChunkMeasurement {

    public static void main(String[] args) throws Exception {
        int tickets = args.length > 0 ? Integer.parseInt(args[0]) : 30_000;
        try (OmCore omCore = OmCore.start(Path.of("target/peer-logs"), Map.of())) {
            CompletableFuture<List<ChunkedMmfRunRequest>> received = new CompletableFuture<>();
            Server mmf = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", FreePort.pick()))
                    .maxInboundMessageSize(16 * 1024 * 1024)
                    .addService(new MatchMakingFunctionServiceGrpc.MatchMakingFunctionServiceImplBase() {
                        @Override
                        public StreamObserver<ChunkedMmfRunRequest> run(StreamObserver<StreamedMmfResponse> out) {
                            List<ChunkedMmfRunRequest> chunks = new ArrayList<>();
                            return new StreamObserver<>() {
                                @Override
                                public void onNext(ChunkedMmfRunRequest chunk) {
                                    chunks.add(chunk);
                                    if (chunks.size() == chunk.getNumChunks()) {
                                        received.complete(chunks);
                                        out.onCompleted();
                                    }
                                }

                                @Override
                                public void onError(Throwable t) {}

                                @Override
                                public void onCompleted() {}
                            };
                        }
                    })
                    .build()
                    .start();
            ManagedChannel channel = omCore.newChannel();
            try {
                var openMatch = OpenMatchServiceGrpc.newBlockingStub(channel);
                var creating = OpenMatchServiceGrpc.newFutureStub(channel);
                List<String> ids = new ArrayList<>();
                // om-core answers CreateTicket after its replication batch (~50 ms here): keep many in flight.
                List<
                                com.google.common.util.concurrent.ListenableFuture<
                                        dev.trespasser.proto.openmatch2.CreateTicketResponse>>
                        inFlight = new ArrayList<>();
                long now = System.currentTimeMillis();
                for (int i = 0; i < tickets; i++) {
                    // As the frontend's Matchmaking.ticket(...) builds it: one player, a UUID id.
                    Ticket ticket = TicketAttributes.newTicket(
                                    GameMode.FOUR_V_FOUR,
                                    "eu",
                                    1000 + (i % 1000),
                                    List.of(UUID.randomUUID().toString()))
                            .toBuilder()
                            .putExtensions("requeue_count", Any.pack(Int64Value.of(0)))
                            .putExtensions(TicketAttributes.QUEUED_SINCE, Any.pack(Timestamps.fromMillis(now)))
                            .build();
                    inFlight.add(creating.createTicket(
                            CreateTicketRequest.newBuilder().setTicket(ticket).build()));
                    if (inFlight.size() == 1_000 || i == tickets - 1) {
                        for (var created : inFlight) {
                            ids.add(created.get(60, TimeUnit.SECONDS).getTicketId());
                        }
                        inFlight.clear();
                    }
                }
                for (int from = 0; from < ids.size(); from += 500) {
                    openMatch.activateTickets(ActivateTicketsRequest.newBuilder()
                            .addAllTicketIds(ids.subList(from, Math.min(ids.size(), from + 500)))
                            .build());
                }
                Thread.sleep(3_000); // replication, with OmCore.FAST_REPLICATION
                MmfRequest request = MmfRequest.newBuilder()
                        .setProfile(MatchProfile.unsliced(GameMode.FOUR_V_FOUR, "eu")
                                .toProfile())
                        .addMmfs(MatchmakingFunctionSpec.newBuilder()
                                .setName("measure")
                                .setHost("http://127.0.0.1")
                                .setPort(mmf.getPort())
                                .setType(MatchmakingFunctionSpec.Type.GRPC))
                        .build();
                openMatch
                        .withDeadlineAfter(60, TimeUnit.SECONDS)
                        .invokeMatchmakingFunctions(request)
                        .forEachRemaining(r -> {});
                List<ChunkedMmfRunRequest> chunks = received.get(60, TimeUnit.SECONDS);
                int last = chunks.get(chunks.size() - 1)
                        .getProfile()
                        .getPoolsOrThrow(MatchProfile.POOL_NAME)
                        .getParticipants()
                        .getTicketsCount();
                Ticket sample = chunks.get(0)
                        .getProfile()
                        .getPoolsOrThrow(MatchProfile.POOL_NAME)
                        .getParticipants()
                        .getTickets(0);
                System.out.printf("tickets queued: %,d%n", tickets);
                System.out.printf(
                        "num_chunks: %d; chunk message sizes (bytes): %s%n",
                        chunks.size(),
                        chunks.stream()
                                .map(c -> String.format("%,d", c.getSerializedSize()))
                                .toList());
                System.out.printf("tickets in the last chunk: %,d%n", last);
                if (chunks.size() > 1) {
                    System.out.printf("tickets per full chunk: %,d%n", (tickets - last) / (chunks.size() - 1));
                }
                System.out.printf(
                        "one ticket as om-core sends it: %,d bytes (4,000,000 / that = %,d)%n",
                        sample.getSerializedSize(), 4_000_000 / sample.getSerializedSize());
            } finally {
                channel.shutdownNow();
                mmf.shutdownNow();
            }
        }
    }
}
