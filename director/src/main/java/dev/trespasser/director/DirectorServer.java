package dev.trespasser.director;

import dev.trespasser.director.allocation.AgonesAllocator;
import dev.trespasser.director.allocation.GameServerAllocator;
import dev.trespasser.director.assignments.AssignmentPublisher;
import dev.trespasser.director.assignments.TicketClaims;
import dev.trespasser.director.profiles.MatchProfile;
import dev.trespasser.director.profiles.PoolSlicer;
import dev.trespasser.director.tokens.JoinTokenSigner;
import dev.trespasser.proto.openmatch2.OpenMatchServiceGrpc;
import dev.trespasser.runtime.AdminEndpoint;
import dev.trespasser.runtime.Backoff;
import dev.trespasser.runtime.RedisClientSettings;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.JedisPooled;

/**
 * The director process, wired by hand from {@link DirectorConfig}: om-core channel, Redis,
 * allocator, signer, one loop per profile, and an HTTP port with {@code /metrics} and
 * {@code /healthz}.
 */
public final class DirectorServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DirectorServer.class);

    private final ManagedChannel omCore;
    private final JedisPooled redis;
    private final GameServerAllocator allocator;
    private final Director director;
    private final ExecutorService placements;
    private final ScheduledExecutorService upkeep;
    private final AdminEndpoint admin;
    private final CountDownLatch stopped = new CountDownLatch(1);

    private DirectorServer(
            DirectorConfig config, PrometheusRegistry registry, Clock clock, GameServerAllocator allocator)
            throws IOException {
        DirectorMetrics metrics = new DirectorMetrics(registry);
        JoinTokenSigner signer = new JoinTokenSigner(config.tokenKeys().load(), config.matchLifetime());
        this.allocator = allocator;
        omCore = NettyChannelBuilder.forTarget(config.omCoreTarget())
                .usePlaintext()
                .build();
        redis = config.redisClient().pool(URI.create(config.redisUrl()));
        var openMatch = OpenMatchServiceGrpc.newBlockingStub(omCore);
        TicketClaims claims = new TicketClaims(redis, config.claimTtl(), config.claimLease());
        MatchPlacer placer = new MatchPlacer(
                claims,
                allocator,
                signer,
                new AssignmentPublisher(redis, config.matchLifetime(), config.hostTemplate(), config.matchTls()),
                new TicketReactivator(openMatch, config.invokeTimeout(), metrics),
                metrics,
                clock,
                config.maps(),
                config.rules());
        AtomicBoolean stopping = new AtomicBoolean();
        AtomicInteger placementThreads = new AtomicInteger();
        // Bounded by each loop's DIRECTOR_PLACEMENT_CONCURRENCY; a cycle waits for its own placements.
        placements = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "director-place-" + placementThreads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        PoolSlicer slicer = new PoolSlicer(redis, config.maxPoolTickets());
        List<ProfileLoop> loops = new ArrayList<>();
        for (MatchProfile profile : config.profiles()) {
            loops.add(new ProfileLoop(
                    profile,
                    openMatch,
                    config.mmf(),
                    slicer,
                    config.invokeTimeout(),
                    placer,
                    new Backoff(config.backoffBase(), config.backoffMax(), clock),
                    stopping::get,
                    metrics,
                    placements,
                    config.placementConcurrency(),
                    config.invokeRetryMax()));
        }
        director = new Director(loops, config.loopThreads(), config.cycle(), config.shutdownGrace(), stopping);
        upkeep = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "director-upkeep");
            thread.setDaemon(true);
            return thread;
        });
        // Claims of matches being placed live one lease; renewing them three times a lease keeps
        // them through a slow allocation, and lets them lapse soon after this process dies.
        long renewMillis = Math.max(1, config.claimLease().toMillis() / 3);
        upkeep.scheduleWithFixedDelay(claims::renewLeases, renewMillis, renewMillis, TimeUnit.MILLISECONDS);
        // gRPC waits ever longer between attempts to reach an om-core that is away (up to 2 min);
        // retrying at the invoke retry cadence resumes matchmaking within about a second of its return.
        long retryMillis = Math.max(100, config.invokeRetryMax().toMillis());
        upkeep.scheduleWithFixedDelay(
                () -> {
                    if (omCore.getState(false) == ConnectivityState.TRANSIENT_FAILURE) {
                        omCore.resetConnectBackoff();
                    }
                },
                retryMillis,
                retryMillis,
                TimeUnit.MILLISECONDS);
        admin = AdminEndpoint.start(config.metricsPort(), registry, () -> !director.stopping());
        director.start();
    }

    public static DirectorServer start(DirectorConfig config, PrometheusRegistry registry, Clock clock)
            throws IOException {
        return start(config, registry, clock, agonesAllocator(config));
    }

    /** With a given allocator: the contract tests run the real wiring over an in-memory fleet. */
    static DirectorServer start(
            DirectorConfig config, PrometheusRegistry registry, Clock clock, GameServerAllocator allocator)
            throws IOException {
        DirectorServer server = new DirectorServer(config, registry, clock, allocator);
        log.info(
                "director: om-core {}, MMF {}:{}, Redis {}, allocator {}, metrics and /healthz on :{}",
                config.omCoreTarget(),
                config.mmf().getHost(),
                config.mmf().getPort(),
                RedisClientSettings.redacted(config.redisUrl()),
                allocator.getClass().getSimpleName(),
                server.metricsPort());
        return server;
    }

    /**
     * Opens the allocator a director process places its matches with. Production allocates through
     * Agones ({@link #main}); the local stack runs this same process with its own main, which
     * passes an allocator over its local fleet.
     */
    @FunctionalInterface
    public interface AllocatorFactory {
        GameServerAllocator open(DirectorConfig config) throws IOException;
    }

    private static GameServerAllocator agonesAllocator(DirectorConfig config) throws IOException {
        DirectorConfig.Agones agones = config.agones();
        return new AgonesAllocator(
                AgonesAllocator.apiClient(agones.apiUrl(), agones.kubeconfig(), agones.timeout()), agones.settings());
    }

    public int metricsPort() {
        return admin.port();
    }

    public void awaitTermination() throws InterruptedException {
        stopped.await();
    }

    /** Graceful stop: loops finish their cycle (unplaced matches go back), then the connections close. */
    @Override
    public void close() {
        try {
            director.close();
            upkeep.shutdownNow();
            placements.shutdown();
            allocator.close();
            omCore.shutdown();
            if (!omCore.awaitTermination(5, TimeUnit.SECONDS)) {
                omCore.shutdownNow();
            }
        } catch (InterruptedException e) {
            omCore.shutdownNow();
            Thread.currentThread().interrupt();
        } finally {
            redis.close();
            admin.close();
            stopped.countDown();
        }
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        run(System.getenv(), DirectorServer::agonesAllocator);
    }

    /**
     * Runs a director process until SIGTERM, placing matches with the allocator {@code allocators}
     * opens. A configuration error (of the director or of the allocator) exits with status 2.
     */
    public static void run(Map<String, String> env, AllocatorFactory allocators)
            throws IOException, InterruptedException {
        DirectorConfig config;
        GameServerAllocator allocator;
        try {
            config = DirectorConfig.fromEnv(env);
            allocator = allocators.open(config);
        } catch (IllegalArgumentException e) {
            log.error("invalid configuration: {}", e.getMessage());
            System.exit(2);
            return;
        }
        JvmMetrics.builder().register(PrometheusRegistry.defaultRegistry);
        DirectorServer server = start(config, PrometheusRegistry.defaultRegistry, Clock.systemUTC(), allocator);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            log.info("shutting down: finishing in-flight allocations, handing back unplaced matches");
                            server.close();
                            log.info("stopped");
                        },
                        "director-shutdown"));
        server.awaitTermination();
    }
}
