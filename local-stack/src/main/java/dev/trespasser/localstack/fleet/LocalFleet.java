package dev.trespasser.localstack.fleet;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.trespasser.localstack.process.JvmLauncher;
import dev.trespasser.peers.AgonesSdkServer;
import dev.trespasser.peers.FreePort;
import dev.trespasser.peers.PeerProcess;
import dev.trespasser.proto.GameServerMetadata;
import dev.trespasser.proto.agones.sdk.Empty;
import dev.trespasser.proto.agones.sdk.GameServer;
import dev.trespasser.proto.agones.sdk.SDKGrpc;
import dev.trespasser.proto.allocation.v1.MatchAllocation;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local fleet: K slots, each a GameServer file, an SDK server serving it, and a match server
 * process. A supervisor replaces a slot whose match server exited (killed, crashed, or Shutdown
 * after its last match) with a fresh file and a new process on the same ports, so the director's
 * {@code DIRECTOR_LOCAL_FLEET} stays valid — like Agones replacing a pod in a Fleet.
 */
public final class LocalFleet implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LocalFleet.class);
    private static final Duration SUPERVISE_EVERY = Duration.ofMillis(250);
    private static final Duration FIRST_RESTART_BACKOFF = Duration.ofMillis(500);
    private static final Duration MAX_RESTART_BACKOFF = Duration.ofSeconds(10);

    /** One slot of the fleet; ports are fixed for the fleet's life. */
    public final class Slot {
        private final String name;
        private final Path dir;
        private final Path file;
        private final int gamePort;
        private final int adminPort;
        private final AgonesSdkServer sidecar;
        private final ManagedChannel channel;
        private volatile PeerProcess matchServer;
        private volatile int generation;
        private volatile String state = "";
        private volatile String lastMatchId = "";
        private volatile boolean readySeenThisGeneration;
        private Duration restartBackoff = FIRST_RESTART_BACKOFF;
        private long nextRestartNanos = Long.MIN_VALUE;
        private boolean restartPending;
        private boolean watching;

        private Slot(String name, Path dir, int gamePort, int adminPort) throws IOException {
            this.name = name;
            this.dir = dir;
            this.file = dir.resolve("gameserver.yaml");
            this.gamePort = gamePort;
            this.adminPort = adminPort;
            Files.createDirectories(dir);
            writeFreshFile();
            this.sidecar = AgonesSdkServer.local(file, logDir, "sdk-server-" + name);
            this.channel = NettyChannelBuilder.forAddress("127.0.0.1", sidecar.grpcPort())
                    .usePlaintext()
                    .build();
        }

        public String name() {
            return name;
        }

        public int gamePort() {
            return gamePort;
        }

        public int adminPort() {
            return adminPort;
        }

        public int sdkPort() {
            return sidecar.grpcPort();
        }

        public Path gameServerFile() {
            return file;
        }

        /** The real Agones SDK server in local mode, serving this slot's GameServer file. */
        public AgonesSdkServer sidecar() {
            return sidecar;
        }

        public int generation() {
            return generation;
        }

        /** The process serving this slot now (a new one after each replacement). */
        public PeerProcess matchServer() {
            return matchServer;
        }

        /** The state last seen through WatchGameServer. */
        public String state() {
            return state;
        }

        /** The GameServer as the SDK server has it now. */
        public GameServer gameServer() {
            return SDKGrpc.newBlockingStub(channel)
                    .withDeadlineAfter(2, TimeUnit.SECONDS)
                    .getGameServer(Empty.getDefaultInstance());
        }

        public String metricsUrl() {
            return "http://127.0.0.1:" + adminPort + "/metrics";
        }

        private void writeFreshFile() throws IOException {
            GameServerDocument.writeInPlace(
                    file,
                    GameServerDocument.fresh(name, UUID.randomUUID().toString(), "127.0.0.1", gamePort, Instant.now()));
        }

        private void startMatchServer() {
            generation++;
            readySeenThisGeneration = false;
            Map<String, String> env = new HashMap<>(matchServerEnv);
            env.put("MATCH_PORT", Integer.toString(gamePort));
            env.put("MATCH_ADMIN_PORT", Integer.toString(adminPort));
            // The match server speaks to its sidecar through the HTTP gateway (AgonesSdk).
            env.put("AGONES_SDK_HTTP_PORT", Integer.toString(sidecar.httpPort()));
            env.put("HOSTNAME", name);
            String processName =
                    generation == 1 ? "match-server-" + name : "match-server-" + name + ".gen" + generation;
            matchServer = launcher.start(processName, "dev.trespasser.match.MatchServer", env, logDir);
        }

        private void watch() {
            watching = true;
            SDKGrpc.newStub(channel).watchGameServer(Empty.getDefaultInstance(), new StreamObserver<>() {
                @Override
                public void onNext(GameServer gameServer) {
                    observe(Slot.this, gameServer);
                }

                @Override
                public void onError(Throwable t) {
                    rewatchLater();
                }

                @Override
                public void onCompleted() {
                    rewatchLater();
                }
            });
        }

        private void rewatchLater() {
            synchronized (LocalFleet.this) {
                watching = false;
            }
        }
    }

    private final Path logDir;
    private final JvmLauncher launcher;
    private final Map<String, String> matchServerEnv;
    private final FleetListener listener;
    private final List<Slot> slots = new ArrayList<>();
    private final ScheduledExecutorService supervisor;
    private final AtomicInteger replacements = new AtomicInteger();
    private final AtomicInteger returnsToFleet = new AtomicInteger();
    private volatile boolean closing;

    private LocalFleet(Path logDir, JvmLauncher launcher, Map<String, String> matchServerEnv, FleetListener listener) {
        this.logDir = logDir;
        this.launcher = launcher;
        this.matchServerEnv = Map.copyOf(matchServerEnv);
        this.listener = listener;
        this.supervisor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "fleet-supervisor");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Starts {@code size} slots: files and SDK servers first, then the match servers, then waits
     * until every one has called Ready.
     *
     * @param matchServerEnv shared settings (REDIS_URL, JOIN_TOKEN_PUBLIC_KEY_FILE, ...); ports and
     *     HOSTNAME are the fleet's
     */
    public static LocalFleet start(
            int size,
            Path runDir,
            Path logDir,
            JvmLauncher launcher,
            Map<String, String> matchServerEnv,
            FleetListener listener,
            Duration readyTimeout) {
        if (size < 1) {
            throw new IllegalArgumentException("the fleet needs at least one match server");
        }
        LocalFleet fleet = new LocalFleet(logDir, launcher, matchServerEnv, listener);
        try {
            for (int i = 1; i <= size; i++) {
                String name = "local-" + i;
                fleet.slots.add(
                        fleet.new Slot(name, runDir.resolve("fleet").resolve(name), FreePort.pick(), FreePort.pick()));
            }
            for (Slot slot : fleet.slots) {
                slot.watch();
                slot.startMatchServer();
            }
            fleet.awaitAllReady(readyTimeout);
            fleet.supervisor.scheduleWithFixedDelay(
                    fleet::supervise, 0, SUPERVISE_EVERY.toMillis(), TimeUnit.MILLISECONDS);
            return fleet;
        } catch (IOException e) {
            fleet.close();
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            fleet.close();
            throw e;
        }
    }

    private void awaitAllReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Slot slot : slots) {
            slot.matchServer.awaitReady(
                    Duration.ofNanos(Math.max(1, deadline - System.nanoTime())), () -> slot.readySeenThisGeneration);
        }
    }

    public List<Slot> slots() {
        return List.copyOf(slots);
    }

    public Slot slot(String name) {
        return slots.stream()
                .filter(s -> s.name.equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no slot " + name));
    }

    /** {@code DIRECTOR_LOCAL_FLEET}: FILE:SDK_PORT:HOST:PORT for every slot. */
    public String directorFleetSpec() {
        return slots.stream()
                .map(s -> s.file.toAbsolutePath() + ":" + s.sidecar.grpcPort() + ":127.0.0.1:" + s.gamePort)
                .collect(Collectors.joining(","));
    }

    /** Slots replaced since the start (processes that exited). */
    public int replacements() {
        return replacements.get();
    }

    /** Allocated → Ready transitions: servers handed back to the fleet after a match. */
    public int returnsToFleet() {
        return returnsToFleet.get();
    }

    /** Kills a slot's match server like a node losing a pod (SIGKILL, no drain). */
    public void kill(String slotName) {
        Slot slot = slot(slotName);
        log.info("killing the match server of {} (pid {})", slotName, slot.matchServer.pid());
        ProcessHandle.of(slot.matchServer.pid()).ifPresent(ProcessHandle::destroyForcibly);
    }

    private void observe(Slot slot, GameServer gameServer) {
        String previous = slot.state;
        String now = gameServer.getStatus().getState();
        slot.state = now;
        if ("Ready".equals(now) && !slot.readySeenThisGeneration) {
            slot.readySeenThisGeneration = true;
            listener.onReady(slot.name, slot.generation);
        }
        if ("Allocated".equals(now)) {
            String json = gameServer.getObjectMeta().getAnnotationsOrDefault(GameServerMetadata.MATCH_ANNOTATION, "");
            if (!json.isEmpty()) {
                try {
                    MatchAllocation.Builder match = MatchAllocation.newBuilder();
                    JsonFormat.parser().ignoringUnknownFields().merge(json, match);
                    if (!match.getMatchId().isEmpty() && !match.getMatchId().equals(slot.lastMatchId)) {
                        slot.lastMatchId = match.getMatchId();
                        listener.onAllocated(slot.name, match.build());
                    }
                } catch (InvalidProtocolBufferException e) {
                    log.warn(
                            "{}: unreadable {} annotation: {}",
                            slot.name,
                            GameServerMetadata.MATCH_ANNOTATION,
                            e.getMessage());
                }
            }
        }
        if ("Allocated".equals(previous) && "Ready".equals(now)) {
            returnsToFleet.incrementAndGet();
            listener.onReturnedToFleet(slot.name, slot.lastMatchId);
        }
    }

    /** One pass: replace exited match servers (with back-off when they keep failing), re-open watches. */
    private synchronized void supervise() {
        if (closing) {
            return;
        }
        for (Slot slot : slots) {
            try {
                if (!slot.watching && slot.sidecar.process().isAlive()) {
                    slot.watch();
                }
                if (!slot.restartPending && !slot.matchServer.isAlive()) {
                    // Reaps it and drops its kill-on-exit hook.
                    int exit = slot.matchServer.terminate(Duration.ofSeconds(1));
                    replacements.incrementAndGet();
                    listener.onReplacing(slot.name, exit, slot.state);
                    if (slot.readySeenThisGeneration) {
                        slot.restartBackoff = FIRST_RESTART_BACKOFF;
                    } else {
                        // It never came up (a port still held, say): do not spin.
                        log.warn(
                                "{}: match server exited before Ready (code {}); last log lines:\n{}",
                                slot.name,
                                exit,
                                slot.matchServer.logTail(10));
                        Duration doubled = slot.restartBackoff.multipliedBy(2);
                        slot.restartBackoff =
                                doubled.compareTo(MAX_RESTART_BACKOFF) < 0 ? doubled : MAX_RESTART_BACKOFF;
                    }
                    slot.restartPending = true;
                    slot.nextRestartNanos = System.nanoTime()
                            + (slot.readySeenThisGeneration ? Duration.ZERO : slot.restartBackoff).toNanos();
                }
                if (slot.restartPending && System.nanoTime() - slot.nextRestartNanos >= 0) {
                    slot.restartPending = false;
                    // A fresh file is a fresh GameServer: the SDK server replaces its whole state on the write.
                    slot.writeFreshFile();
                    slot.lastMatchId = "";
                    slot.startMatchServer();
                }
            } catch (IOException | RuntimeException e) {
                log.error("{}: supervising failed: {}", slot.name, e.toString());
            }
        }
    }

    @Override
    public void close() {
        synchronized (this) {
            closing = true;
        }
        supervisor.shutdownNow();
        try {
            supervisor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // All match servers get SIGTERM at once, then each is waited for: quicker than one by one.
        for (Slot slot : slots) {
            PeerProcess process = slot.matchServer;
            if (process != null && process.isAlive()) {
                ProcessHandle.of(process.pid()).ifPresent(ProcessHandle::destroy);
            }
        }
        for (Slot slot : slots) {
            PeerProcess process = slot.matchServer;
            if (process != null) {
                process.terminate(Duration.ofSeconds(10));
            }
            slot.channel.shutdownNow();
            slot.sidecar.close();
        }
    }
}
