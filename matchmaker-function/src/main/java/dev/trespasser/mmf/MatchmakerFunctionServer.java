package dev.trespasser.mmf;

import dev.trespasser.proto.openmatch2.MatchMakingFunctionServiceGrpc;
import dev.trespasser.runtime.AdminEndpoint;
import io.grpc.Server;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The matchmaking function process: the gRPC service om-core calls, gRPC health and reflection,
 * and an HTTP admin port with Prometheus metrics ({@code /metrics}) and {@code /healthz}. Wired
 * by hand from {@link MmfConfig}.
 */
public final class MatchmakerFunctionServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MatchmakerFunctionServer.class);

    private final HealthStatusManager health = new HealthStatusManager();
    private final Duration shutdownGrace;
    private final Server grpc;
    private final AdminEndpoint admin;
    private volatile boolean serving;

    private MatchmakerFunctionServer(MmfConfig config, PrometheusRegistry registry) throws IOException {
        shutdownGrace = config.shutdownGrace();
        MatchmakingFunctionService service =
                new MatchmakingFunctionService(config.settings(), new MmfMetrics(registry), Clock.systemUTC());
        grpc = NettyServerBuilder.forPort(config.port())
                .maxInboundMessageSize(config.maxMessageBytes())
                .addService(service)
                .addService(health.getHealthService())
                .addService(ProtoReflectionServiceV1.newInstance())
                .build();
        admin = AdminEndpoint.start(config.metricsPort(), registry, () -> serving);
        try {
            grpc.start();
        } catch (IOException | RuntimeException e) {
            admin.close();
            throw e;
        }
        health.setStatus("", ServingStatus.SERVING);
        health.setStatus(MatchMakingFunctionServiceGrpc.SERVICE_NAME, ServingStatus.SERVING);
        serving = true;
    }

    /** Starts the servers; a port given as 0 is picked by the system (see the accessors). */
    public static MatchmakerFunctionServer start(MmfConfig config, PrometheusRegistry registry) throws IOException {
        MatchmakerFunctionServer server = new MatchmakerFunctionServer(config, registry);
        log.info(
                "matchmaking function: gRPC on :{}, metrics and /healthz on :{}, rules {}",
                server.port(),
                server.metricsPort(),
                config.settings().rules());
        return server;
    }

    public int port() {
        return grpc.getPort();
    }

    public int metricsPort() {
        return admin.port();
    }

    public void awaitTermination() throws InterruptedException {
        grpc.awaitTermination();
    }

    /**
     * Graceful stop: report NOT_SERVING first so probes stop routing here, let in-flight Runs
     * finish within the grace period, then cut what is left.
     */
    @Override
    public void close() {
        serving = false;
        health.enterTerminalState();
        grpc.shutdown();
        try {
            if (!grpc.awaitTermination(shutdownGrace.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("Runs still in flight after {}; cancelling them", shutdownGrace);
                grpc.shutdownNow();
                grpc.awaitTermination(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            grpc.shutdownNow();
            Thread.currentThread().interrupt();
        } finally {
            admin.close();
        }
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        MmfConfig config;
        try {
            config = MmfConfig.fromEnv(System.getenv());
        } catch (IllegalArgumentException e) {
            log.error("invalid configuration: {}", e.getMessage());
            System.exit(2);
            return;
        }
        JvmMetrics.builder().register(PrometheusRegistry.defaultRegistry);
        MatchmakerFunctionServer server = start(config, PrometheusRegistry.defaultRegistry);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            log.info("shutting down");
                            server.close();
                            log.info("stopped");
                        },
                        "mmf-shutdown"));
        server.awaitTermination();
    }
}
