package dev.trespasser.frontend;

import dev.trespasser.frontend.accounts.AccountStore;
import dev.trespasser.frontend.accounts.Accounts;
import dev.trespasser.frontend.accounts.RefreshTokens;
import dev.trespasser.frontend.assignments.AssignmentStore;
import dev.trespasser.frontend.auth.AccessTokens;
import dev.trespasser.frontend.auth.AuthInterceptor;
import dev.trespasser.frontend.auth.JwtKeySource;
import dev.trespasser.frontend.auth.PasswordHasher;
import dev.trespasser.frontend.auth.PasswordHashing;
import dev.trespasser.frontend.browser.BrowserPort;
import dev.trespasser.frontend.limits.ClientAddress;
import dev.trespasser.frontend.limits.LoginLockout;
import dev.trespasser.frontend.limits.RateLimiter;
import dev.trespasser.frontend.metrics.FrontendMetrics;
import dev.trespasser.frontend.queue.AssignmentChannel;
import dev.trespasser.frontend.queue.Matchmaking;
import dev.trespasser.frontend.queue.OmCoreReconnects;
import dev.trespasser.frontend.queue.OpenMatchTickets;
import dev.trespasser.frontend.queue.PeerUnavailableException;
import dev.trespasser.frontend.queue.QueueReconciler;
import dev.trespasser.frontend.queue.QueueStore;
import dev.trespasser.frontend.results.ResultLedger;
import dev.trespasser.frontend.results.ResultsConsumer;
import dev.trespasser.frontend.tls.ServerCertificate;
import dev.trespasser.proto.frontend.v1.FrontendServiceGrpc;
import dev.trespasser.runtime.AdminEndpoint;
import dev.trespasser.runtime.RedisClientSettings;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.JedisPooled;

/**
 * The frontend process, wired by hand from {@link FrontendConfig}: the player API on gRPC (with
 * health, and reflection when enabled) and, for browsers, over gRPC-Web beside the web bundle on
 * the browser port (both over TLS when a certificate is configured), the assignment subscription,
 * the queue sweeper, the results consumer, and an HTTP admin port with Prometheus metrics
 * ({@code /metrics}) and {@code /healthz}.
 */
public final class FrontendServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(FrontendServer.class);
    /** Requests are a few short strings; this bounds what a hostile client can make us parse. */
    static final int MAX_REQUEST_BYTES = 16 * 1024;

    private static final int SWEEP_BATCH = 200;

    private final FrontendConfig config;
    private final HealthStatusManager health = new HealthStatusManager();
    private final JedisPooled redis;
    private final ManagedChannel omCore;
    private final AssignmentChannel assignmentChannel;
    private final ResultsConsumer results;
    private final ScheduledExecutorService background;
    private final ScheduledExecutorService reconcile;
    private final QueueReconciler reconciler;
    private final Server grpc;
    private final BrowserPort browser;
    private final AdminEndpoint admin;
    private final PasswordHashing passwordHashing;
    private volatile boolean serving;

    private FrontendServer(FrontendConfig config, PrometheusRegistry registry, Clock clock) throws IOException {
        this.config = config;
        // Read and checked before anything starts: a bad Secret stops the pod with the reason.
        Optional<ServerCertificate> certificate =
                config.tls().map(files -> ServerCertificate.load(files.certificateFile(), files.keyFile()));
        FrontendMetrics metrics = new FrontendMetrics(registry);
        URI redisUri = URI.create(config.redisUrl());
        redis = config.redisClient().pool(redisUri);
        omCore = NettyChannelBuilder.forTarget(config.omCoreTarget())
                .usePlaintext()
                .build();
        SecureRandom random = new SecureRandom();

        AccountStore accountStore = new AccountStore(redis);
        AccessTokens accessTokens = new AccessTokens(
                JwtKeySource.load(config.jwtKeyFile(), config.jwtPreviousKeyFile(), config.devMode()),
                config.accessTokenTtl(),
                clock);
        passwordHashing = new PasswordHashing(
                new PasswordHasher(random, config.argon2Cost()),
                config.passwordHashThreads(),
                config.passwordHashQueue(),
                metrics);
        Accounts accounts = new Accounts(
                accountStore,
                new RefreshTokens(redis, config.refreshTokenTtl(), random, clock),
                accessTokens,
                passwordHashing,
                new LoginLockout(redis, config.loginLockout(), clock),
                random,
                clock,
                metrics);
        AssignmentStore assignmentStore = new AssignmentStore(redis);
        QueueStore queueStore = new QueueStore(redis, config.ticketTtl(), clock);
        OpenMatchTickets openMatchTickets =
                new OpenMatchTickets(omCore, Duration.ofSeconds(2), 3, Duration.ofMillis(100));
        Matchmaking matchmaking = new Matchmaking(
                new Matchmaking.Settings(
                        config.regions(),
                        config.ticketTtl(),
                        config.requeueAfter(),
                        config.queueTimeout(),
                        config.sweepInterval()),
                queueStore,
                openMatchTickets,
                accountStore,
                assignmentStore,
                clock,
                metrics);
        OmCoreReconnects reconnects = new OmCoreReconnects(omCore, queueStore, clock);
        reconciler = new QueueReconciler(
                matchmaking,
                queueStore,
                assignmentStore,
                openMatchTickets,
                reconnects,
                config.reconcileInterval(),
                clock,
                metrics);
        assignmentChannel = new AssignmentChannel(
                () -> config.redisClient().connection(redisUri),
                matchmaking,
                assignmentStore,
                clock,
                metrics,
                config.statusInterval(),
                4);
        results =
                new ResultsConsumer(redis, new ResultLedger(redis), consumerName(), config.resultsClaimIdle(), metrics);

        RateLimiter perPlayer = new RateLimiter(config.callsPerSecond(), Duration.ofSeconds(1), System::nanoTime);
        RateLimiter perAddress =
                new RateLimiter(config.anonymousCallsPerMinute(), Duration.ofMinutes(1), System::nanoTime);
        RateLimiter findMatch = new RateLimiter(config.findMatchPerMinute(), Duration.ofMinutes(1), System::nanoTime);
        RateLimiter registrations =
                new RateLimiter(config.registrationsPerHour(), Duration.ofHours(1), System::nanoTime);
        RateLimiter badTokens =
                new RateLimiter(config.unauthenticatedCallsPerMinute(), Duration.ofMinutes(1), System::nanoTime);
        FrontendService service = new FrontendService(accounts, matchmaking, assignmentChannel, findMatch, metrics);

        background = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "frontend-background");
            t.setDaemon(true);
            return t;
        });
        background.scheduleWithFixedDelay(
                () -> sweep(matchmaking),
                config.sweepInterval().toMillis(),
                config.sweepInterval().toMillis(),
                TimeUnit.MILLISECONDS);
        // Its own thread: a pass after om-core came back re-creates up to hundreds of tickets.
        reconcile = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "frontend-reconcile");
            t.setDaemon(true);
            return t;
        });
        reconnects.start(unwatched(queueStore));
        try {
            // Connect before serving, so the first reconnect (if it counts as one) predates every FindMatch.
            openMatchTickets.ping();
        } catch (PeerUnavailableException e) {
            log.warn("om-core not reachable at start ({}); queuing fails until it is", e.getMessage());
        }
        reconcile.scheduleWithFixedDelay(
                this::reconcile,
                config.reconcileInterval().toMillis(),
                config.reconcileInterval().toMillis(),
                TimeUnit.MILLISECONDS);
        background.scheduleWithFixedDelay(
                () -> {
                    perPlayer.forgetIdle();
                    perAddress.forgetIdle();
                    findMatch.forgetIdle();
                    registrations.forgetIdle();
                    badTokens.forgetIdle();
                },
                1,
                1,
                TimeUnit.MINUTES);

        FrontendConfig.GrpcServerSettings connections = config.grpcServer();
        // One definition for both ports: every call, native or gRPC-Web, passes the same interceptors.
        ServerServiceDefinition api = MalformedRequests.refused(ServerInterceptors.intercept(
                service,
                new AuthInterceptor(
                        accessTokens,
                        FrontendService.AUTHENTICATED_METHODS,
                        perPlayer,
                        perAddress,
                        Map.of(FrontendServiceGrpc.getRegisterMethod().getFullMethodName(), registrations),
                        badTokens,
                        metrics,
                        new ClientAddress(connections.trustedProxyHops())),
                new CallMetricsInterceptor(metrics)));
        NettyServerBuilder grpcBuilder = certificate
                .map(c -> NettyServerBuilder.forPort(config.port(), c.grpcCredentials()))
                .orElseGet(() -> NettyServerBuilder.forPort(config.port()))
                .maxConnectionAge(connections.maxConnectionAge().toMillis(), TimeUnit.MILLISECONDS)
                .maxConnectionAgeGrace(connections.maxConnectionAgeGrace().toMillis(), TimeUnit.MILLISECONDS)
                .keepAliveTime(connections.keepAliveTime().toMillis(), TimeUnit.MILLISECONDS)
                .keepAliveTimeout(connections.keepAliveTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .permitKeepAliveTime(connections.permitKeepAliveTime().toMillis(), TimeUnit.MILLISECONDS)
                .permitKeepAliveWithoutCalls(true)
                .maxInboundMessageSize(MAX_REQUEST_BYTES)
                .maxInboundMetadataSize(8 * 1024)
                .addService(api)
                .addService(health.getHealthService());
        if (connections.reflection()) {
            grpcBuilder.addService(ProtoReflectionServiceV1.newInstance());
        }
        grpc = grpcBuilder.build();
        browser = BrowserPort.create(
                new BrowserPort.Settings(
                        config.browser().port(),
                        config.browser().allowedOrigins(),
                        certificate,
                        MAX_REQUEST_BYTES,
                        // The queue timeout ends every stream; the slack covers its last status tick.
                        config.queueTimeout().plus(config.statusInterval()).plus(Duration.ofMinutes(1)),
                        connections.maxConnectionAge(),
                        config.shutdownGrace()),
                api);
        if (certificate.isEmpty()) {
            log.warn("TLS is off: FRONTEND_TLS_CERT_FILE and FRONTEND_TLS_KEY_FILE are unset, so the gRPC port and "
                    + "the browser port are plaintext (pages served over https cannot call them)");
        } else {
            log.info(
                    "TLS on both public ports with the certificate of {}",
                    certificate.get().subject());
        }
        admin = AdminEndpoint.start(config.metricsPort(), registry, () -> serving);
        try {
            assignmentChannel.start();
            results.start();
            grpc.start();
            browser.start();
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
        health.setStatus("", ServingStatus.SERVING);
        health.setStatus(FrontendServiceGrpc.SERVICE_NAME, ServingStatus.SERVING);
        serving = true;
    }

    public static FrontendServer start(FrontendConfig config, PrometheusRegistry registry, Clock clock)
            throws IOException {
        FrontendServer server = new FrontendServer(config, registry, clock);
        log.info(
                "frontend: gRPC on :{}, browser port (web bundle, gRPC-Web) on :{}, metrics and /healthz on :{}, "
                        + "Redis {}, om-core {}, regions {}",
                server.port(),
                server.webPort(),
                server.metricsPort(),
                RedisClientSettings.redacted(config.redisUrl()),
                config.omCoreTarget(),
                config.regions());
        return server;
    }

    public int port() {
        return grpc.getPort();
    }

    /** The browser port: the web bundle and the player API over gRPC-Web. */
    public int webPort() {
        return browser.port();
    }

    public int metricsPort() {
        return admin.port();
    }

    public AssignmentChannel assignmentChannel() {
        return assignmentChannel;
    }

    public void awaitTermination() throws InterruptedException {
        grpc.awaitTermination();
    }

    /** Whether om-core went unwatched before this start; unknown (Redis away) counts as unwatched. */
    private static boolean unwatched(QueueStore store) {
        try {
            return store.reconcileLeaseFree();
        } catch (RuntimeException e) {
            log.warn("cannot read the reconcile lease ({}); treating om-core as unwatched", e.toString());
            return true;
        }
    }

    private void reconcile() {
        try {
            reconciler.reconcile();
        } catch (RuntimeException e) {
            log.warn("queue reconcile failed: {}", e.toString());
        }
    }

    private void sweep(Matchmaking matchmaking) {
        try {
            while (matchmaking.sweep(SWEEP_BATCH) == SWEEP_BATCH) {
                // a full batch: more may be due
            }
        } catch (RuntimeException e) {
            log.warn("queue sweep failed: {}", e.toString());
        }
    }

    /**
     * Graceful stop: NOT_SERVING first so probes stop routing here, open WatchAssignment streams
     * end with UNAVAILABLE (their players stay queued and reconnect elsewhere), in-flight unary
     * calls finish within the grace period, then the background work and connections stop.
     */
    @Override
    public void close() {
        serving = false;
        health.enterTerminalState();
        grpc.shutdown();
        // Streams end with their UNAVAILABLE trailers before the browser port stops: stopping it
        // first raced the trailers, and a browser sometimes got a reset stream instead.
        assignmentChannel.close();
        // Both ports drain at once, within the same grace.
        CompletableFuture<Void> browserStopped = browser.stop();
        try {
            if (!grpc.awaitTermination(config.shutdownGrace().toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("calls still in flight after {}; cancelling them", config.shutdownGrace());
                grpc.shutdownNow();
                grpc.awaitTermination(5, TimeUnit.SECONDS);
            }
            browserStopped.get(config.shutdownGrace().toMillis() + 5_000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            grpc.shutdownNow();
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            log.warn("browser port did not stop cleanly: {}", e.toString());
        } finally {
            browser.close();
            background.shutdownNow();
            reconcile.shutdownNow();
            reconciler.close();
            passwordHashing.close();
            results.close();
            omCore.shutdownNow();
            redis.close();
            admin.close();
        }
    }

    /** hostname-pid: unique per process, stable in logs and in XINFO CONSUMERS. */
    private static String consumerName() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = "unknown-host";
        }
        return host + "-" + ProcessHandle.current().pid();
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        FrontendConfig config;
        try {
            config = FrontendConfig.fromEnv(System.getenv());
        } catch (IllegalArgumentException e) {
            log.error("invalid configuration: {}", e.getMessage());
            System.exit(2);
            return;
        }
        // JVM metrics (heap, GC, threads) like the director's and the MMF's, for the same dashboards.
        JvmMetrics.builder().register(PrometheusRegistry.defaultRegistry);
        FrontendServer server;
        try {
            server = start(config, PrometheusRegistry.defaultRegistry, Clock.systemUTC());
        } catch (IllegalArgumentException e) {
            log.error("cannot start: {}", e.getMessage());
            System.exit(2);
            return;
        }
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            log.info("shutting down");
                            server.close();
                            log.info("stopped");
                        },
                        "frontend-shutdown"));
        server.awaitTermination();
    }
}
