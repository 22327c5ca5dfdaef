package dev.trespasser.match;

import dev.trespasser.match.agones.AgonesSdk;
import dev.trespasser.match.agones.GameServerLifecycle;
import dev.trespasser.match.agones.PlayerTracker;
import dev.trespasser.match.metrics.MatchServerMetrics;
import dev.trespasser.match.net.GameSocketServer;
import dev.trespasser.match.net.JoinTokenVerifier;
import dev.trespasser.match.net.ServerTls;
import dev.trespasser.match.results.ResultPublisher;
import dev.trespasser.match.results.ResultSpool;
import dev.trespasser.match.room.MatchRoom;
import dev.trespasser.match.room.RoomConfig;
import dev.trespasser.match.room.RoomListener;
import dev.trespasser.match.room.RoundResult;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.JedisPooled;
import sun.misc.Signal;

/**
 * The match server process, wired by hand from {@link MatchServerSettings}: the admin port (metrics,
 * health), the WebSocket edge, the results publisher, and the Agones lifecycle that hosts one
 * match at a time and returns the GameServer to the fleet after each.
 */
public final class MatchServer {
    /** The root log level: trace, debug, info (default), warn, error or off. */
    static final String LOG_LEVEL_ENV = "LOG_LEVEL";
    /** Deprecated spelling, read when {@value #LOG_LEVEL_ENV} is unset (as service-runtime's logback.xml does). */
    static final String OLD_LOG_LEVEL_ENV = "MATCH_LOG_LEVEL";

    static final String LOG_TARGET_ENV = "LOG_TARGET";

    static {
        // slf4j-simple reads its level once, when the first logger is made: before the one below.
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", logLevel(System.getenv()));
        System.setProperty("org.slf4j.simpleLogger.logFile", logTarget(System.getenv()));
    }

    private static final Logger log = LoggerFactory.getLogger(MatchServer.class);
    /** Exit code when the Agones sidecar never answered. */
    static final int EXIT_SIDECAR_UNREACHABLE = 2;

    private MatchServer() {}

    public static void main(String[] args) throws Exception {
        // The only read of the environment in this process: each component gets its part.
        MatchServerSettings settings = MatchServerSettings.fromEnv(System.getenv());
        MatchServerMetrics metrics = new MatchServerMetrics();
        AdminServer admin = AdminServer.start(settings.adminPort(), metrics);
        JoinTokenVerifier verifier = new JoinTokenVerifier(
                JoinTokenVerifier.publicKeyFromPem(settings.joinTokenKey().readPem()),
                settings.joinTokenKey().readPreviousPem().map(JoinTokenVerifier::publicKeyFromPem),
                Clock.systemUTC());
        // The certificate is read before anything listens: a bad file stops the process at once.
        Optional<ServerTls> tls = settings.tls().map(MatchServerSettings.Tls::load);
        tls.ifPresentOrElse(
                t -> log.info(
                        "Players connect over wss:// (certificate {})",
                        t.chain().get(0).getSubjectX500Principal().getName()),
                () -> log.warn("MATCH_TLS_CERT_FILE is not set: players connect over plaintext ws://"));
        GameSocketServer sockets = new GameSocketServer(settings.gamePort(), verifier, metrics, settings.edge(), tls);
        sockets.start();
        MatchServerSettings.Results results = settings.results();
        // Connect and read timeouts and a bounded pool wait: a Redis that stops answering fails a
        // send (the spool retries it) instead of hanging the thread (REDIS_*_MS).
        JedisPooled resultsRedis = results.redisClient().pool(results.redisUrl());
        JedisPooled replayRedis = results.replayRedisUrl().equals(results.redisUrl())
                ? resultsRedis
                : results.redisClient().pool(results.replayRedisUrl());
        // Rounds wait here until Redis takes them; the lifecycle returns to the fleet only after.
        ResultSpool spool = new ResultSpool(
                new ResultPublisher(resultsRedis, replayRedis, results.replayTtl()),
                new ResultSpool.Limits(results.spoolMaxResults(), results.spoolMaxBytes(), results.replayMaxBytes()),
                results.retryBase(),
                results.retryMax(),
                metrics);
        ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2, daemon("lifecycle"));
        AgonesSdk sdk = AgonesSdk.connect("127.0.0.1", settings.agones().sdkHttpPort());
        RoomConfig roomConfig = settings.room();
        PlayerTracker players = settings.agones().playerTracking() ? new PlayerTracker(sdk, metrics) : null;
        String gameServerName = settings.gameServerName();

        GameServerLifecycle.MatchHosting hosting = (serverName, allocation, matchOver) -> {
            MatchRoom room = MatchRoom.open(
                    allocation,
                    roomConfig,
                    new RoomListener() {
                        @Override
                        public void onRoundEnded(RoundResult result) {
                            spool.submit(
                                    result.matchResult().toBuilder()
                                            .setGameServer(gameServerName)
                                            .build(),
                                    result.replay());
                        }

                        @Override
                        public void onPlayerConnected(String playerId) {
                            if (players != null) {
                                players.connected(playerId);
                            }
                        }

                        @Override
                        public void onPlayerDisconnected(String playerId) {
                            if (players != null) {
                                players.disconnected(playerId);
                            }
                        }

                        @Override
                        public void onRoomFinished() {
                            sockets.unhost();
                            metrics.matchCompleted();
                            matchOver.run();
                        }
                    },
                    metrics);
            sockets.host(room, serverName);
            return () -> {
                sockets.unhost();
                room.close();
            };
        };
        GameServerLifecycle.ResultDelivery delivery = new GameServerLifecycle.ResultDelivery() {
            @Override
            public CompletableFuture<Void> delivered() {
                return spool.delivered();
            }

            @Override
            public void giveUp() {
                spool.giveUp();
            }
        };
        GameServerLifecycle lifecycle = new GameServerLifecycle(
                sdk, hosting, delivery, settings.agones().lifecycle(), scheduler);

        boolean finishOnSigterm = settings.drain().policy() == MatchServerSettings.DrainPolicy.FINISH;
        Duration drainTimeout = settings.drain().timeout();
        Duration resultDrainTimeout = settings.drain().resultTimeout();
        // SIGTERM (Kubernetes stopping the pod) and SIGINT drain instead of the JVM's default, which
        // runs shutdown hooks and exits 143: a drained server ends through main and exits 0.
        Runnable drain = () -> {
            log.info("signal: {} the current match, then Shutdown", finishOnSigterm ? "finishing" : "abandoning");
            admin.unhealthy("draining");
            lifecycle.drain(finishOnSigterm, drainTimeout, resultDrainTimeout);
        };
        for (String name : new String[] {"TERM", "INT"}) {
            Signal.handle(new Signal(name), signal -> {
                // Not on the signal dispatcher: draining waits for the match.
                Thread drainer = new Thread(drain, "drain");
                drainer.setDaemon(true);
                drainer.start();
            });
        }

        try {
            lifecycle.start();
        } catch (GameServerLifecycle.SidecarUnreachableException e) {
            log.error("{}", e.getMessage());
            close(lifecycle, sockets, scheduler, spool, players, sdk, admin);
            System.exit(EXIT_SIDECAR_UNREACHABLE);
        }
        admin.healthy();
        int exitCode = 0;
        try {
            lifecycle.shutDown().join();
            log.info("Shutdown called after {} matches; exiting", lifecycle.matchesServed());
        } catch (RuntimeException e) {
            log.error("Shutdown failed: {}", e.getMessage());
            exitCode = 1;
        }
        // Agones stops the pod after Shutdown(); exiting ourselves releases the ports sooner.
        close(lifecycle, sockets, scheduler, spool, players, sdk, admin);
        System.exit(exitCode);
    }

    private static void close(
            GameServerLifecycle lifecycle,
            GameSocketServer sockets,
            ScheduledExecutorService scheduler,
            ResultSpool spool,
            PlayerTracker players,
            AgonesSdk sdk,
            AdminServer admin) {
        lifecycle.close();
        sockets.close();
        scheduler.shutdownNow();
        // The lifecycle has waited for the results (or given them up loudly); anything left is reported.
        spool.close();
        if (players != null) {
            players.close();
        }
        sdk.close();
        admin.close();
    }

    /**
     * The shared {@value #LOG_LEVEL_ENV} (docs/configuration.md "Logging") as slf4j-simple spells it;
     * anything else is refused at start. The match process logs through slf4j-simple rather than
     * the other services' logback (5 MiB less RSS, docs/benchmarks.md), with the same variables.
     */
    static String logLevel(Map<String, String> env) {
        String level = env.getOrDefault(LOG_LEVEL_ENV, "").strip();
        if (level.isEmpty()) {
            level = env.getOrDefault(OLD_LOG_LEVEL_ENV, "").strip();
        }
        level = level.toLowerCase(java.util.Locale.ROOT);
        if (level.isEmpty()) {
            return "info";
        }
        if (!java.util.Set.of("trace", "debug", "info", "warn", "error", "off").contains(level)) {
            throw new IllegalArgumentException(
                    LOG_LEVEL_ENV + " must be trace, debug, info, warn, error or off, got " + level);
        }
        return level;
    }

    /** {@value #LOG_TARGET_ENV}: {@code System.out} (default) or {@code System.err}, as for logback. */
    static String logTarget(Map<String, String> env) {
        String target = env.getOrDefault(LOG_TARGET_ENV, "").strip();
        if (target.isEmpty()) {
            return "System.out";
        }
        if (!target.equals("System.out") && !target.equals("System.err")) {
            throw new IllegalArgumentException(LOG_TARGET_ENV + " must be System.out or System.err, got " + target);
        }
        return target;
    }

    private static ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
