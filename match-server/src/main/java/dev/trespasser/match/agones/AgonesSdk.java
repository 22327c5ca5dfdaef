package dev.trespasser.match.agones;

import dev.trespasser.proto.agones.sdk.Duration;
import dev.trespasser.proto.agones.sdk.Empty;
import dev.trespasser.proto.agones.sdk.GameServer;
import dev.trespasser.proto.agones.sdk.KeyValue;
import dev.trespasser.proto.agones.sdk.SDKGrpc;
import dev.trespasser.proto.agones.sdk.alpha.PlayerID;
import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A thin client for the Agones SDK sidecar, generated stubs underneath. It is the only way the
 * match server talks to Agones, in a cluster and locally alike.
 */
public final class AgonesSdk implements AutoCloseable {
    /** The sidecar's gRPC port as Agones injects it into the game server container. */
    private static final long CALL_TIMEOUT_SECONDS = 5;

    private final ManagedChannel channel;
    private final SDKGrpc.SDKBlockingStub blocking;
    private final SDKGrpc.SDKStub async;
    private final dev.trespasser.proto.agones.sdk.alpha.SDKGrpc.SDKBlockingStub alpha;

    private AgonesSdk(ManagedChannel channel) {
        this.channel = channel;
        this.blocking = SDKGrpc.newBlockingStub(channel);
        this.async = SDKGrpc.newStub(channel);
        this.alpha = dev.trespasser.proto.agones.sdk.alpha.SDKGrpc.newBlockingStub(channel);
    }

    public static AgonesSdk connect(String host, int port) {
        return new AgonesSdk(NettyChannelBuilder.forAddress(host, port).usePlaintext().build());
    }

    public void ready() {
        blocking().ready(Empty.getDefaultInstance());
    }

    public void allocate() {
        blocking().allocate(Empty.getDefaultInstance());
    }

    public void shutdown() {
        blocking().shutdown(Empty.getDefaultInstance());
    }

    public void reserve(java.time.Duration duration) {
        blocking().reserve(Duration.newBuilder().setSeconds(duration.toSeconds()).build());
    }

    public GameServer gameServer() {
        return blocking().getGameServer(Empty.getDefaultInstance());
    }

    public void setLabel(String key, String value) {
        blocking().setLabel(KeyValue.newBuilder().setKey(key).setValue(value).build());
    }

    public void setAnnotation(String key, String value) {
        blocking().setAnnotation(KeyValue.newBuilder().setKey(key).setValue(value).build());
    }

    /** Alpha player tracking: false when the player was already connected. */
    public boolean playerConnect(String playerId) {
        return alpha.withDeadlineAfter(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS)
                .playerConnect(PlayerID.newBuilder().setPlayerID(playerId).build()).getBool();
    }

    public boolean playerDisconnect(String playerId) {
        return alpha.withDeadlineAfter(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS)
                .playerDisconnect(PlayerID.newBuilder().setPlayerID(playerId).build()).getBool();
    }

    /**
     * Opens the client stream of health pings. The caller sends one ping per health period with
     * {@link HealthStream#ping()}; a stream that failed is reported to {@code onBroken}.
     */
    public HealthStream openHealthStream(Consumer<Throwable> onBroken) {
        StreamObserver<Empty> pings = async.health(new StreamObserver<>() {
            @Override
            public void onNext(Empty value) {}

            @Override
            public void onError(Throwable t) {
                onBroken.accept(t);
            }

            @Override
            public void onCompleted() {}
        });
        return new HealthStream(pings);
    }

    /** Streams every GameServer update until the returned handle is closed. */
    public AutoCloseable watchGameServer(Consumer<GameServer> onUpdate, Consumer<Throwable> onError) {
        io.grpc.Context.CancellableContext context = io.grpc.Context.current().withCancellation();
        context.run(() -> async.watchGameServer(Empty.getDefaultInstance(), new StreamObserver<>() {
            @Override
            public void onNext(GameServer gameServer) {
                onUpdate.accept(gameServer);
            }

            @Override
            public void onError(Throwable t) {
                if (!context.isCancelled()) {
                    onError.accept(t);
                }
            }

            @Override
            public void onCompleted() {}
        }));
        return () -> context.cancel(null);
    }

    private SDKGrpc.SDKBlockingStub blocking() {
        return blocking.withDeadlineAfter(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        channel.shutdownNow();
        try {
            channel.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One open Health stream; thread-safe. */
    public static final class HealthStream implements AutoCloseable {
        private final StreamObserver<Empty> pings;
        private boolean closed;

        private HealthStream(StreamObserver<Empty> pings) {
            this.pings = pings;
        }

        public synchronized void ping() {
            if (!closed) {
                pings.onNext(Empty.getDefaultInstance());
            }
        }

        @Override
        public synchronized void close() {
            if (!closed) {
                closed = true;
                pings.onCompleted();
            }
        }
    }
}
