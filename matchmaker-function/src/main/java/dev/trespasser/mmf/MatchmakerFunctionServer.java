package dev.trespasser.mmf;

import com.sun.net.httpserver.HttpExchange;
import dev.trespasser.proto.openmatch2.MatchMakingFunctionServiceGrpc;
import io.grpc.Server;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
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
  private final HTTPServer admin;
  private volatile boolean serving;

  private MatchmakerFunctionServer(MmfConfig config, PrometheusRegistry registry) throws IOException {
    shutdownGrace = config.shutdownGrace();
    MatchmakingFunctionService service =
        new MatchmakingFunctionService(config.settings(), new MmfMetrics(registry), Clock.systemUTC());
    grpc =
        NettyServerBuilder.forPort(config.port())
            .maxInboundMessageSize(config.maxMessageBytes())
            .addService(service)
            .addService(health.getHealthService())
            .addService(ProtoReflectionServiceV1.newInstance())
            .build();
    admin =
        HTTPServer.builder()
            .port(config.metricsPort())
            .registry(registry)
            .defaultHandler(this::handleAdmin)
            .buildAndStart();
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
  public static MatchmakerFunctionServer start(MmfConfig config, PrometheusRegistry registry)
      throws IOException {
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
    return admin.getPort();
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

  private void handleAdmin(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      if (path.equals("/healthz")) {
        boolean up = serving;
        reply(exchange, up ? 200 : 503, up ? "ok\n" : "shutting down\n");
      } else {
        reply(exchange, 404, "not found; try /metrics or /healthz\n");
      }
    }
  }

  private static void reply(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
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
        .addShutdownHook(
            new Thread(
                () -> {
                  log.info("shutting down");
                  server.close();
                  log.info("stopped");
                },
                "mmf-shutdown"));
    server.awaitTermination();
  }
}
