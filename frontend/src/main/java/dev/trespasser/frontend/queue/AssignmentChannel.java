package dev.trespasser.frontend.queue;

import dev.trespasser.frontend.assignments.AssignmentStore;
import dev.trespasser.frontend.metrics.FrontendMetrics;
import dev.trespasser.proto.RedisNames;
import dev.trespasser.proto.frontend.v1.WatchAssignmentResponse;
import io.grpc.stub.ServerCallStreamObserver;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;

/**
 * The frontend end of the assignment channel: ONE Redis pub/sub connection per process on
 * {@code trespasser:assignments}, fanned out to the WatchAssignment streams open here. A message
 * is a ticket id; its owner's streams here look the assignment up. Then the owner's queue entry
 * is marked as matched, or, when the player is no longer queued, the refusal is reported.
 */
public final class AssignmentChannel implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AssignmentChannel.class);
    private static final Duration RECONNECT_MIN = Duration.ofMillis(100);
    private static final Duration RECONNECT_MAX = Duration.ofSeconds(5);

    /** Opens the subscriber's own connection (with the service's user and timeouts). */
    private final Supplier<Jedis> connect;

    private final Matchmaking matchmaking;
    private final AssignmentStore assignments;
    private final Clock clock;
    private final FrontendMetrics metrics;
    private final Duration statusInterval;
    private final ScheduledExecutorService executor;
    /** At most one stream per player: a new WatchAssignment replaces (ends) the player's older one. */
    private final ConcurrentMap<String, AssignmentWatch> watches = new ConcurrentHashMap<>();

    private final Subscriber subscriber = new Subscriber();
    private final Thread subscriberThread;
    private final AtomicInteger subscriptions = new AtomicInteger();
    private volatile boolean running = true;
    private volatile Jedis connection;

    public AssignmentChannel(
            Supplier<Jedis> connect,
            Matchmaking matchmaking,
            AssignmentStore assignments,
            Clock clock,
            FrontendMetrics metrics,
            Duration statusInterval,
            int threads) {
        this.connect = connect;
        this.matchmaking = matchmaking;
        this.assignments = assignments;
        this.clock = clock;
        this.metrics = metrics;
        this.statusInterval = statusInterval;
        AtomicInteger n = new AtomicInteger();
        this.executor = Executors.newScheduledThreadPool(threads, r -> {
            Thread t = new Thread(r, "assignment-watch-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.subscriberThread = new Thread(this::subscribeLoop, "assignment-subscriber");
        this.subscriberThread.setDaemon(true);
    }

    public void start() {
        subscriberThread.start();
    }

    /** How many times the subscription was (re-)established; tests wait for the first. */
    public int subscriptions() {
        return subscriptions.get();
    }

    /**
     * Serves one WatchAssignment call until the assignment, a cancel, the timeout, the client
     * leaves, or a newer stream of the same player replaces it (that one ends ABORTED): one client
     * cannot pile up streams, each holding a scheduled check, by opening them in a loop.
     */
    public void watch(String playerId, ServerCallStreamObserver<WatchAssignmentResponse> stream) {
        if (!running) {
            stream.onError(io.grpc.Status.UNAVAILABLE
                    .withDescription("frontend shutting down")
                    .asRuntimeException());
            return;
        }
        ScheduledFuture<?>[] ticker = new ScheduledFuture<?>[1];
        AssignmentWatch[] self = new AssignmentWatch[1];
        Runnable onEnd = () -> {
            if (ticker[0] != null) {
                ticker[0].cancel(false);
            }
            forget(self[0]);
        };
        AssignmentWatch watch = new AssignmentWatch(playerId, stream, matchmaking, assignments, clock, onEnd);
        self[0] = watch;
        stream.setOnCancelHandler(() -> {
            watch.clientGone();
            onEnd.run();
        });
        metrics.watchStreamOpened();
        AssignmentWatch replaced = watches.put(playerId, watch);
        if (replaced != null) {
            replaced.replaced();
        }
        try {
            // The first check sends a status at once; later ones every status interval.
            ticker[0] = executor.scheduleWithFixedDelay(
                    () -> watch.check(true), 0, statusInterval.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            watch.shutdown();
        }
    }

    public int openStreams() {
        return watches.size();
    }

    private void forget(AssignmentWatch watch) {
        if (watch == null) {
            return;
        }
        // A replaced watch is no longer in the map, yet it was counted open: count its end once.
        watches.remove(watch.playerId(), watch);
        if (watch.forget()) {
            metrics.watchStreamClosed();
        }
    }

    private void published(String ticketId) {
        Optional<String> owner = matchmaking.ticketOwner(ticketId);
        if (owner.isEmpty()) {
            log.debug("assignment for ticket {} that no frontend queued; ignored", ticketId);
            return;
        }
        AssignmentWatch local = watches.get(owner.get());
        if (local != null) {
            local.check(false);
        }
        // After any local delivery: marks a waiting entry, or reports a player who had left.
        matchmaking.assignmentPublished(ticketId, owner.get());
    }

    /** After (re)subscribing, messages may have been missed: every stream looks again. */
    private void recheckAll() {
        for (AssignmentWatch watch : List.copyOf(watches.values())) {
            submit(() -> watch.check(false));
        }
    }

    private void submit(Runnable task) {
        try {
            executor.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    log.warn("assignment handling failed: {}", e.toString());
                }
            });
        } catch (RejectedExecutionException stopping) {
            log.debug("executor stopped; dropped a task");
        }
    }

    private void subscribeLoop() {
        Duration backoff = RECONNECT_MIN;
        while (running) {
            try (Jedis jedis = connect.get()) {
                connection = jedis;
                jedis.subscribe(subscriber, RedisNames.ASSIGNMENTS_CHANNEL);
                backoff = RECONNECT_MIN;
            } catch (RuntimeException e) {
                if (!running) {
                    break;
                }
                log.warn("assignment subscription lost ({}); reconnecting in {} ms", e.toString(), backoff.toMillis());
                sleep(backoff);
                backoff =
                        backoff.multipliedBy(2).compareTo(RECONNECT_MAX) > 0 ? RECONNECT_MAX : backoff.multipliedBy(2);
            } finally {
                connection = null;
            }
        }
    }

    private final class Subscriber extends JedisPubSub {
        @Override
        public void onSubscribe(String channel, int subscribedChannels) {
            subscriptions.incrementAndGet();
            log.info("subscribed to {}", channel);
            recheckAll();
        }

        @Override
        public void onMessage(String channel, String ticketId) {
            if (ticketId.isEmpty() || ticketId.length() > 256) {
                log.warn("ignoring malformed message on {}: {} characters", channel, ticketId.length());
                return;
            }
            submit(() -> published(ticketId));
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Ends every open stream with UNAVAILABLE (the players stay queued) and drops the subscription. */
    @Override
    public void close() {
        running = false;
        try {
            if (subscriber.isSubscribed()) {
                subscriber.unsubscribe();
            }
        } catch (RuntimeException e) {
            log.debug("unsubscribe failed: {}", e.toString());
        }
        Jedis jedis = connection;
        if (jedis != null) {
            try {
                jedis.disconnect();
            } catch (RuntimeException e) {
                log.debug("disconnect failed: {}", e.toString());
            }
        }
        for (AssignmentWatch watch : List.copyOf(watches.values())) {
            watch.shutdown();
        }
        executor.shutdown();
        try {
            if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
            subscriberThread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
