package dev.trespasser.mmf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.BytesValue;
import dev.trespasser.proto.openmatch2.ChunkedMmfRunRequest;
import dev.trespasser.proto.openmatch2.MatchMakingFunctionServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The process as om-core and Kubernetes see it: real sockets, health, metrics, shutdown. */
class MatchmakerFunctionServerTest {

    private static final MmfConfig EPHEMERAL_PORTS =
            MmfConfig.fromEnv(Map.of("MMF_PORT", "0", "MMF_METRICS_PORT", "0"));

    private static HttpResponse<String> get(int port, String path) throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesRunHealthAndMetricsAndAcceptsChunksAboveFourMebibytes() throws Exception {
        try (MatchmakerFunctionServer server =
                MatchmakerFunctionServer.start(EPHEMERAL_PORTS, new PrometheusRegistry())) {
            ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", server.port())
                    .usePlaintext()
                    .build();
            try {
                ServingStatus status = HealthGrpc.newBlockingStub(channel)
                        .check(HealthCheckRequest.newBuilder()
                                .setService(MatchMakingFunctionServiceGrpc.SERVICE_NAME)
                                .build())
                        .getStatus();
                assertEquals(ServingStatus.SERVING, status);

                // om-core repeats the profile's extensions in every chunk and cuts chunks near 4 MB.
                ChunkedMmfRunRequest big = Requests.chunk("p", 1, Map.of("pool", Requests.solos("s", 8))).toBuilder()
                        .setProfile(
                                Requests.chunk("p", 1, Map.of("pool", Requests.solos("s", 8))).getProfile().toBuilder()
                                        .putExtensions(
                                                "padding",
                                                Any.pack(
                                                        BytesValue.of(ByteString.copyFrom(new byte[5 * 1024 * 1024])))))
                        .build();
                assertTrue(big.getSerializedSize() > 5 * 1024 * 1024);
                RunClient.Outcome outcome = new RunClient(channel).run(List.of(big));
                assertEquals(
                        Status.Code.OK,
                        outcome.status().getCode(),
                        outcome.status().toString());
                assertEquals(1, outcome.matches().size());
            } finally {
                channel.shutdownNow();
            }

            HttpResponse<String> metrics = get(server.metricsPort(), "/metrics");
            assertEquals(200, metrics.statusCode());
            assertTrue(metrics.body().contains("trespasser_mmf_runs_total{outcome=\"ok\"} 1.0"));
            assertEquals(200, get(server.metricsPort(), "/healthz").statusCode());
            assertEquals(404, get(server.metricsPort(), "/nothing-here").statusCode());
        }
    }

    @Test
    void afterCloseNothingIsServed() throws Exception {
        MatchmakerFunctionServer server = MatchmakerFunctionServer.start(EPHEMERAL_PORTS, new PrometheusRegistry());
        int port = server.port();
        server.close();
        ManagedChannel channel =
                NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        try {
            StatusRuntimeException e = assertThrows(
                    StatusRuntimeException.class,
                    () -> HealthGrpc.newBlockingStub(channel)
                            .withDeadlineAfter(2, TimeUnit.SECONDS)
                            .check(HealthCheckRequest.getDefaultInstance()));
            assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode());
        } finally {
            channel.shutdownNow();
        }
    }

    @Test
    @Timeout(60)
    void theProcessStopsGracefullyOnSigterm() throws Exception {
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        // The test classpath carries a quiet logback-test.xml; the child logs as in production.
        String logback =
                MatchmakerFunctionServer.class.getResource("/logback.xml").toString();
        List<String> command = List.of(
                java,
                "-Dlogback.configurationFile=" + logback,
                "-cp",
                System.getProperty("java.class.path"),
                MatchmakerFunctionServer.class.getName());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("MMF_PORT", "0");
        builder.environment().put("MMF_METRICS_PORT", "0");
        Process process = builder.start();
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader out =
                    new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    lines.add(line);
                }
            } catch (IOException e) {
                lines.add("read failed: " + e);
            }
        });
        reader.start();
        try {
            assertTrue(waitForLine(lines, "matchmaking function: gRPC on"), "the server logged its start");
            // Process.destroy() would also close our end of the child's output; send the signal only.
            Process kill = new ProcessBuilder("kill", "-TERM", Long.toString(process.pid())).start();
            assertEquals(0, kill.waitFor(), "kill -TERM");
            assertTrue(process.waitFor(20, TimeUnit.SECONDS), "exited after SIGTERM");
            assertEquals(143, process.exitValue(), "the JVM's exit code for SIGTERM");
            assertTrue(waitForLine(lines, "stopped"), () -> "the shutdown hook ran to its end: " + lines);
        } finally {
            process.destroyForcibly();
            reader.join(5_000);
        }
    }

    private static boolean waitForLine(BlockingQueue<String> lines, String text) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            String line = lines.poll(100, TimeUnit.MILLISECONDS);
            if (line != null && line.contains(text)) {
                return true;
            }
        }
        return false;
    }

    @Test
    void badConfigurationStopsTheProcessWithAClearMessage() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> MmfConfig.fromEnv(Map.of("MMF_PORT", "fifty")));
        assertTrue(e.getMessage().startsWith("MMF_PORT='fifty'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> MmfConfig.fromEnv(Map.of("MMF_INVALID_TICKETS", "maybe")));
        assertThrows(
                IllegalArgumentException.class,
                () -> MmfConfig.fromEnv(Map.of("MMF_TOLERANCE_BASE", "500", "MMF_TOLERANCE_MAX", "100")));
        assertThrows(IllegalArgumentException.class, () -> MmfConfig.fromEnv(Map.of("MMF_MAX_CHUNKS", "0")));
    }

    @Test
    void defaultsMatchTheReadme() {
        MmfConfig config = MmfConfig.fromEnv(Map.of());
        assertEquals(50502, config.port());
        assertEquals(9102, config.metricsPort());
        assertEquals(8 * 1024 * 1024, config.maxMessageBytes());
        assertEquals(1024, config.settings().maxChunks());
        assertEquals(250_000, config.settings().maxTickets());
        assertEquals(InvalidTicketPolicy.SKIP_TICKET, config.settings().invalidTickets());
        assertEquals(100, config.settings().rules().baseTolerance());
        assertEquals(20, config.settings().rules().tolerancePerSecond());
        assertEquals(600, config.settings().rules().maxTolerance());
        assertEquals(10, config.shutdownGrace().toSeconds());
    }
}
