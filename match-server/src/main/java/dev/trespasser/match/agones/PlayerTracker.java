package dev.trespasser.match.agones;

import dev.trespasser.match.metrics.MatchServerMetrics;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Agones player tracking (alpha SDK: PlayerConnect / PlayerDisconnect), so the GameServer's status
 * lists who is in the match. Calls go out on one thread of their own, in the order the room
 * reported them, never on the tick thread; a failure (feature gate off, sidecar slow or gone) is
 * logged and counted and changes nothing for the players.
 */
public final class PlayerTracker implements AutoCloseable {
    /** {@code true} turns tracking on; it needs the PlayerTracking feature gate in the cluster. */
    /** Calls waiting beyond this (a hung sidecar) are dropped and counted rather than piling up. */
    private static final int MAX_QUEUED_CALLS = 256;

    private static final Logger log = LoggerFactory.getLogger(PlayerTracker.class);

    private final AgonesSdk sdk;
    private final MatchServerMetrics metrics;
    private final ThreadPoolExecutor calls;

    public PlayerTracker(AgonesSdk sdk, MatchServerMetrics metrics) {
        this.sdk = sdk;
        this.metrics = metrics;
        this.calls = new ThreadPoolExecutor(
                1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(MAX_QUEUED_CALLS), runnable -> {
                    Thread thread = new Thread(runnable, "player-tracking");
                    thread.setDaemon(true);
                    return thread;
                });
    }

    public void connected(String playerId) {
        submit("connect", playerId);
    }

    public void disconnected(String playerId) {
        submit("disconnect", playerId);
    }

    private void submit(String call, String playerId) {
        try {
            calls.execute(() -> call(call, playerId));
        } catch (RejectedExecutionException e) {
            failed(call, playerId, calls.isShutdown() ? "tracker closed" : MAX_QUEUED_CALLS + " calls already waiting");
        }
    }

    private void call(String call, String playerId) {
        try {
            boolean changed = call.equals("connect") ? sdk.playerConnect(playerId) : sdk.playerDisconnect(playerId);
            if (!changed) {
                // Not an error: a reconnect after a missed disconnect, or capacity reached.
                log.debug("Player{} {}: no change on the GameServer", call, playerId);
            }
        } catch (RuntimeException e) {
            failed(call, playerId, e.getMessage());
        }
    }

    private void failed(String call, String playerId, String why) {
        metrics.playerTrackingFailed(call);
        log.warn("Agones player tracking: {} {} failed ({}); the player is unaffected", call, playerId, why);
    }

    /** Lets queued calls finish (briefly): disconnects at the end of a match are worth sending. */
    @Override
    public void close() {
        calls.shutdown();
        try {
            if (!calls.awaitTermination(5, TimeUnit.SECONDS)) {
                calls.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            calls.shutdownNow();
        }
    }
}
