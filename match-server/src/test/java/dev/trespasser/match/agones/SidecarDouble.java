package dev.trespasser.match.agones;

import dev.trespasser.peers.FreePort;
import dev.trespasser.proto.agones.sdk.Empty;
import dev.trespasser.proto.agones.sdk.GameServer;
import dev.trespasser.proto.agones.sdk.SDKGrpc;
import dev.trespasser.proto.agones.sdk.alpha.Bool;
import dev.trespasser.proto.agones.sdk.alpha.PlayerID;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for the sidecar in tests of the lifecycle logic and of the whole process, keeping just enough state
 * (state, annotations, watchers) to drive it. The contract itself is proven against the real
 * SDK server in {@link AgonesSdkContractTest}.
 */
public final class SidecarDouble extends SDKGrpc.SDKImplBase implements AutoCloseable {
    public final List<String> calls = new CopyOnWriteArrayList<>();
    final AtomicInteger healthPings = new AtomicInteger();
    private final List<StreamObserver<GameServer>> watchers = new CopyOnWriteArrayList<>();
    /** The alpha service: player tracking. */
    public final Players players = new Players();
    private final int port = FreePort.pick();
    private Server server;
    private GameServer gameServer = GameServer.newBuilder()
            .setObjectMeta(GameServer.ObjectMeta.newBuilder().setName("gs-test"))
            .setStatus(GameServer.Status.newBuilder().setState("Scheduled"))
            .build();

    public SidecarDouble start() throws IOException {
        server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port))
                .addService(this).addService(players).build().start();
        return this;
    }

    public int port() {
        return port;
    }

    public synchronized String state() {
        return gameServer.getStatus().getState();
    }

    /** What the director's allocation does: state Allocated plus annotations. */
    public synchronized void allocate(Map<String, String> annotations) {
        GameServer.Builder next = gameServer.toBuilder();
        next.getObjectMetaBuilder().putAllAnnotations(annotations);
        next.getStatusBuilder().setState("Allocated");
        publish(next.build());
    }

    private synchronized void setState(String state) {
        GameServer.Builder next = gameServer.toBuilder();
        next.getStatusBuilder().setState(state);
        publish(next.build());
    }

    private void publish(GameServer next) {
        gameServer = next;
        for (StreamObserver<GameServer> watcher : new ArrayList<>(watchers)) {
            try {
                watcher.onNext(next);
            } catch (RuntimeException gone) {
                watchers.remove(watcher);
            }
        }
    }

    @Override
    public void ready(Empty request, StreamObserver<Empty> response) {
        calls.add("ready");
        setState("Ready");
        reply(response, Empty.getDefaultInstance());
    }

    @Override
    public void shutdown(Empty request, StreamObserver<Empty> response) {
        calls.add("shutdown");
        setState("Shutdown");
        reply(response, Empty.getDefaultInstance());
    }

    @Override
    public void getGameServer(Empty request, StreamObserver<GameServer> response) {
        calls.add("gameserver");
        synchronized (this) {
            reply(response, gameServer);
        }
    }

    @Override
    public void watchGameServer(Empty request, StreamObserver<GameServer> response) {
        calls.add("watch");
        synchronized (this) {
            watchers.add(response);
            response.onNext(gameServer);
        }
    }

    @Override
    public StreamObserver<Empty> health(StreamObserver<Empty> response) {
        calls.add("health");
        return new StreamObserver<>() {
            @Override
            public void onNext(Empty value) {
                healthPings.incrementAndGet();
            }

            @Override
            public void onError(Throwable t) {}

            @Override
            public void onCompleted() {
                reply(response, Empty.getDefaultInstance());
            }
        };
    }

    private static <T> void reply(StreamObserver<T> response, T value) {
        response.onNext(value);
        response.onCompleted();
    }

    @Override
    public void close() throws InterruptedException {
        if (server != null) {
            server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    /**
     * Player tracking as the alpha SDK serves it with the PlayerTracking feature gate on: a set of
     * connected player ids. {@link #failWith} makes every call fail, {@link #delayMillis} slow.
     */
    public static final class Players extends dev.trespasser.proto.agones.sdk.alpha.SDKGrpc.SDKImplBase {
        public final List<String> calls = new CopyOnWriteArrayList<>();
        private final Set<String> connected = ConcurrentHashMap.newKeySet();
        private volatile Status failure;
        private volatile long delayMillis;

        public Set<String> connected() {
            return Set.copyOf(connected);
        }

        public void failWith(Status status) {
            failure = status;
        }

        public void delayMillis(long millis) {
            delayMillis = millis;
        }

        @Override
        public void playerConnect(PlayerID request, StreamObserver<Bool> response) {
            answer("connect " + request.getPlayerID(), response, () -> connected.add(request.getPlayerID()));
        }

        @Override
        public void playerDisconnect(PlayerID request, StreamObserver<Bool> response) {
            answer("disconnect " + request.getPlayerID(), response, () -> connected.remove(request.getPlayerID()));
        }

        private void answer(String call, StreamObserver<Bool> response, java.util.function.BooleanSupplier change) {
            calls.add(call);
            try {
                Thread.sleep(delayMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            Status failing = failure;
            if (failing != null) {
                response.onError(failing.asRuntimeException());
                return;
            }
            reply(response, Bool.newBuilder().setBool(change.getAsBoolean()).build());
        }
    }
}
