package dev.trespasser.match;

import dev.trespasser.match.agones.AgonesSdk;
import dev.trespasser.match.agones.GameServerLifecycle;
import dev.trespasser.match.agones.PlayerTracker;
import dev.trespasser.match.net.EdgeLimits;
import dev.trespasser.match.net.GameSocketServer;
import dev.trespasser.match.net.JoinTokenVerifier;
import dev.trespasser.match.results.ResultPublisher;
import dev.trespasser.match.results.ResultSpool;
import dev.trespasser.match.room.MatchRoom;
import dev.trespasser.match.room.RoomConfig;
import dev.trespasser.match.room.RoomListener;
import dev.trespasser.match.room.RoundResult;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import dev.trespasser.runtime.EnvSettings;
import dev.trespasser.runtime.RedisClientSettings;
import redis.clients.jedis.JedisPooled;
import sun.misc.Signal;

/**
 * The match server process, wired by hand from environment variables: the admin port (metrics,
 * health), the WebSocket edge, the results publisher, and the Agones lifecycle that hosts one
 * match at a time and returns the GameServer to the fleet after each.
 */
public final class MatchServer {
    private static final Logger log = LoggerFactory.getLogger(MatchServer.class);
    /** Exit code when the Agones sidecar never answered. */
    static final int EXIT_SIDECAR_UNREACHABLE = 2;

    private MatchServer() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> env = System.getenv();
        MatchServerSettings settings = MatchServerSettings.fromEnv(env);
        MatchServerMetrics metrics = new MatchServerMetrics();
        AdminServer admin = AdminServer.start(AdminServer.portFromEnv(env), metrics);
        GameSocketServer sockets = new GameSocketServer(GameSocketServer.portFromEnv(env),
                JoinTokenVerifier.fromEnv(env, Clock.systemUTC()), metrics, EdgeLimits.fromEnv(env));
        sockets.start();
        // Connect and read timeouts and a bounded pool wait: a Redis that stops answering fails a
        // send (the spool retries it) instead of hanging the thread (REDIS_*_MS).
        RedisClientSettings redisClient = RedisClientSettings.fromEnv(new EnvSettings(env));
        JedisPooled resultsRedis = redisClient.pool(settings.redisUrl());
        JedisPooled replayRedis = settings.replayRedisUrl().equals(settings.redisUrl())
                ? resultsRedis : redisClient.pool(settings.replayRedisUrl());
        // Rounds wait here until Redis takes them; the lifecycle returns to the fleet only after.
        ResultSpool spool = new ResultSpool(new ResultPublisher(resultsRedis, replayRedis, settings.replayTtl()),
                new ResultSpool.Limits(settings.spoolMaxResults(), settings.spoolMaxBytes(), settings.replayMaxBytes()),
                settings.retryBase(), settings.retryMax(), metrics);
        ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2, daemon("lifecycle"));
        AgonesSdk sdk = AgonesSdk.connectFromEnvironment(env);
        RoomConfig roomConfig = RoomConfig.fromEnv(env);
        PlayerTracker players = PlayerTracker.enabled(env) ? new PlayerTracker(sdk, metrics) : null;
        String gameServerName = settings.gameServerName();

        GameServerLifecycle.MatchHosting hosting = (serverName, allocation, matchOver) -> {
            MatchRoom room = MatchRoom.open(allocation, roomConfig, new RoomListener() {
                @Override
                public void onRoundEnded(RoundResult result) {
                    spool.submit(result.matchResult().toBuilder().setGameServer(gameServerName).build(), result.replay());
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
            }, metrics);
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
        GameServerLifecycle lifecycle = new GameServerLifecycle(sdk, hosting, delivery, GameServerLifecycle.Settings.fromEnv(env), scheduler);

        boolean finishOnSigterm = settings.drainPolicy() == MatchServerSettings.DrainPolicy.FINISH;
        Duration drainTimeout = settings.drainTimeout();
        Duration resultDrainTimeout = settings.resultDrainTimeout();
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

    private static void close(GameServerLifecycle lifecycle, GameSocketServer sockets, ScheduledExecutorService scheduler,
                              ResultSpool spool, PlayerTracker players, AgonesSdk sdk, AdminServer admin) {
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

    private static ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
