package dev.trespasser.director.endtoend;

import com.google.gson.JsonObject;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.trespasser.director.DirectorConfig;
import dev.trespasser.director.DirectorServer;
import dev.trespasser.director.allocation.AllocationApiStub;
import dev.trespasser.frontend.FrontendHarness;
import dev.trespasser.frontend.PoolProbe;
import dev.trespasser.mmf.MatchmakerFunctionServer;
import dev.trespasser.mmf.MmfConfig;
import dev.trespasser.peers.OmCore;
import dev.trespasser.peers.RedisServer;
import dev.trespasser.proto.GameServerMetadata;
import dev.trespasser.proto.allocation.v1.MatchAllocation;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * Everything matchmaking runs on, each part real: Redis, om-core (in-memory state), the MMF, the
 * frontend (players use its public gRPC API), and the director with the real AgonesAllocator
 * talking to the stub of the Kubernetes aggregated allocation API (the only stand-in: no cluster
 * runs here). The director starts separately, so a test can queue players first.
 */
public final class MatchmakingStack implements AutoCloseable {

    public static final Path LOGS = Path.of("target/peer-logs");
    public static final String NAMESPACE = "games";

    private final Path keyDir;
    private RedisServer redis;
    private OmCore omCore;
    private OmCoreService omCoreService;
    private MatchmakerFunctionServer mmf;
    private final PrometheusRegistry mmfRegistry = new PrometheusRegistry();
    private final PrometheusRegistry directorRegistry = new PrometheusRegistry();
    private FrontendHarness frontend;
    private PoolProbe probe;
    private AllocationApiStub allocationApi;
    private DirectorServer director;

    private MatchmakingStack(Path keyDir) {
        this.keyDir = keyDir;
    }

    /** Starts every part but the director; om-core and the frontend get these extra settings. */
    public static MatchmakingStack start(
            Path keyDir, Map<String, String> omCoreSettings, Map<String, String> frontendSettings) {
        return start(keyDir, omCoreSettings, frontendSettings, false);
    }

    /**
     * As {@link #start}, with om-core behind a fixed address ({@link OmCoreService}), so a test
     * can kill it and start a new one that the frontend and the director reach as before. The
     * pool probe talks to the first om-core only.
     */
    public static MatchmakingStack startWithRestartableOmCore(
            Path keyDir, Map<String, String> omCoreSettings, Map<String, String> frontendSettings) {
        return start(keyDir, omCoreSettings, frontendSettings, true);
    }

    private static MatchmakingStack start(
            Path keyDir,
            Map<String, String> omCoreSettings,
            Map<String, String> frontendSettings,
            boolean restartable) {
        MatchmakingStack stack = new MatchmakingStack(keyDir);
        try {
            stack.redis = RedisServer.startWithUsers(LOGS, RedisServer.RESULTS_USERS);
            if (restartable) {
                stack.omCoreService = OmCoreService.start(LOGS, omCoreSettings);
                stack.omCore = stack.omCoreService.omCore();
            } else {
                stack.omCore = OmCore.start(LOGS, omCoreSettings);
            }
            stack.mmf = MatchmakerFunctionServer.start(
                    MmfConfig.fromEnv(Map.of("MMF_PORT", "0", "MMF_METRICS_PORT", "0")), stack.mmfRegistry);
            stack.frontend = FrontendHarness.start(stack.redis, stack.omCoreTarget(), frontendSettings);
            stack.probe = new PoolProbe(stack.omCore);
            stack.allocationApi = new AllocationApiStub(NAMESPACE);
            return stack;
        } catch (IOException e) {
            stack.close();
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            stack.close();
            throw e;
        }
    }

    /** Starts the director, from environment variables as in production, with these overrides. */
    public DirectorServer startDirector(Map<String, String> overrides) {
        try {
            director = DirectorServer.start(
                    DirectorConfig.fromEnv(directorEnvironment(overrides)), directorRegistry, Clock.systemUTC());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return director;
    }

    /** Starts a director in a child JVM (a test can SIGKILL it); the caller closes it. */
    public DirectorProcess startDirectorProcess(Map<String, String> overrides, String name) {
        return DirectorProcess.start(directorEnvironment(overrides), LOGS.resolve(name + ".log"));
    }

    /** The om-core address the frontend and the director use. */
    public String omCoreTarget() {
        return omCoreService != null ? omCoreService.grpcTarget() : omCore.grpcTarget();
    }

    /** The fixed om-core address, when started with {@link #startWithRestartableOmCore}. */
    public OmCoreService omCoreService() {
        return omCoreService;
    }

    private Map<String, String> directorEnvironment(Map<String, String> overrides) {
        Map<String, String> env = new HashMap<>(Map.of(
                "OM_CORE_TARGET", omCoreTarget(),
                "MMF_HOST", "127.0.0.1",
                "MMF_PORT", Integer.toString(mmf.port()),
                "REDIS_URL", redis.serviceUrl("director"),
                "DIRECTOR_KUBE_API_URL", allocationApi.url(),
                "DIRECTOR_NAMESPACE", NAMESPACE,
                "DIRECTOR_METRICS_PORT", "0",
                "JOIN_TOKEN_DEV_KEYS", "true",
                "JOIN_TOKEN_PUBLIC_KEY_OUT", publicKeyFile().toString()));
        env.putAll(overrides);
        return env;
    }

    /** The MMF's metrics. */
    public PrometheusRegistry mmfRegistry() {
        return mmfRegistry;
    }

    /** The metrics of the director started by {@link #startDirector}. */
    public PrometheusRegistry directorRegistry() {
        return directorRegistry;
    }

    public FrontendHarness frontend() {
        return frontend;
    }

    public OmCore omCore() {
        return omCore;
    }

    public PoolProbe probe() {
        return probe;
    }

    public AllocationApiStub allocationApi() {
        return allocationApi;
    }

    public Path publicKeyFile() {
        return keyDir.resolve("join-token.pub.pem");
    }

    /** The dev-mode public key the director wrote, as a match server would load it. */
    public PublicKey joinTokenPublicKey() throws Exception {
        String body = Files.readString(publicKeyFile())
                .replace("-----BEGIN PUBLIC KEY-----", "")
                .replace("-----END PUBLIC KEY-----", "")
                .replaceAll("\\s", "");
        return KeyFactory.getInstance("Ed25519")
                .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(body)));
    }

    /** The match the director sent with an allocation request: the annotation a match server reads. */
    public static MatchAllocation allocationOf(JsonObject request) throws InvalidProtocolBufferException {
        String json = request.getAsJsonObject("spec")
                .getAsJsonObject("metadata")
                .getAsJsonObject("annotations")
                .get(GameServerMetadata.MATCH_ANNOTATION)
                .getAsString();
        MatchAllocation.Builder match = MatchAllocation.newBuilder();
        JsonFormat.parser().merge(json, match);
        return match.build();
    }

    /** Stops the director first (it hands unplaced matches back), then the rest in reverse order. */
    @Override
    public void close() {
        if (director != null) {
            director.close();
        }
        if (allocationApi != null) {
            allocationApi.close();
        }
        if (probe != null) {
            probe.close();
        }
        if (frontend != null) {
            frontend.close();
        }
        if (mmf != null) {
            mmf.close();
        }
        if (omCoreService != null) {
            omCoreService.close();
        } else if (omCore != null) {
            omCore.close();
        }
        if (redis != null) {
            redis.close();
        }
    }
}
