package dev.trespasser.frontend;

import dev.trespasser.peers.FreePort;
import dev.trespasser.peers.OmCore;
import dev.trespasser.proto.GameMode;
import dev.trespasser.proto.TicketAttributes;
import dev.trespasser.proto.openmatch2.ChunkedMmfRunRequest;
import dev.trespasser.proto.openmatch2.MatchMakingFunctionServiceGrpc;
import dev.trespasser.proto.openmatch2.MatchmakingFunctionSpec;
import dev.trespasser.proto.openmatch2.MmfRequest;
import dev.trespasser.proto.openmatch2.OpenMatchServiceGrpc;
import dev.trespasser.proto.openmatch2.Pool;
import dev.trespasser.proto.openmatch2.Profile;
import dev.trespasser.proto.openmatch2.StreamedMmfResponse;
import dev.trespasser.proto.openmatch2.Ticket;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Shows what is in om-core's pools: invokes om-core with a profile for one mode and region and a
 * tiny in-test MMF that returns no match, only records the tickets om-core handed it.
 */
public final class PoolProbe extends MatchMakingFunctionServiceGrpc.MatchMakingFunctionServiceImplBase
        implements AutoCloseable {

    private volatile Consumer<List<Ticket>> sightings = tickets -> {};

    private final Map<String, List<Ticket>> seenByProfile = new ConcurrentHashMap<>();
    private final Server server;
    private final ManagedChannel omCoreChannel;
    private final OpenMatchServiceGrpc.OpenMatchServiceBlockingStub openMatch;

    public PoolProbe(OmCore omCore) {
        try {
            server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", FreePort.pick()))
                    .addService(this)
                    .build()
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        omCoreChannel = omCore.newChannel();
        openMatch = OpenMatchServiceGrpc.newBlockingStub(omCoreChannel);
    }

    /** One invocation: the tickets om-core considers active for this mode and region right now. */
    public List<Ticket> pool(GameMode mode, String region) {
        String profile = "probe-" + UUID.randomUUID();
        MmfRequest request = MmfRequest.newBuilder()
                .setProfile(Profile.newBuilder()
                        .setName(profile)
                        .putPools(
                                "all",
                                Pool.newBuilder()
                                        .setName("all")
                                        .addTagPresentFilters(Pool.TagPresentFilter.newBuilder()
                                                .setTag(TicketAttributes.modeTag(mode)))
                                        .addStringEqualsFilters(Pool.StringEqualsFilter.newBuilder()
                                                .setStringArg(TicketAttributes.REGION)
                                                .setValue(region))
                                        .build()))
                .addMmfs(MatchmakingFunctionSpec.newBuilder()
                        .setName("probe")
                        .setHost("http://127.0.0.1")
                        .setPort(server.getPort())
                        .setType(MatchmakingFunctionSpec.Type.GRPC))
                .build();
        openMatch
                .withDeadlineAfter(20, TimeUnit.SECONDS)
                .invokeMatchmakingFunctions(request)
                .forEachRemaining(response -> {
                    throw new AssertionError("the probe returns no matches, yet got " + response);
                });
        // om-core omits empty pools, and may not call the MMF at all when nothing is queued.
        List<Ticket> seen = seenByProfile.remove(profile);
        return seen == null ? List.of() : seen;
    }

    /** Called with the tickets of every invocation the moment their last chunk arrives (benchmarks time it). */
    public void onSighting(Consumer<List<Ticket>> listener) {
        this.sightings = listener;
    }

    public List<String> poolIds(GameMode mode, String region) {
        return pool(mode, region).stream().map(Ticket::getId).toList();
    }

    /** Invokes until the pool satisfies the condition (replication takes a few hundred ms), or fails. */
    public List<Ticket> awaitPool(GameMode mode, String region, Predicate<List<Ticket>> condition, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        List<Ticket> pool = List.of();
        while (System.nanoTime() < deadline) {
            pool = pool(mode, region);
            if (condition.test(pool)) {
                return pool;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("pool never showed " + what + "; last: "
                + pool.stream().map(Ticket::getId).toList());
    }

    @Override
    public StreamObserver<ChunkedMmfRunRequest> run(StreamObserver<StreamedMmfResponse> matches) {
        return new StreamObserver<>() {
            private int numChunks = -1;
            private int read;
            private final List<Ticket> tickets = new ArrayList<>();
            private String profile;

            @Override
            public void onNext(ChunkedMmfRunRequest chunk) {
                if (numChunks >= 0 && read >= numChunks) {
                    return;
                }
                if (numChunks < 0) {
                    numChunks = chunk.getNumChunks();
                    profile = chunk.getProfile().getName();
                }
                read++;
                chunk.getProfile()
                        .getPoolsMap()
                        .values()
                        .forEach(p -> tickets.addAll(p.getParticipants().getTicketsList()));
                if (read >= numChunks) {
                    List<Ticket> seen = List.copyOf(tickets);
                    sightings.accept(seen);
                    seenByProfile.put(profile, seen);
                    matches.onCompleted();
                }
            }

            @Override
            public void onError(Throwable t) {
                // om-core gave up on the run; nothing recorded
            }

            @Override
            public void onCompleted() {
                // om-core never half-closes; handled by counting chunks
            }
        };
    }

    @Override
    public void close() {
        omCoreChannel.shutdownNow();
        try {
            server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
