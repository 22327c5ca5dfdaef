package dev.trespasser.peers.doubles;

import dev.trespasser.peers.FreePort;
import dev.trespasser.proto.agones.sdk.Duration;
import dev.trespasser.proto.agones.sdk.Empty;
import dev.trespasser.proto.agones.sdk.GameServer;
import dev.trespasser.proto.agones.sdk.KeyValue;
import dev.trespasser.proto.agones.sdk.SDKGrpc;
import dev.trespasser.proto.agones.sdk.alpha.Bool;
import dev.trespasser.proto.agones.sdk.alpha.PlayerID;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.UncheckedIOException;
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
 * The one test double of the Agones SDK server, for unit tests of the logic that uses it (the
 * match server's lifecycle and player tracking, the director's local-fleet choice). It keeps just
 * the state those tests drive: the GameServer (state, annotations, labels), its watchers, the
 * calls made, health pings and the alpha player set, and it can fail or slow player calls on
 * demand, which the real server cannot. Everything the real server does is proven against it
 * ({@code dev.trespasser.peers.AgonesSdkServer}) in the contract and end-to-end tests.
 */
public final class AgonesSdkDouble extends SDKGrpc.SDKImplBase implements AutoCloseable {
    /** The SDK call names in Agones' conformance vocabulary (ready, health, watch, ...). */
    public final List<String> calls = new CopyOnWriteArrayList<>();
    public final AtomicInteger healthPings = new AtomicInteger();
    /** The alpha service: player tracking. */
    public final Players players = new Players();
    private final List<StreamObserver<GameServer>> watchers = new CopyOnWriteArrayList<>();
    private final int port = FreePort.pick();
    private Server server;
    private GameServer gameServer;

    /** A GameServer named gs-test in state Scheduled, as a pod's sidecar starts. */
    public AgonesSdkDouble() {
        this("gs-test", "Scheduled");
    }

    public AgonesSdkDouble(String gameServerName, String state) {
        gameServer = GameServer.newBuilder()
                .setObjectMeta(GameServer.ObjectMeta.newBuilder().setName(gameServerName))
                .setStatus(GameServer.Status.newBuilder().setState(state))
                .build();
    }

    /** Serves the SDK and its alpha service on a free loopback port. */
    public AgonesSdkDouble start() {
        try {
            server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port))
                    .addService(this).addService(players).build().start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    public int port() {
        return port;
    }

    public synchronized String state() {
        return gameServer.getStatus().getState();
    }

    public synchronized GameServer gameServer() {
        return gameServer;
    }

    /** What the director's allocation does: state Allocated plus annotations. */
    public synchronized void allocate(Map<String, String> annotations) {
        GameServer.Builder next = gameServer.toBuilder();
        next.getObjectMetaBuilder().putAllAnnotations(annotations);
        next.getStatusBuilder().setState("Allocated");
        publish(next.build());
    }

    /** A state change from outside the game server (Agones' controller, a local fleet file). */
    public synchronized void setState(String state) {
        GameServer.Builder next = gameServer.toBuilder();
        next.getStatusBuilder().setState(state);
        publish(next.build());
    }

    /** What the game's SetAnnotation(key, value) leaves: the real server prefixes "agones.dev/sdk-". */
    public void annotateThroughSdk(String key, String value) {
        change(next -> next.getObjectMetaBuilder().putAnnotations("agones.dev/sdk-" + key, value));
    }

    private synchronized void change(java.util.function.Consumer<GameServer.Builder> edit) {
        GameServer.Builder next = gameServer.toBuilder();
        edit.accept(next);
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
    public void allocate(Empty request, StreamObserver<Empty> response) {
        calls.add("allocate");
        setState("Allocated");
        reply(response, Empty.getDefaultInstance());
    }

    @Override
    public void reserve(Duration request, StreamObserver<Empty> response) {
        calls.add("reserve");
        setState("Reserved");
        reply(response, Empty.getDefaultInstance());
    }

    @Override
    public void shutdown(Empty request, StreamObserver<Empty> response) {
        calls.add("shutdown");
        setState("Shutdown");
        reply(response, Empty.getDefaultInstance());
    }

    @Override
    public void setLabel(KeyValue request, StreamObserver<Empty> response) {
        calls.add("setlabel");
        change(next -> next.getObjectMetaBuilder().putLabels("agones.dev/sdk-" + request.getKey(), request.getValue()));
        reply(response, Empty.getDefaultInstance());
    }

    @Override
    public void setAnnotation(KeyValue request, StreamObserver<Empty> response) {
        calls.add("setannotation");
        annotateThroughSdk(request.getKey(), request.getValue());
        reply(response, Empty.getDefaultInstance());
    }

    @Override
    public void getGameServer(Empty request, StreamObserver<GameServer> response) {
        calls.add("gameserver");
        reply(response, gameServer());
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
