package dev.trespasser.localstack.fleet;

import dev.trespasser.localstack.fleet.GameServerDocument.MalformedGameServerException;
import dev.trespasser.peers.FreePort;
import dev.trespasser.proto.agones.sdk.Duration;
import dev.trespasser.proto.agones.sdk.Empty;
import dev.trespasser.proto.agones.sdk.GameServer;
import dev.trespasser.proto.agones.sdk.KeyValue;
import dev.trespasser.proto.agones.sdk.SDKGrpc;
import dev.trespasser.proto.agones.sdk.alpha.Bool;
import dev.trespasser.proto.agones.sdk.alpha.Count;
import dev.trespasser.proto.agones.sdk.alpha.PlayerID;
import dev.trespasser.proto.agones.sdk.alpha.PlayerIDList;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An in-repo stand-in for {@code sdk-server --local --file}, used only when the real binary could
 * not be installed (the Go proxy refuses agones.dev here). Written from the behaviour PEERS.md
 * documents, not from Agones' source:
 *
 * <ul>
 *   <li>it serves the GameServer read from the file; every write to the file REPLACES the whole
 *       in-memory GameServer and pushes it to every WatchGameServer stream (a save by rename is
 *       not a write and is missed, as with the real server);
 *   <li>Ready, Allocate, Shutdown and Reserve change {@code status.state}; SetLabel and
 *       SetAnnotation add {@code agones.dev/sdk-}-prefixed metadata; each change is pushed too;
 *   <li>Health is a client stream of pings; GetGameServer answers the current GameServer;
 *   <li>alpha player tracking keeps {@code status.players} (refusing players over capacity).
 * </ul>
 *
 * A new Watch stream gets the current GameServer at once, then every change.
 */
public final class SdkServerStandIn implements SdkSidecar {
    private static final Logger log = LoggerFactory.getLogger(SdkServerStandIn.class);
    private static final AtomicBoolean WARNED = new AtomicBoolean();
    /** Agones prefixes metadata set through the SDK so it cannot clash with the fleet's own. */
    static final String SDK_METADATA_PREFIX = "agones.dev/sdk-";

    private final Path file;
    private final Server server;
    private final WatchService watcher;
    private final Thread watchThread;
    private final ScheduledExecutorService timers;
    private final List<ServerCallStreamObserver<GameServer>> watchers = new CopyOnWriteArrayList<>();
    private final AtomicLong healthPings = new AtomicLong();
    private final AtomicLong fileReloads = new AtomicLong();
    private final Object lock = new Object();
    private GameServer current; // guarded by lock
    private ScheduledFuture<?> reserveExpiry; // guarded by lock
    private volatile boolean closed;

    private SdkServerStandIn(Path file, GameServer initial, int port) throws IOException {
        this.file = file.toAbsolutePath();
        this.current = initial;
        this.timers = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "sdk-stand-in-timers-" + port);
            thread.setDaemon(true);
            return thread;
        });
        this.watcher = FileSystems.getDefault().newWatchService();
        this.file.getParent().register(watcher, StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_CREATE);
        this.server = NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))
                .addService(new Sdk())
                .addService(new Alpha())
                .maxInboundMessageSize(64 * 1024)
                .build()
                .start();
        this.watchThread = new Thread(this::watchFile, "sdk-stand-in-file-" + port);
        this.watchThread.setDaemon(true);
        this.watchThread.start();
    }

    /** Starts on a free loopback port; {@code whyNotReal} goes into the one start-up warning. */
    public static SdkServerStandIn start(Path gameServerFile, String whyNotReal) {
        return start(gameServerFile, FreePort.pick(), whyNotReal);
    }

    public static SdkServerStandIn start(Path gameServerFile, int port, String whyNotReal) {
        if (WARNED.compareAndSet(false, true)) {
            log.warn("""

                    *** WARNING: the Agones SDK server is a STAND-IN (dev.trespasser.localstack.fleet.SdkServerStandIn). ***
                    *** The real binary is unavailable on this machine: {}
                    *** It follows the local-mode behaviour documented in PEERS.md; the SDK contract itself is proven
                    *** only by the SDK contract tests against the real sdk-server (skipped where it is missing).
                    """, whyNotReal);
        }
        GameServer initial;
        try {
            initial = GameServerDocument.read(gameServerFile);
        } catch (MalformedGameServerException e) {
            throw new IllegalArgumentException("GameServer file " + gameServerFile + ": " + e.getMessage(), e);
        }
        try {
            return new SdkServerStandIn(gameServerFile, initial, port);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the SDK server stand-in on port " + port, e);
        }
    }

    @Override
    public int grpcPort() {
        return server.getPort();
    }

    @Override
    public String description() {
        return "Agones SDK server STAND-IN (in-process; real binary unavailable)";
    }

    @Override
    public boolean isAlive() {
        return !closed;
    }

    public GameServer gameServer() {
        synchronized (lock) {
            return current;
        }
    }

    public long healthPings() {
        return healthPings.get();
    }

    public long fileReloads() {
        return fileReloads.get();
    }

    private void watchFile() {
        while (!closed) {
            WatchKey key;
            try {
                key = watcher.take();
            } catch (InterruptedException | ClosedWatchServiceException e) {
                return;
            }
            boolean ours = false;
            for (WatchEvent<?> event : key.pollEvents()) {
                if (event.kind() == StandardWatchEventKinds.OVERFLOW
                        || file.getFileName().equals(event.context())) {
                    ours = true;
                }
            }
            key.reset();
            if (ours) {
                reloadFile();
            }
        }
    }

    /** A write replaces the whole GameServer, as the real local mode does. */
    private void reloadFile() {
        GameServer loaded;
        try {
            loaded = GameServerDocument.read(file);
        } catch (MalformedGameServerException e) {
            // A write seen half-way, or a bad document: keep serving the last good one.
            log.warn("ignoring a write to {}: {}", file, e.getMessage());
            return;
        }
        fileReloads.incrementAndGet();
        update(previous -> loaded);
        log.debug("{} reloaded: {} {}", file.getFileName(), loaded.getObjectMeta().getName(), loaded.getStatus().getState());
    }

    private GameServer update(UnaryOperator<GameServer> change) {
        GameServer updated;
        synchronized (lock) {
            updated = change.apply(current);
            current = updated;
            for (ServerCallStreamObserver<GameServer> stream : watchers) {
                if (stream.isCancelled()) {
                    watchers.remove(stream);
                    continue;
                }
                try {
                    stream.onNext(updated);
                } catch (RuntimeException gone) {
                    watchers.remove(stream);
                }
            }
        }
        return updated;
    }

    private void setState(String state) {
        synchronized (lock) {
            if (reserveExpiry != null) {
                reserveExpiry.cancel(false);
                reserveExpiry = null;
            }
            update(gs -> withState(gs, state));
        }
    }

    private static GameServer withState(GameServer gameServer, String state) {
        GameServer.Builder builder = gameServer.toBuilder();
        builder.getStatusBuilder().setState(state);
        return builder.build();
    }

    private final class Sdk extends SDKGrpc.SDKImplBase {
        @Override
        public void ready(Empty request, StreamObserver<Empty> response) {
            setState("Ready");
            done(response, Empty.getDefaultInstance());
        }

        @Override
        public void allocate(Empty request, StreamObserver<Empty> response) {
            setState("Allocated");
            done(response, Empty.getDefaultInstance());
        }

        @Override
        public void shutdown(Empty request, StreamObserver<Empty> response) {
            setState("Shutdown");
            done(response, Empty.getDefaultInstance());
        }

        @Override
        public void reserve(Duration request, StreamObserver<Empty> response) {
            if (request.getSeconds() < 0) {
                response.onError(Status.INVALID_ARGUMENT.withDescription("negative reserve duration").asRuntimeException());
                return;
            }
            synchronized (lock) {
                setState("Reserved");
                if (request.getSeconds() > 0) {
                    reserveExpiry = timers.schedule(() -> {
                        synchronized (lock) {
                            if ("Reserved".equals(current.getStatus().getState())) {
                                update(gs -> withState(gs, "Ready"));
                            }
                        }
                    }, request.getSeconds(), TimeUnit.SECONDS);
                }
            }
            done(response, Empty.getDefaultInstance());
        }

        @Override
        public StreamObserver<Empty> health(StreamObserver<Empty> response) {
            return new StreamObserver<>() {
                @Override
                public void onNext(Empty ping) {
                    healthPings.incrementAndGet();
                }

                @Override
                public void onError(Throwable t) {
                    // the match server went away or reopened its stream: nothing to answer
                }

                @Override
                public void onCompleted() {
                    done(response, Empty.getDefaultInstance());
                }
            };
        }

        @Override
        public void getGameServer(Empty request, StreamObserver<GameServer> response) {
            done(response, gameServer());
        }

        @Override
        public void watchGameServer(Empty request, StreamObserver<GameServer> response) {
            ServerCallStreamObserver<GameServer> stream = (ServerCallStreamObserver<GameServer>) response;
            stream.setOnCancelHandler(() -> watchers.remove(stream));
            synchronized (lock) {
                stream.onNext(current);
                watchers.add(stream);
            }
        }

        @Override
        public void setLabel(KeyValue request, StreamObserver<Empty> response) {
            update(gs -> {
                GameServer.Builder builder = gs.toBuilder();
                builder.getObjectMetaBuilder().putLabels(SDK_METADATA_PREFIX + request.getKey(), request.getValue());
                return builder.build();
            });
            done(response, Empty.getDefaultInstance());
        }

        @Override
        public void setAnnotation(KeyValue request, StreamObserver<Empty> response) {
            update(gs -> {
                GameServer.Builder builder = gs.toBuilder();
                builder.getObjectMetaBuilder().putAnnotations(SDK_METADATA_PREFIX + request.getKey(), request.getValue());
                return builder.build();
            });
            done(response, Empty.getDefaultInstance());
        }
    }

    private final class Alpha extends dev.trespasser.proto.agones.sdk.alpha.SDKGrpc.SDKImplBase {
        @Override
        public void playerConnect(PlayerID request, StreamObserver<Bool> response) {
            String player = request.getPlayerID();
            synchronized (lock) {
                GameServer.Status.PlayerStatus players = current.getStatus().getPlayers();
                if (players.getIdsList().contains(player)) {
                    done(response, Bool.newBuilder().setBool(false).build());
                    return;
                }
                if (players.getIdsCount() >= players.getCapacity()) {
                    response.onError(Status.FAILED_PRECONDITION
                            .withDescription("players are already at capacity (" + players.getCapacity() + ")").asRuntimeException());
                    return;
                }
                update(gs -> withPlayers(gs, gs.getStatus().getPlayers().toBuilder().addIds(player)));
            }
            done(response, Bool.newBuilder().setBool(true).build());
        }

        @Override
        public void playerDisconnect(PlayerID request, StreamObserver<Bool> response) {
            String player = request.getPlayerID();
            boolean removed;
            synchronized (lock) {
                List<String> ids = current.getStatus().getPlayers().getIdsList();
                removed = ids.contains(player);
                if (removed) {
                    List<String> rest = ids.stream().filter(id -> !id.equals(player)).toList();
                    update(gs -> withPlayers(gs, gs.getStatus().getPlayers().toBuilder().clearIds().addAllIds(rest)));
                }
            }
            done(response, Bool.newBuilder().setBool(removed).build());
        }

        @Override
        public void setPlayerCapacity(Count request, StreamObserver<dev.trespasser.proto.agones.sdk.alpha.Empty> response) {
            if (request.getCount() < 0) {
                response.onError(Status.INVALID_ARGUMENT.withDescription("negative capacity").asRuntimeException());
                return;
            }
            update(gs -> withPlayers(gs, gs.getStatus().getPlayers().toBuilder().setCapacity(request.getCount())));
            done(response, dev.trespasser.proto.agones.sdk.alpha.Empty.getDefaultInstance());
        }

        @Override
        public void getPlayerCapacity(dev.trespasser.proto.agones.sdk.alpha.Empty request, StreamObserver<Count> response) {
            done(response, Count.newBuilder().setCount(gameServer().getStatus().getPlayers().getCapacity()).build());
        }

        @Override
        public void getPlayerCount(dev.trespasser.proto.agones.sdk.alpha.Empty request, StreamObserver<Count> response) {
            done(response, Count.newBuilder().setCount(gameServer().getStatus().getPlayers().getIdsCount()).build());
        }

        @Override
        public void isPlayerConnected(PlayerID request, StreamObserver<Bool> response) {
            boolean connected = gameServer().getStatus().getPlayers().getIdsList().contains(request.getPlayerID());
            done(response, Bool.newBuilder().setBool(connected).build());
        }

        @Override
        public void getConnectedPlayers(dev.trespasser.proto.agones.sdk.alpha.Empty request, StreamObserver<PlayerIDList> response) {
            done(response, PlayerIDList.newBuilder().addAllList(gameServer().getStatus().getPlayers().getIdsList()).build());
        }
    }

    private static GameServer withPlayers(GameServer gameServer, GameServer.Status.PlayerStatus.Builder players) {
        players.setCount(players.getIdsCount());
        GameServer.Builder builder = gameServer.toBuilder();
        builder.getStatusBuilder().setPlayers(players);
        return builder.build();
    }

    private static <T> void done(StreamObserver<T> response, T value) {
        response.onNext(value);
        response.onCompleted();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            watcher.close();
        } catch (IOException e) {
            log.debug("closing the file watch", e);
        }
        watchThread.interrupt();
        timers.shutdownNow();
        synchronized (lock) {
            for (ServerCallStreamObserver<GameServer> stream : watchers) {
                try {
                    stream.onCompleted();
                } catch (RuntimeException alreadyGone) {
                    // cancelled by the client meanwhile
                }
            }
            watchers.clear();
        }
        server.shutdownNow();
        try {
            server.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
