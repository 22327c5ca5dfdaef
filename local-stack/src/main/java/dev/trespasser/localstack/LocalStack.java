package dev.trespasser.localstack;

import dev.trespasser.bots.ClientTrust;
import dev.trespasser.localstack.fleet.FleetListener;
import dev.trespasser.localstack.fleet.LocalFleet;
import dev.trespasser.localstack.fleet.LocalFleetDirector;
import dev.trespasser.localstack.keys.JoinTokenKeyPair;
import dev.trespasser.localstack.keys.LocalTls;
import dev.trespasser.localstack.process.JvmLauncher;
import dev.trespasser.peers.FreePort;
import dev.trespasser.peers.OmCore;
import dev.trespasser.peers.PeerProcess;
import dev.trespasser.peers.RedisServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole platform on one machine, with the real parts: Redis, om-core (in-memory state), the
 * MMF, director and frontend as child JVMs, and the local fleet (match servers with their SDK
 * servers). {@link #close()} stops everything it started, in reverse order; every child also has
 * a kill-on-exit hook, so a crash of this JVM leaves nothing behind.
 */
public final class LocalStack implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LocalStack.class);
    private static final Duration SERVICE_START_TIMEOUT = Duration.ofSeconds(60);

    /** One of our services running as a child JVM. */
    public record Service(String name, PeerProcess process, int port, int metricsPort) {
        public String metricsUrl() {
            return "http://127.0.0.1:" + metricsPort + "/metrics";
        }
    }

    private final StackSettings settings;
    private final Path logDir;
    private final List<AutoCloseable> started = new ArrayList<>();
    private RedisServer redis;
    private RedisServer replayRedis;
    private OmCore omCore;
    private Service mmf;
    private Service director;
    private Service frontend;
    private LocalFleet fleet;
    private LocalTls tls;
    private int webPort;
    private boolean frontendServesTls;

    private LocalStack(StackSettings settings) {
        this.settings = settings;
        this.logDir = settings.runDir().resolve("logs");
    }

    /**
     * Starts every part and waits for each to be ready.
     *
     * @param launcher how child JVMs are started (classpath, flags)
     * @param fleetListener hears allocations, returns to the fleet and replacements
     */
    public static LocalStack start(StackSettings settings, JvmLauncher launcher, FleetListener fleetListener) {
        LocalStack stack = new LocalStack(settings);
        try {
            stack.startAll(launcher, fleetListener);
            return stack;
        } catch (IOException e) {
            stack.close();
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            stack.close();
            throw e;
        }
    }

    /**
     * Writes the logging setup every child JVM uses: the production one, service-runtime's
     * {@code logback.xml}, named explicitly because a test classpath also holds logback-test.xml.
     */
    public static Path writeChildLogbackConfig(Path runDir) throws IOException {
        Path file = runDir.resolve("logback-services.xml");
        Files.createDirectories(runDir);
        try (InputStream production = LocalStack.class.getResourceAsStream("/logback.xml")) {
            if (production == null) {
                throw new IOException("service-runtime's logback.xml is not on the classpath");
            }
            Files.copy(production, file, StandardCopyOption.REPLACE_EXISTING);
        }
        return file;
    }

    private void startAll(JvmLauncher launcher, FleetListener fleetListener) throws IOException {
        Files.createDirectories(logDir);
        JoinTokenKeyPair keys = JoinTokenKeyPair.generate(settings.runDir().resolve("keys"));
        Path jwtKey = settings.runDir().resolve("keys").resolve("frontend-jwt.key");
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        Files.writeString(jwtKey, Base64.getEncoder().encodeToString(secret));
        // Every connection is TLS, as in production: one CA for the run, certificates as PEM files.
        tls = LocalTls.create(settings.runDir().resolve("tls"));

        // The production ACL (open-match/redis/): each service connects as its own user, so every local
        // run and the end-to-end test exercise exactly the permissions the cluster grants.
        redis = track(RedisServer.startWithUsers(logDir, RedisServer.RESULTS_USERS));
        replayRedis = track(RedisServer.startWithUsers(logDir, RedisServer.REPLAY_USERS));
        // Deactivation wait: om-core returns a match only once its tickets are out of the pool,
        // so the director's next cycle cannot match a player twice.
        omCore = track(OmCore.start(logDir, Map.of("OM_MATCH_TICKET_DEACTIVATION_WAIT", "true")));

        int mmfPort = FreePort.pick();
        mmf = service(
                launcher,
                "mmf",
                "dev.trespasser.mmf.MatchmakerFunctionServer",
                mmfPort,
                Map.of("MMF_PORT", Integer.toString(mmfPort)),
                "MMF_METRICS_PORT");

        Map<String, String> matchServerEnv = new HashMap<>(Map.of(
                "REDIS_URL", redis.url("match-server"),
                "MATCH_REPLAY_REDIS_URL", replayRedis.url("match-server"),
                "JOIN_TOKEN_PUBLIC_KEY_FILE", keys.publicKeyFile().toString(),
                "MATCH_MAX_MATCHES", Integer.toString(settings.maxMatchesPerServer()),
                // Ctrl-C must not wait for matches to finish; players get SERVER_SHUTTING_DOWN.
                "MATCH_DRAIN_POLICY", "abandon",
                // Every local player comes from 127.0.0.1. At the production cap (4 before they
                // join) the eight of a match were reset at accept and had to retry; a bot whose
                // three retries all met the cap full gave up its match.
                "MATCH_CONNECTIONS_PER_ADDRESS", Integer.toString(2 * StackSettings.MATCH_SIZE)));
        matchServerEnv.putAll(tls.matchServerEnv());
        fleet = track(LocalFleet.start(
                settings.matchServers(),
                settings.runDir(),
                logDir,
                launcher,
                matchServerEnv,
                fleetListener,
                SERVICE_START_TIMEOUT));

        int frontendPort = FreePort.pick();
        webPort = FreePort.pick();
        Map<String, String> frontendEnv = new HashMap<>(tls.frontendEnv());
        // The browser port (web bundle + gRPC-Web) and the pages allowed to call it.
        frontendEnv.put("FRONTEND_WEB_PORT", Integer.toString(webPort));
        frontendEnv.put("FRONTEND_ALLOWED_ORIGINS", "https://localhost:" + webPort + ",https://127.0.0.1:" + webPort);
        frontend = service(
                launcher.withOptimisingJit(),
                "frontend",
                "dev.trespasser.frontend.FrontendServer",
                frontendPort,
                Map.ofEntries(
                        Map.entry("FRONTEND_PORT", Integer.toString(frontendPort)),
                        Map.entry("REDIS_URL", redis.url("frontend")),
                        Map.entry("OM_CORE_TARGET", omCore.grpcTarget()),
                        Map.entry("FRONTEND_REGIONS", "eu"),
                        Map.entry("FRONTEND_JWT_KEY_FILE", jwtKey.toString()),
                        // Every bot comes from 127.0.0.1 and queues again after each match: per-address and
                        // per-player limits sized for a crowd of browsers would throttle the demo.
                        Map.entry("FRONTEND_ANONYMOUS_CALLS_PER_MINUTE", "100000"),
                        Map.entry("FRONTEND_REGISTRATIONS_PER_HOUR", "100000"),
                        // A crowd of bots registers and logs in at once; they retry RESOURCE_EXHAUSTED, but
                        // a queue that holds them all keeps the start-up log quiet.
                        Map.entry("FRONTEND_PASSWORD_HASH_QUEUE", "256"),
                        Map.entry("FRONTEND_FIND_MATCH_PER_MINUTE", "120"),
                        Map.entry("FRONTEND_CALLS_PER_SECOND", "200"),
                        Map.entry("FRONTEND_TLS_CERT_FILE", frontendEnv.get("FRONTEND_TLS_CERT_FILE")),
                        Map.entry("FRONTEND_TLS_KEY_FILE", frontendEnv.get("FRONTEND_TLS_KEY_FILE")),
                        Map.entry("FRONTEND_WEB_PORT", frontendEnv.get("FRONTEND_WEB_PORT")),
                        Map.entry("FRONTEND_ALLOWED_ORIGINS", frontendEnv.get("FRONTEND_ALLOWED_ORIGINS"))),
                "FRONTEND_METRICS_PORT");
        // A frontend that reads FRONTEND_TLS_* answers TLS on its gRPC port; one that does not
        // stays plaintext. The bots follow what the port does, so the stack runs with either.
        frontendServesTls = tls.servesTls(frontendPort);

        director = service(
                launcher,
                "director",
                LocalFleetDirector.class.getName(),
                -1,
                Map.ofEntries(
                        Map.entry("OM_CORE_TARGET", omCore.grpcTarget()),
                        Map.entry("MMF_HOST", "127.0.0.1"),
                        Map.entry("MMF_PORT", Integer.toString(mmfPort)),
                        Map.entry("REDIS_URL", redis.url("director")),
                        Map.entry("DIRECTOR_PROFILES", "4v4:eu"),
                        Map.entry(LocalFleetDirector.FLEET_VARIABLE, fleet.directorFleetSpec()),
                        Map.entry(
                                "JOIN_TOKEN_PRIVATE_KEY_FILE",
                                keys.privateKeyFile().toString()),
                        Map.entry("DIRECTOR_KILL_LIMIT", Integer.toString(settings.killLimit())),
                        Map.entry("DIRECTOR_TIME_LIMIT_SECONDS", Integer.toString(settings.timeLimitSeconds())),
                        // A lost allocation is retried soon: a demo should not sit through production back-off.
                        Map.entry("DIRECTOR_BACKOFF_MAX_MS", "5000"),
                        // The local fleet allocates at 127.0.0.1, which the gameserver certificate holds.
                        Map.entry("DIRECTOR_HOST_TEMPLATE", "{ip}"),
                        Map.entry("DIRECTOR_MATCH_TLS", "true")),
                "DIRECTOR_METRICS_PORT");
    }

    private Service service(
            JvmLauncher launcher,
            String name,
            String mainClass,
            int port,
            Map<String, String> env,
            String metricsPortVariable) {
        int metricsPort = FreePort.pick();
        Map<String, String> all = new HashMap<>(env);
        all.put(metricsPortVariable, Integer.toString(metricsPort));
        PeerProcess process = launcher.start(name, mainClass, all, logDir);
        started.add(process);
        Service service = new Service(name, process, port, metricsPort);
        process.awaitReady(SERVICE_START_TIMEOUT, () -> healthy(metricsPort));
        log.debug("{} ready", name);
        return service;
    }

    /** The services' admin endpoint answers 200 on /healthz once they serve. */
    static boolean healthy(int adminPort) {
        try {
            HttpURLConnection connection = (HttpURLConnection) URI.create("http://127.0.0.1:" + adminPort + "/healthz")
                    .toURL()
                    .openConnection();
            connection.setConnectTimeout(200);
            connection.setReadTimeout(1000);
            try (InputStream body =
                    connection.getErrorStream() != null ? connection.getErrorStream() : connection.getInputStream()) {
                return connection.getResponseCode() == 200;
            } finally {
                connection.disconnect();
            }
        } catch (IOException notYet) {
            return false;
        }
    }

    private <T extends AutoCloseable> T track(T part) {
        started.add(part);
        return part;
    }

    public StackSettings settings() {
        return settings;
    }

    public Path logDir() {
        return logDir;
    }

    /** The results Redis (accounts, queue, assignments, results), with the users of open-match/redis/. */
    public RedisServer redis() {
        return redis;
    }

    /** The replay Redis, with its users. */
    public RedisServer replayRedis() {
        return replayRedis;
    }

    public OmCore omCore() {
        return omCore;
    }

    public Service mmf() {
        return mmf;
    }

    public Service director() {
        return director;
    }

    public Service frontend() {
        return frontend;
    }

    public String frontendTarget() {
        return "127.0.0.1:" + frontend.port();
    }

    /** The run's CA and certificates. */
    public LocalTls tls() {
        return tls;
    }

    /** Whether the frontend's gRPC port answered TLS (it does once the frontend reads FRONTEND_TLS_*). */
    public boolean frontendServesTls() {
        return frontendServesTls;
    }

    /** The browser port given to the frontend ({@code FRONTEND_WEB_PORT}). */
    public int webPort() {
        return webPort;
    }

    /** Whether the frontend serves the browser port over TLS (once it reads FRONTEND_WEB_PORT). */
    public boolean webPortServesTls() {
        return tls.servesTls(webPort);
    }

    /** What a client of this stack trusts: the run's CA, TLS to the frontend when it serves TLS. */
    public ClientTrust clientTrust() {
        return tls.clientTrust(frontendServesTls);
    }

    public LocalFleet fleet() {
        return fleet;
    }

    /** Every OS process this stack started that is still running (children of this JVM). */
    public List<ProcessHandle> liveChildren() {
        return ProcessHandle.current()
                .descendants()
                .filter(ProcessHandle::isAlive)
                .toList();
    }

    /** Stops everything in reverse start order; a failure to stop one part does not skip the rest. */
    @Override
    public void close() {
        for (int i = started.size() - 1; i >= 0; i--) {
            AutoCloseable part = started.get(i);
            try {
                part.close();
            } catch (Exception e) {
                log.warn("stopping {} failed: {}", part, e.toString());
            }
        }
        started.clear();
    }
}
