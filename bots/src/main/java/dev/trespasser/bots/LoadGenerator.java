package dev.trespasser.bots;

import dev.trespasser.bots.account.FrontendClient;
import dev.trespasser.bots.stats.RunStats;
import io.grpc.ChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@link LoadConfig#bots()} bots against a frontend: they arrive at the configured rate,
 * each on its own thread, and play until they have played their matches or the duration ends.
 * {@link #report()} samples what they measured at any time.
 */
public final class LoadGenerator implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LoadGenerator.class);
    /** Bots per gRPC connection: HTTP/2 multiplexes, but one connection's stream limit is finite. */
    private static final int BOTS_PER_CHANNEL = 50;

    private final LoadConfig config;
    private final BotListener listener;
    private final RunStats stats = new RunStats();
    private final List<Bot> bots = new CopyOnWriteArrayList<>();
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private final List<ManagedChannel> channels = new CopyOnWriteArrayList<>();
    private final CountDownLatch launched = new CountDownLatch(1);
    private final AtomicInteger running = new AtomicInteger();
    private final ScheduledExecutorService ticker;
    private final ChannelCredentials frontendCredentials;
    private final SSLContext wss;
    private volatile boolean closed;
    private volatile long startedNanos;
    private volatile long finishedNanos;
    private Thread launcher;

    public LoadGenerator(LoadConfig config, BotListener listener) {
        this.config = Objects.requireNonNull(config, "config");
        this.listener = Objects.requireNonNull(listener, "listener");
        // Read once, before any bot starts: a bad CA file stops the run here, by name.
        this.frontendCredentials = config.trust().frontendCredentials();
        this.wss = config.trust().sslContext();
        // Input ticks are tiny; a couple of threads serve hundreds of bots.
        int tickThreads = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
        AtomicInteger n = new AtomicInteger();
        this.ticker = Executors.newScheduledThreadPool(tickThreads, r -> {
            Thread t = new Thread(r, "bot-inputs-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    public LoadConfig config() {
        return config;
    }

    /** Launches the bots (in the background, at the arrival rate). Once only. */
    public synchronized void start() {
        if (startedNanos != 0) {
            throw new IllegalStateException("already started");
        }
        if (closed) {
            throw new IllegalStateException("closed");
        }
        startedNanos = System.nanoTime();
        long deadline = startedNanos + config.duration().toNanos();
        launcher = new Thread(() -> launch(deadline), "bot-launcher");
        launcher.setDaemon(true);
        launcher.start();
        // At the end of the run every bot stops where it is, even mid-match or mid-queue.
        ticker.schedule(() -> bots.forEach(Bot::stop), config.duration().toNanos(), TimeUnit.NANOSECONDS);
        log.info(
                "{} bots against {} ({} {}, {}, {} s{})",
                config.bots(),
                config.frontendTarget(),
                config.mode(),
                config.region(),
                config.arrivalPerSecond() == 0 ? "all at once" : config.arrivalPerSecond() + " per second",
                config.duration().toSeconds(),
                config.matchesPerBot() == 0 ? "" : ", " + config.matchesPerBot() + " matches each");
    }

    private void launch(long deadline) {
        try {
            ManagedChannel channel = null;
            for (int i = 0; i < config.bots() && !closed && System.nanoTime() < deadline; i++) {
                if (config.arrivalPerSecond() > 0) {
                    long due = startedNanos + (long) (i * 1e9 / config.arrivalPerSecond());
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                }
                if (closed) {
                    break;
                }
                if (i % BOTS_PER_CHANNEL == 0) {
                    channel = NettyChannelBuilder.forTarget(config.frontendTarget(), frontendCredentials)
                            .build();
                    channels.add(channel);
                }
                // Retries stop when this bot stops, not only when the whole run closes.
                AtomicReference<Bot> self = new AtomicReference<>();
                FrontendClient frontend = new FrontendClient(
                        channel,
                        Clock.systemUTC(),
                        () -> !closed && self.get() != null && self.get().active());
                Bot bot = new Bot(i, config, listener, stats, frontend, ticker, deadline, wss);
                self.set(bot);
                Thread t = new Thread(
                        () -> {
                            try {
                                bot.run();
                            } finally {
                                if (running.decrementAndGet() == 0 && launched.getCount() == 0) {
                                    finishedNanos = System.nanoTime();
                                }
                            }
                        },
                        "bot-" + bot.label());
                t.setDaemon(true);
                bots.add(bot);
                threads.add(t);
                running.incrementAndGet();
                t.start();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            launched.countDown();
            if (running.get() == 0) {
                finishedNanos = System.nanoTime();
            }
        }
    }

    /**
     * Waits until every bot has stopped (played its matches, or the duration ended).
     *
     * @return true when they all stopped within {@code timeout}
     */
    public boolean awaitFinished(Duration timeout) throws InterruptedException {
        long until = System.nanoTime() + timeout.toNanos();
        if (startedNanos == 0) {
            throw new IllegalStateException("not started");
        }
        if (!launched.await(Math.max(0, until - System.nanoTime()), TimeUnit.NANOSECONDS)) {
            return false;
        }
        for (Thread t : threads) {
            long left = until - System.nanoTime();
            if (left <= 0) {
                return !t.isAlive() && threads.stream().noneMatch(Thread::isAlive);
            }
            TimeUnit.NANOSECONDS.timedJoin(t, left);
        }
        return threads.stream().noneMatch(Thread::isAlive);
    }

    /** What the bots measured so far; callable any time, from any thread. */
    public LoadReport report() {
        long now = System.nanoTime();
        long started = startedNanos;
        long end = finishedNanos != 0 ? finishedNanos : now;
        Duration elapsed = started == 0 ? Duration.ZERO : Duration.ofNanos(end - started);
        double connected = stats.connectedSeconds(now);
        return new LoadReport(
                elapsed,
                stats.botsStarted.sum(),
                stats.botsFinished.sum(),
                stats.botsQueued.sum(),
                stats.botsPlaying.sum(),
                stats.matchesPlayed.sum(),
                stats.abandonedMatches.sum(),
                stats.restarts.sum(),
                stats.kills.sum(),
                stats.timeToMatch.percentiles(),
                connected > 0 ? stats.bytesIn.sum() / connected : 0,
                connected > 0 ? stats.bytesOut.sum() / connected : 0,
                stats.inputRoundTrip.percentiles(),
                stats.disconnects.sum(),
                stats.reconnects.sum(),
                stats.slotsLost.sum(),
                stats.requeues.sum(),
                stats.errors.sum(),
                stats.malformedFrames.sum());
    }

    /** Stops every bot (leaving queues, closing sockets), closes the channels and joins the threads. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        if (launcher != null) {
            launcher.interrupt();
            joinQuietly(launcher, Duration.ofSeconds(5));
        }
        for (Bot bot : bots) {
            bot.stop();
        }
        for (Thread t : threads) {
            joinQuietly(t, Duration.ofSeconds(5));
        }
        for (ManagedChannel c : channels) {
            c.shutdownNow();
        }
        for (Thread t : threads) {
            t.interrupt();
            joinQuietly(t, Duration.ofSeconds(5));
        }
        ticker.shutdownNow();
        for (ManagedChannel c : channels) {
            try {
                c.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            ticker.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        long alive = threads.stream().filter(Thread::isAlive).count();
        if (alive > 0) {
            log.warn("{} bot threads still running after close", alive);
        }
    }

    private static void joinQuietly(Thread t, Duration timeout) {
        try {
            t.join(timeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
