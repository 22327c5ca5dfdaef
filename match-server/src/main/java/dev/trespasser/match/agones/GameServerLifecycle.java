package dev.trespasser.match.agones;

import dev.trespasser.proto.GameServerMetadata;
import dev.trespasser.proto.agones.sdk.GameServer;
import dev.trespasser.proto.allocation.v1.MatchAllocation;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The match server's life as an Agones GameServer, through the SDK only: wait for the sidecar,
 * ping health, call Ready, host each match the director allocates (read from the GameServer's
 * annotations), then return to the fleet with Ready again — or Shutdown after the configured
 * number of matches, on an unrecoverable error, or when drained. Neither happens before the
 * match's results are published: a server back in the fleet may be stopped at any time, and its
 * unpublished results with it.
 */
public final class GameServerLifecycle implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(GameServerLifecycle.class);

    /**
     * Hosts one allocated match; calls {@code matchOver} once when it is over for good.
     * {@code gameServerName} is this server's name as the SDK reports it (object_meta.name): the
     * audience its players' join tokens must name.
     */
    public interface MatchHosting {
        AutoCloseable host(String gameServerName, MatchAllocation allocation, Runnable matchOver);
    }

    /** Health pings, how long to wait for the sidecar and for Ready to show, and matches before Shutdown (0: never). */
    public record Settings(
            Duration healthPing, Duration connectTimeout, Duration readyConfirmTimeout, int maxMatches) {}

    /** The results of the matches hosted so far, which the lifecycle waits for before Ready or Shutdown. */
    public interface ResultDelivery {
        /** Completes once every result handed over so far is published. */
        CompletableFuture<Void> delivered();

        /** Shutdown cannot wait any longer: report loudly what was not delivered. */
        void giveUp();
    }

    /** The sidecar did not answer within the connect timeout. */
    public static final class SidecarUnreachableException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        SidecarUnreachableException(Duration waited, Throwable cause) {
            super("Agones SDK sidecar unreachable after " + waited + ": " + cause.getMessage(), cause);
        }
    }

    private final AgonesSdk sdk;
    private final MatchHosting hosting;
    private final ResultDelivery results;
    private final Settings settings;
    private final ScheduledExecutorService scheduler;
    private final CompletableFuture<Void> shutDown = new CompletableFuture<>();

    private ScheduledFuture<?> pings;
    private AutoCloseable watch;

    // Guarded by this.
    private AutoCloseable hosted;
    private String hostedMatchId;
    private String lastMatchId;
    private int matchesServed;
    private boolean draining;
    private CompletableFuture<Void> readyConfirmed = new CompletableFuture<>();
    private CompletableFuture<Void> matchOver = CompletableFuture.completedFuture(null);

    public GameServerLifecycle(
            AgonesSdk sdk,
            MatchHosting hosting,
            ResultDelivery results,
            Settings settings,
            ScheduledExecutorService scheduler) {
        this.sdk = sdk;
        this.hosting = hosting;
        this.results = results;
        this.settings = settings;
        this.scheduler = scheduler;
    }

    /** Connects to the sidecar (retrying with back-off), starts health and watch, and calls Ready. */
    public void start() {
        awaitSidecar();
        pings = scheduler.scheduleAtFixedRate(
                this::ping, 0, settings.healthPing().toMillis(), TimeUnit.MILLISECONDS);
        watch = sdk.watchGameServer(this::onGameServer, error -> {
            log.error("WatchGameServer failed; the server can no longer see allocations", error);
            scheduler.execute(() -> shutdown("watch lost"));
        });
        sdk.ready();
        log.info("Ready: waiting for an allocation");
    }

    /** Completes when the lifecycle has called Shutdown (or failed to). */
    public CompletableFuture<Void> shutDown() {
        return shutDown;
    }

    public synchronized int matchesServed() {
        return matchesServed;
    }

    public synchronized String hostedMatchId() {
        return hostedMatchId;
    }

    /**
     * SIGTERM: accept no new allocation; either let the current match finish (up to
     * {@code matchTimeout}) or abandon it now; give the results held up to {@code resultTimeout}
     * to be published (what is still held then is reported as lost); then call Shutdown.
     */
    public void drain(boolean finishCurrentMatch, Duration matchTimeout, Duration resultTimeout) {
        CompletableFuture<Void> over;
        synchronized (this) {
            draining = true;
            over = matchOver;
        }
        if (!over.isDone() && finishCurrentMatch) {
            log.info("draining: letting match {} finish (at most {})", hostedMatchId(), matchTimeout);
            try {
                over.get(matchTimeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (Exception stillRunning) {
                log.warn("match {} still running after {}; abandoning it", hostedMatchId(), matchTimeout);
            }
        }
        AutoCloseable current;
        synchronized (this) {
            current = hosted;
            hosted = null;
        }
        closeQuietly(current);
        CompletableFuture<Void> delivered = results.delivered();
        try {
            delivered.get(resultTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception notDelivered) {
            log.error("results still unpublished {} after the match; shutting down without them", resultTimeout);
            results.giveUp();
        }
        shutdown("drained");
    }

    private void awaitSidecar() {
        long deadline = System.nanoTime() + settings.connectTimeout().toNanos();
        long backoffMillis = 100;
        while (true) {
            try {
                GameServer gameServer = sdk.gameServer();
                log.info(
                        "connected to the Agones sidecar: GameServer {} is {}",
                        gameServer.getObjectMeta().getName(),
                        gameServer.getStatus().getState());
                return;
            } catch (AgonesSdk.AgonesSdkException e) {
                // Tries until the deadline itself, the last wait cut short to meet it: a refused connection fails
                // at once, so giving up when the next full back-off would overrun left a sidecar that starts late
                // in the window unreached.
                long leftMillis = (deadline - System.nanoTime()) / 1_000_000;
                if (leftMillis <= 0) {
                    throw new SidecarUnreachableException(settings.connectTimeout(), e);
                }
                long waitMillis = Math.min(backoffMillis, leftMillis);
                log.warn("Agones sidecar not reachable yet ({}); retrying in {} ms", e.getMessage(), waitMillis);
                sleep(waitMillis);
                backoffMillis = Math.min(backoffMillis * 2, 2_000);
            }
        }
    }

    /** One POST /health; a failed ping is only logged: the next one is due in a period, and Agones tolerates misses. */
    private void ping() {
        try {
            sdk.health();
        } catch (RuntimeException e) {
            log.warn("health ping failed: {}", e.getMessage());
        }
    }

    private void onGameServer(GameServer gameServer) {
        String state = gameServer.getStatus().getState();
        synchronized (this) {
            if (state.equals("Ready")) {
                readyConfirmed.complete(null);
            }
            if (!state.equals("Allocated") || hosted != null || draining) {
                return;
            }
            String json = gameServer.getObjectMeta().getAnnotationsOrDefault(GameServerMetadata.MATCH_ANNOTATION, "");
            MatchAllocation allocation;
            try {
                allocation = AllocationAnnotation.parse(json);
            } catch (AllocationAnnotation.InvalidAllocationException e) {
                log.error(
                        "allocated with an unreadable {} annotation ({}); giving the server back",
                        GameServerMetadata.MATCH_ANNOTATION,
                        e.getMessage());
                scheduler.execute(this::returnToFleet);
                hosted = () -> {};
                return;
            }
            // Allocation metadata survives Ready(): an Allocated update still naming the last
            // match is that old allocation, not a new one.
            if (allocation.getMatchId().isEmpty() || allocation.getMatchId().equals(lastMatchId)) {
                return;
            }
            hostedMatchId = allocation.getMatchId();
            lastMatchId = hostedMatchId;
            matchOver = new CompletableFuture<>();
            log.info(
                    "allocated: hosting match {} ({} players, map {})",
                    hostedMatchId,
                    allocation.getRosterCount(),
                    allocation.getMapName());
            try {
                hosted = hosting.host(
                        gameServer.getObjectMeta().getName(), allocation, () -> scheduler.execute(this::returnToFleet));
            } catch (RuntimeException e) {
                // An allocation we cannot host (unknown map, bad roster) strands nobody if we give
                // the server straight back; the players' joins fail and they queue again.
                log.error("cannot host match {}: {}; giving the server back", hostedMatchId, e.getMessage());
                hosted = () -> {};
                scheduler.execute(this::returnToFleet);
            }
        }
    }

    /** After a match: once its results are published, Ready again (confirmed through Watch), or Shutdown. */
    private void returnToFleet() {
        String match;
        CompletableFuture<Void> over;
        synchronized (this) {
            closeQuietly(hosted);
            hosted = null;
            match = hostedMatchId;
            hostedMatchId = null;
            matchesServed++;
            over = matchOver;
        }
        over.complete(null);
        CompletableFuture<Void> delivered = results.delivered();
        if (!delivered.isDone()) {
            log.warn(
                    "match {} is over but its results are not published yet; staying out of the fleet until they are",
                    match);
        }
        delivered.whenComplete((published, error) -> {
            try {
                scheduler.execute(this::afterResults);
            } catch (java.util.concurrent.RejectedExecutionException stopping) {
                // The process is shutting down.
            }
        });
    }

    private void afterResults() {
        CompletableFuture<Void> confirmation;
        synchronized (this) {
            if (draining) {
                // drain() waits for the results itself, then shuts down.
                return;
            }
            if (settings.maxMatches() > 0 && matchesServed >= settings.maxMatches()) {
                shutdown("served " + matchesServed + " matches");
                return;
            }
            readyConfirmed = new CompletableFuture<>();
            confirmation = readyConfirmed;
        }
        try {
            sdk.ready();
            confirmation.get(settings.readyConfirmTimeout().toMillis(), TimeUnit.MILLISECONDS);
            log.info("back in the fleet: Ready confirmed after {} matches", matchesServed());
        } catch (Exception e) {
            log.error("could not return to the fleet ({}); shutting down", e.toString());
            shutdown("Ready not confirmed");
        }
    }

    private synchronized void shutdown(String why) {
        if (shutDown.isDone()) {
            return;
        }
        log.info("calling Shutdown: {}", why);
        try {
            sdk.shutdown();
            shutDown.complete(null);
        } catch (RuntimeException e) {
            shutDown.completeExceptionally(e);
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception e) {
            log.warn("closing the hosted match failed", e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the sidecar", e);
        }
    }

    @Override
    public void close() {
        if (pings != null) {
            pings.cancel(false);
        }
        closeQuietly(watch);
    }
}
