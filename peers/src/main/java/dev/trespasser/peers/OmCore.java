package dev.trespasser.peers;

import dev.trespasser.proto.openmatch2.ActivateTicketsRequest;
import dev.trespasser.proto.openmatch2.OpenMatchServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real Open Match 2 core (om-core) with in-memory state, on free loopback ports.
 *
 * <p>Readiness is proven by a real RPC, because om-core serves neither gRPC health nor reflection.
 */
public final class OmCore implements AutoCloseable {
    /**
     * Replication settings for local play and tests. om-core's defaults (out 500 ms, in 1500 ms,
     * sleep 500 ms) can hide a new ticket from Invoke for ~2 s; these cut that to ~0.3 s. The
     * production values and their reasoning are in docs/configuration.md.
     */
    public static final Map<String, String> FAST_REPLICATION = Map.of(
            "OM_CACHE_OUT_WAIT_TIMEOUT_MS", "50",
            "OM_CACHE_IN_WAIT_TIMEOUT_MS", "100",
            "OM_CACHE_IN_SLEEP_BETWEEN_APPLYING_UPDATES_MS", "50");

    private final PeerProcess process;
    private final int grpcPort;

    private OmCore(PeerProcess process, int grpcPort) {
        this.process = process;
        this.grpcPort = grpcPort;
    }

    /** Starts om-core with {@link #FAST_REPLICATION} and any extra OM_* settings. */
    public static OmCore start(Path logDir, Map<String, String> settings) {
        PeerBinaries binaries = PeerBinaries.locate();
        int grpcPort = FreePort.pick();
        Map<String, String> env = new HashMap<>(FAST_REPLICATION);
        env.putAll(Map.of(
                "OM_STATE_STORAGE_TYPE",
                "memory",
                "OM_LOGGING_FORMAT",
                "text",
                "OM_GRPC_PORT",
                Integer.toString(grpcPort),
                "PORT",
                Integer.toString(FreePort.pick()),
                // om-core exports OTLP unless OM_OTEL_SIDECAR=false, which would serve Prometheus on
                // the fixed port 2223 (clashing between parallel instances): aim OTLP at a closed port.
                "OTEL_EXPORTER_OTLP_ENDPOINT",
                "http://127.0.0.1:" + FreePort.pick(),
                // ...and give up on it quickly, so SIGTERM does not wait on a flush that cannot succeed.
                "OTEL_EXPORTER_OTLP_TIMEOUT",
                "200"));
        env.putAll(settings);
        PeerProcess process =
                PeerProcess.start("om-core", List.of(binaries.omCore().toString()), env, logDir);
        OmCore core = new OmCore(process, grpcPort);
        try {
            core.awaitReady(Duration.ofSeconds(30));
        } catch (RuntimeException e) {
            core.close();
            throw e;
        }
        return core;
    }

    public String grpcTarget() {
        return "127.0.0.1:" + grpcPort;
    }

    public int grpcPort() {
        return grpcPort;
    }

    public PeerProcess process() {
        return process;
    }

    /** A plaintext channel to this om-core; the caller closes it. */
    public ManagedChannel newChannel() {
        return NettyChannelBuilder.forTarget(grpcTarget()).usePlaintext().build();
    }

    /** Readiness by a real call, because om-core serves neither gRPC health nor reflection. */
    private void awaitReady(Duration timeout) {
        ManagedChannel channel = newChannel();
        try {
            var stub = OpenMatchServiceGrpc.newBlockingStub(channel);
            process.awaitReady(timeout, () -> {
                try {
                    stub.withDeadlineAfter(1, TimeUnit.SECONDS)
                            .activateTickets(ActivateTicketsRequest.getDefaultInstance());
                    return true;
                } catch (StatusRuntimeException e) {
                    // An empty activation is refused with INVALID_ARGUMENT: an answer from om-core itself.
                    return e.getStatus().getCode() == Status.Code.INVALID_ARGUMENT;
                }
            });
        } finally {
            channel.shutdownNow();
        }
    }

    @Override
    public void close() {
        process.close();
    }
}
