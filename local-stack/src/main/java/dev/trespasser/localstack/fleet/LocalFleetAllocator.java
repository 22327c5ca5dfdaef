package dev.trespasser.localstack.fleet;

import dev.trespasser.director.allocation.AllocationMetadata;
import dev.trespasser.director.allocation.AllocationResult;
import dev.trespasser.director.allocation.GameServerAllocator;
import dev.trespasser.proto.agones.sdk.Empty;
import dev.trespasser.proto.agones.sdk.GameServer;
import dev.trespasser.proto.agones.sdk.SDKGrpc;
import dev.trespasser.proto.allocation.v1.MatchAllocation;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local stack's stand-in for Agones allocation (DESIGN "Local mode"). Each local match server
 * has a real Agones SDK server in local mode, serving a GameServer file. To allocate, ask each SDK
 * server for its GameServer, take the first one that is Ready (Packed, like the fleet), and
 * rewrite its file as Allocated with the same metadata a real allocation carries; the SDK server
 * picks the file up and the match server sees the allocation through WatchGameServer.
 */
public final class LocalFleetAllocator implements GameServerAllocator {

    private static final Logger log = LoggerFactory.getLogger(LocalFleetAllocator.class);

    /**
     * The SDK server applies a file write asynchronously; until then it still reports Ready. A
     * server just allocated is skipped for this long: far above the file watch latency, far
     * below the 30 s waiting phase that is the earliest it can be Ready again.
     */
    public static final Duration DEFAULT_HOLD = Duration.ofSeconds(5);

    /**
     * One local game server: its GameServer file, the gRPC port of its SDK server (on loopback),
     * and where players reach the match server's WebSocket.
     */
    public record LocalGameServer(Path file, int sdkPort, String host, int port) {

        public LocalGameServer {
            Objects.requireNonNull(file, "file");
            Objects.requireNonNull(host, "host");
            if (sdkPort < 1 || sdkPort > 65535 || port < 1 || port > 65535) {
                throw new IllegalArgumentException("ports must be 1..65535: " + sdkPort + ", " + port);
            }
        }

        /**
         * Parses {@code DIRECTOR_LOCAL_FLEET}: comma-separated {@code FILE:SDK_PORT:HOST:PORT}, read
         * from the right so the file path may contain colons.
         */
        public static List<LocalGameServer> parseAll(String spec) {
            List<LocalGameServer> servers = new ArrayList<>();
            for (String raw : spec.split(",")) {
                String entry = raw.trim();
                if (entry.isEmpty()) {
                    continue;
                }
                int portColon = entry.lastIndexOf(':');
                int hostColon = portColon > 0 ? entry.lastIndexOf(':', portColon - 1) : -1;
                int sdkColon = hostColon > 0 ? entry.lastIndexOf(':', hostColon - 1) : -1;
                if (sdkColon <= 0) {
                    throw new IllegalArgumentException(
                            "local game server '" + entry + "': expected FILE:SDK_PORT:HOST:PORT");
                }
                try {
                    servers.add(new LocalGameServer(
                            Path.of(entry.substring(0, sdkColon)),
                            Integer.parseInt(entry.substring(sdkColon + 1, hostColon)),
                            entry.substring(hostColon + 1, portColon),
                            Integer.parseInt(entry.substring(portColon + 1))));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("local game server '" + entry + "': ports must be numbers");
                }
            }
            if (servers.isEmpty()) {
                throw new IllegalArgumentException("the local fleet is empty");
            }
            return List.copyOf(servers);
        }
    }

    /** One server and what this allocator knows of it; the lock serialises allocations per server. */
    private static final class Slot {
        final LocalGameServer server;
        final ManagedChannel channel;
        final SDKGrpc.SDKBlockingStub sdk;
        final ReentrantLock lock = new ReentrantLock();
        long heldUntilNanos = Long.MIN_VALUE;
        boolean held;

        Slot(LocalGameServer server, ManagedChannel channel) {
            this.server = server;
            this.channel = channel;
            this.sdk = SDKGrpc.newBlockingStub(channel);
        }
    }

    private final List<Slot> slots;
    private final Duration hold;
    private final Duration rpcTimeout;
    private final LongSupplier nanoTime;

    /**
     * @param channels opens the channel to a server's SDK server (tests pass in-process channels)
     * @param nanoTime the monotonic clock the hold is measured on
     */
    public LocalFleetAllocator(
            List<LocalGameServer> servers,
            Function<LocalGameServer, ManagedChannel> channels,
            Duration hold,
            Duration rpcTimeout,
            LongSupplier nanoTime) {
        if (servers.isEmpty()) {
            throw new IllegalArgumentException("the local fleet is empty");
        }
        List<Slot> opened = new ArrayList<>(servers.size());
        for (LocalGameServer server : servers) {
            opened.add(new Slot(server, channels.apply(server)));
        }
        this.slots = List.copyOf(opened);
        this.hold = Objects.requireNonNull(hold, "hold");
        this.rpcTimeout = Objects.requireNonNull(rpcTimeout, "rpcTimeout");
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
    }

    /** Talks to each SDK server on loopback, as the local stack runs them. */
    public static LocalFleetAllocator connect(List<LocalGameServer> servers) {
        return new LocalFleetAllocator(
                servers,
                server -> NettyChannelBuilder.forAddress("127.0.0.1", server.sdkPort())
                        .usePlaintext()
                        .build(),
                DEFAULT_HOLD,
                Duration.ofSeconds(2),
                System::nanoTime);
    }

    @Override
    public AllocationResult allocate(MatchAllocation match) {
        AllocationMetadata metadata = AllocationMetadata.of(match);
        List<String> problems = new ArrayList<>();
        int asked = 0;
        int answered = 0;
        for (Slot slot : slots) {
            slot.lock.lock();
            try {
                if (slot.held && nanoTime.getAsLong() - slot.heldUntilNanos < 0) {
                    continue;
                }
                slot.held = false;
                GameServer live;
                asked++;
                try {
                    live = slot.sdk
                            .withDeadlineAfter(rpcTimeout.toMillis(), TimeUnit.MILLISECONDS)
                            .getGameServer(Empty.getDefaultInstance());
                } catch (StatusRuntimeException e) {
                    problems.add(slot.server.file().getFileName() + ": SDK server "
                            + e.getStatus().getCode());
                    continue;
                }
                answered++;
                if (!"Ready".equals(live.getStatus().getState())) {
                    continue;
                }
                String name = live.getObjectMeta().getName();
                if (name.isEmpty()) {
                    // Join tokens name their server, and the match server knows itself by this name only.
                    problems.add(slot.server.file().getFileName() + ": the GameServer has no metadata.name");
                    continue;
                }
                try {
                    GameServerFile.markAllocated(slot.server.file(), live, metadata);
                } catch (IOException | RuntimeException e) {
                    problems.add(slot.server.file() + ": " + e.getMessage());
                    continue;
                }
                slot.held = true;
                slot.heldUntilNanos = nanoTime.getAsLong() + hold.toNanos();
                return new AllocationResult.Allocated(name, slot.server.host(), slot.server.port());
            } finally {
                slot.lock.unlock();
            }
        }
        if (!problems.isEmpty()) {
            log.warn("local fleet: {}", problems);
        }
        if (asked > 0 && answered == 0) {
            return new AllocationResult.Failure("no local SDK server answered: " + problems);
        }
        return new AllocationResult.NoCapacity("no Ready server among " + slots.size() + " local game servers");
    }

    @Override
    public void close() {
        for (Slot slot : slots) {
            slot.channel.shutdownNow();
        }
    }
}
