package dev.trespasser.manifests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.trespasser.director.DirectorConfig;
import dev.trespasser.director.profiles.MatchProfile;
import dev.trespasser.frontend.FrontendConfig;
import dev.trespasser.match.MatchServerSettings;
import dev.trespasser.mmf.MmfConfig;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import redis.clients.jedis.util.JedisURIHelper;

/**
 * Checks between the manifests and the code: each returns the problems it found (empty when the
 * manifests agree with the code), so tests can prove a broken manifest is reported.
 */
final class CrossChecks {

    static final String DIRECTOR = "trespasser-director";
    static final String FRONTEND = "trespasser-frontend";
    static final String MMF = "trespasser-mmf";
    static final String FLEET = "trespasser-match";
    static final String RESULTS_REDIS = "results-redis";
    static final String REPLAY_REDIS = "replay-redis";

    private CrossChecks() {}

    static Map<String, String> directorEnv(Stack stack) {
        return stack.env(stack.get("Deployment", DIRECTOR), "director");
    }

    static Map<String, String> matchServerEnv(Stack stack) {
        return stack.env(stack.get("Fleet", FLEET), "match-server");
    }

    /** What the director puts in its GameServerAllocation selects this Fleet's servers and port. */
    static List<String> directorSelectsTheFleet(Stack stack) {
        List<String> problems = new ArrayList<>();
        DirectorConfig.Agones agones =
                DirectorConfig.fromEnv(directorEnv(stack)).agones();
        var settings = agones.settings();
        Manifest fleet = stack.get("Fleet", FLEET);
        if (!settings.fleet().equals(fleet.name())) {
            problems.add("DIRECTOR_FLEET is " + settings.fleet() + " but the Fleet is " + fleet.name());
        }
        if (!settings.namespace().equals(stack.namespaceOf(fleet))) {
            problems.add("the director allocates in " + settings.namespace() + " but the Fleet is in "
                    + stack.namespaceOf(fleet));
        }
        JsonNode labels =
                fleet.body().path("spec").path("template").path("metadata").path("labels");
        settings.extraLabels().forEach((key, value) -> {
            if (!value.equals(labels.path(key).asText(null))) {
                problems.add("the director selects " + key + "=" + value + " but the Fleet's GameServers carry " + key
                        + "=" + labels.path(key).asText("(none)"));
            }
        });
        boolean portFound = false;
        for (JsonNode port :
                fleet.body().path("spec").path("template").path("spec").path("ports")) {
            portFound |= port.path("name").asText().equals(settings.gamePortName());
        }
        if (!portFound) {
            problems.add("the director reads the port named " + settings.gamePortName()
                    + " but the Fleet declares no such port");
        }
        return problems;
    }

    /** Ports each service's real config yields are the ones its container, probes and Service use. */
    static List<String> portsMatchTheConfig(Stack stack) {
        List<String> problems = new ArrayList<>();
        Manifest director = stack.get("Deployment", DIRECTOR);
        DirectorConfig directorConfig = DirectorConfig.fromEnv(directorEnv(stack));
        expectPort(problems, stack, director, "director", "metrics", directorConfig.metricsPort(), DIRECTOR);
        expectProbes(problems, director, "director", directorConfig.metricsPort());

        Manifest frontend = stack.get("Deployment", FRONTEND);
        FrontendConfig frontendConfig = FrontendConfig.fromEnv(stack.env(frontend, "frontend"));
        expectPort(problems, stack, frontend, "frontend", "grpc", frontendConfig.port(), FRONTEND);
        expectPort(
                problems,
                stack,
                frontend,
                "frontend",
                "web",
                frontendConfig.browser().port(),
                FRONTEND);
        expectPort(
                problems, stack, frontend, "frontend", "metrics", frontendConfig.metricsPort(), FRONTEND + "-metrics");
        expectProbes(problems, frontend, "frontend", frontendConfig.metricsPort());

        Manifest mmf = stack.get("Deployment", MMF);
        MmfConfig mmfConfig = MmfConfig.fromEnv(stack.env(mmf, "matchmaker-function"));
        expectPort(problems, stack, mmf, "matchmaker-function", "grpc", mmfConfig.port(), MMF);
        expectPort(problems, stack, mmf, "matchmaker-function", "metrics", mmfConfig.metricsPort(), MMF);
        expectProbes(problems, mmf, "matchmaker-function", mmfConfig.metricsPort());

        Manifest fleet = stack.get("Fleet", FLEET);
        Map<String, String> matchEnv = matchServerEnv(stack);
        int gamePort = MatchServerSettings.fromEnv(matchEnv).gamePort();
        for (JsonNode port :
                fleet.body().path("spec").path("template").path("spec").path("ports")) {
            if (port.path("containerPort").asInt() != gamePort) {
                problems.add("Fleet port " + port.path("name").asText() + " opens container port "
                        + port.path("containerPort").asInt() + " but the match server listens on " + gamePort);
            }
        }
        int adminPort = MatchServerSettings.fromEnv(matchEnv).adminPort();
        expectPort(problems, stack, fleet, "match-server", "admin", adminPort, null);
        String scrapePort = fleet.podAnnotations().path("prometheus.io/port").asText();
        if (!scrapePort.equals(String.valueOf(adminPort))) {
            problems.add("Prometheus scrapes the match server on " + scrapePort + " but /metrics is on " + adminPort);
        }
        MatchServerSettings.fromEnv(matchEnv);

        Manifest omCore = stack.get("Deployment", "om-core");
        Map<String, String> omEnv = stack.env(omCore, "om-core");
        expectPort(problems, stack, omCore, "om-core", "grpc", Integer.parseInt(omEnv.get("OM_GRPC_PORT")), "om-core");
        expectPort(problems, stack, omCore, "om-core", "http", Integer.parseInt(omEnv.get("PORT")), "om-core");
        return problems;
    }

    /** Every address a service is given is a Service of the stack, on the port it serves. */
    static List<String> clientsReachTheirServers(Stack stack) {
        List<String> problems = new ArrayList<>();
        DirectorConfig director = DirectorConfig.fromEnv(directorEnv(stack));
        FrontendConfig frontend = FrontendConfig.fromEnv(stack.env(stack.get("Deployment", FRONTEND), "frontend"));
        expectTarget(problems, stack, "director OM_CORE_TARGET", director.omCoreTarget(), "om-core", "grpc");
        expectTarget(problems, stack, "frontend OM_CORE_TARGET", frontend.omCoreTarget(), "om-core", "grpc");
        // om-core dials the MMF at the spec the director sends, from om-core's own pod.
        String mmfHost = URI.create(director.mmf().getHost()).getHost();
        expectTarget(
                problems,
                stack,
                "director MMF_HOST/MMF_PORT",
                mmfHost + ":" + director.mmf().getPort(),
                MMF,
                "grpc");
        if (!director.mmf().getHost().startsWith("http://")) {
            // ac392a0 still fetches a Google ID token for https:// MMFs, and no metadata server runs here.
            problems.add(
                    "MMF host " + director.mmf().getHost() + ": om-core fetches an ID token for anything but http://");
        }
        expectRedis(problems, stack, "director REDIS_URL", director.redisUrl(), RESULTS_REDIS, "director");
        expectRedis(problems, stack, "frontend REDIS_URL", frontend.redisUrl(), RESULTS_REDIS, "frontend");
        expectRedis(
                problems,
                stack,
                "match server REDIS_URL",
                matchServerEnv(stack).get("REDIS_URL"),
                RESULTS_REDIS,
                "match-server");

        Map<String, String> omEnv = stack.env(stack.get("Deployment", "om-core"), "om-core");
        if (!"redis".equals(omEnv.get("OM_STATE_STORAGE_TYPE"))) {
            problems.add("om-core must keep production state in Redis, not " + omEnv.get("OM_STATE_STORAGE_TYPE"));
        }
        for (String side : List.of("WRITE", "READ")) {
            expectTarget(
                    problems,
                    stack,
                    "om-core OM_REDIS_" + side,
                    omEnv.get("OM_REDIS_" + side + "_HOST") + ":" + omEnv.get("OM_REDIS_" + side + "_PORT"),
                    "om-redis",
                    "redis");
            String password = omEnv.get("OM_REDIS_" + side + "_PASSWORD");
            if (!Stack.secretValue("om-redis", "password").equals(password)) {
                problems.add("om-core OM_REDIS_" + side + "_PASSWORD is not om-redis's password Secret");
            }
        }
        String redisPassword =
                stack.env(stack.get("StatefulSet", "om-redis"), "redis").get("REDIS_PASSWORD");
        if (!Stack.secretValue("om-redis", "password").equals(redisPassword)) {
            problems.add("om-redis does not require the password om-core sends");
        }
        return problems;
    }

    /**
     * om-core at ac392a0 dials http:// MMFs without an ID token, so its pod carries no stand-in
     * metadata server (v2.0.2 needed one behind GCE_METADATA_HOST): only om-core and the OTLP
     * collector its metrics need.
     */
    static List<String> omCoreNeedsNoMetadataServer(Stack stack) {
        List<String> problems = new ArrayList<>();
        Manifest omCore = stack.get("Deployment", "om-core");
        List<String> containers = new ArrayList<>();
        for (JsonNode container : omCore.podSpec().path("containers")) {
            containers.add(container.path("name").asText());
            for (JsonNode variable : container.path("env")) {
                if (variable.path("name").asText().equals("GCE_METADATA_HOST")) {
                    problems.add(container.path("name").asText()
                            + " sets GCE_METADATA_HOST: ac392a0 needs no metadata server");
                }
            }
        }
        if (!containers.equals(List.of("om-core", "otel-collector"))) {
            problems.add("om-core's pod runs " + containers + ", expected [om-core, otel-collector]");
        }
        return problems;
    }

    /**
     * Issue 10: the Redis of accounts, refresh tokens, claims and result markers never evicts;
     * replays live in a Redis of their own with a memory budget and an evicting policy, and the
     * match servers store their replays there.
     */
    static List<String> replaysHaveTheirOwnStore(Stack stack) {
        List<String> problems = new ArrayList<>();
        Manifest results = stack.get("StatefulSet", RESULTS_REDIS);
        if (!"noeviction".equals(redisArg(results, "--maxmemory-policy"))) {
            problems.add(RESULTS_REDIS + " runs with maxmemory-policy " + redisArg(results, "--maxmemory-policy")
                    + ": it holds accounts and tokens and must be noeviction");
        }
        Manifest replays = stack.get("StatefulSet", REPLAY_REDIS);
        stack.get("Service", REPLAY_REDIS);
        String budget = redisArg(replays, "--maxmemory");
        String policy = redisArg(replays, "--maxmemory-policy");
        if (budget == null || redisBytes(budget) <= 0) {
            problems.add(REPLAY_REDIS + " has no maxmemory: replays would grow until the pod is killed");
        } else {
            String limit = replays.container("redis")
                    .orElseThrow()
                    .path("resources")
                    .path("limits")
                    .path("memory")
                    .asText();
            long limitBytes = limit.endsWith("Gi")
                    ? Long.parseLong(limit.replace("Gi", "")) << 30
                    : limit.endsWith("Mi") ? Long.parseLong(limit.replace("Mi", "")) << 20 : 0;
            if (limitBytes <= redisBytes(budget)) {
                problems.add(REPLAY_REDIS + " maxmemory " + budget + " does not fit its memory limit " + limit);
            }
        }
        if (policy == null
                || !Set.of("allkeys-lru", "allkeys-lfu", "volatile-ttl", "volatile-lru", "volatile-lfu")
                        .contains(policy)) {
            problems.add(REPLAY_REDIS + " runs with maxmemory-policy " + policy
                    + ": at its budget it must evict old replays");
        }
        Map<String, String> matchEnv = matchServerEnv(stack);
        expectRedis(
                problems,
                stack,
                "match server MATCH_REPLAY_REDIS_URL",
                matchEnv.get("MATCH_REPLAY_REDIS_URL"),
                REPLAY_REDIS,
                "match-server");
        String maxBytes = matchEnv.get("MATCH_REPLAY_MAX_BYTES");
        if (maxBytes == null || !maxBytes.matches("[1-9][0-9]*")) {
            problems.add("match server MATCH_REPLAY_MAX_BYTES is " + maxBytes + ", not a size in bytes");
        } else if (budget != null && redisBytes(budget) > 0 && Long.parseLong(maxBytes) * 100 > redisBytes(budget)) {
            problems.add(
                    "MATCH_REPLAY_MAX_BYTES " + maxBytes + " lets 100 replays fill " + REPLAY_REDIS + "'s " + budget);
        }
        return problems;
    }

    /** Settings that must agree across services, and shutdown budgets within the pods' grace periods. */
    static List<String> settingsAgree(Stack stack) {
        List<String> problems = new ArrayList<>();
        Manifest frontendDeployment = stack.get("Deployment", FRONTEND);
        FrontendConfig frontend = FrontendConfig.fromEnv(stack.env(frontendDeployment, "frontend"));
        Map<String, String> omEnv = stack.env(stack.get("Deployment", "om-core"), "om-core");
        long omTtl = Long.parseLong(omEnv.getOrDefault("OM_CACHE_TICKET_TTL_MS", "600000"));
        if (frontend.ticketTtl().toMillis() != omTtl) {
            problems.add("FRONTEND_TICKET_TTL_MS " + frontend.ticketTtl().toMillis()
                    + " differs from om-core's OM_CACHE_TICKET_TTL_MS " + omTtl);
        }
        DirectorConfig director = DirectorConfig.fromEnv(directorEnv(stack));
        Set<String> profileRegions = new TreeSet<>();
        for (MatchProfile profile : director.profiles()) {
            profileRegions.add(profile.region());
        }
        for (String region : frontend.regions()) {
            if (!profileRegions.contains(region)) {
                problems.add(
                        "the frontend queues players in region " + region + " but the director has no profile for it");
            }
        }
        Manifest fleet = stack.get("Fleet", FLEET);
        Map<String, String> matchEnv = matchServerEnv(stack);
        // SIGTERM first waits for the match, then gives its held results time to go out.
        long matchDrain = Long.parseLong(matchEnv.getOrDefault("MATCH_DRAIN_TIMEOUT_SECONDS", "60"));
        long resultDrain = Long.parseLong(matchEnv.getOrDefault("MATCH_RESULT_DRAIN_SECONDS", "20"));
        expectWithinGrace(
                problems,
                fleet,
                "MATCH_DRAIN_TIMEOUT_SECONDS " + matchDrain + " + MATCH_RESULT_DRAIN_SECONDS",
                Duration.ofSeconds(matchDrain + resultDrain));
        if (!"finish".equals(matchEnv.getOrDefault("MATCH_DRAIN_POLICY", "finish"))) {
            problems.add("MATCH_DRAIN_POLICY must be finish: a drained node would otherwise cut live matches");
        }
        expectWithinGrace(
                problems,
                stack.get("Deployment", DIRECTOR),
                "DIRECTOR_SHUTDOWN_GRACE_SECONDS",
                director.shutdownGrace());
        expectWithinGrace(problems, frontendDeployment, "FRONTEND_SHUTDOWN_GRACE_SECONDS", frontend.shutdownGrace());
        Manifest mmf = stack.get("Deployment", MMF);
        expectWithinGrace(
                problems,
                mmf,
                "MMF_SHUTDOWN_GRACE_SECONDS",
                MmfConfig.fromEnv(stack.env(mmf, "matchmaker-function")).shutdownGrace());
        return problems;
    }

    /** The Deployments that must keep serving through a node drain (issue 13): the player API, the MMF, om-core. */
    static final List<String> DISRUPTION_BUDGETED = List.of(FRONTEND, MMF, "om-core");

    /**
     * Issue 13: every multi-replica Deployment among {@link #DISRUPTION_BUDGETED} has exactly one
     * policy/v1 PodDisruptionBudget whose selector matches its pod labels and which lets a drain
     * proceed (at least one pod may go) without emptying the service (at least one pod stays).
     * A budget selecting no pod of the stack is reported too: it is a selector gone stale.
     */
    static List<String> disruptionBudgetsCoverTheServices(Stack stack) {
        List<String> problems = new ArrayList<>();
        List<Manifest> budgets = stack.ofKind("PodDisruptionBudget");
        for (Manifest budget : budgets) {
            if (!budget.apiVersion().equals("policy/v1")) {
                problems.add("PodDisruptionBudget " + budget.name() + " is " + budget.apiVersion() + ", not policy/v1");
            }
            JsonNode selector = budget.body().path("spec").path("selector");
            if (selector.path("matchLabels").isEmpty() || selector.has("matchExpressions")) {
                problems.add("PodDisruptionBudget " + budget.name() + " must select by matchLabels only");
            }
            boolean selectsSomething = false;
            for (Manifest workload : stack.objects) {
                if (List.of("Deployment", "StatefulSet").contains(workload.kind()) && selects(budget, workload)) {
                    selectsSomething = true;
                }
            }
            if (!selectsSomething) {
                problems.add("PodDisruptionBudget " + budget.name() + " selects " + selector.path("matchLabels")
                        + ", which no pod carries");
            }
        }
        for (String name : DISRUPTION_BUDGETED) {
            Manifest deployment = stack.get("Deployment", name);
            int replicas = deployment.body().path("spec").path("replicas").asInt(1);
            if (replicas < 2) {
                continue;
            }
            List<Manifest> matching =
                    budgets.stream().filter(b -> selects(b, deployment)).toList();
            if (matching.size() != 1) {
                problems.add("Deployment " + name + " (" + replicas + " replicas) is selected by " + matching.size()
                        + " PodDisruptionBudgets, expected 1");
                continue;
            }
            JsonNode spec = matching.get(0).body().path("spec");
            String budget = matching.get(0).name();
            if (spec.has("maxUnavailable") == spec.has("minAvailable")) {
                problems.add(
                        "PodDisruptionBudget " + budget + " must set exactly one of maxUnavailable and minAvailable");
            } else if (!(spec.has("maxUnavailable") ? spec.path("maxUnavailable") : spec.path("minAvailable"))
                    .isInt()) {
                problems.add("PodDisruptionBudget " + budget + " must give a pod count, not a percentage");
            } else {
                // Pods a drain may take at once, from either form.
                int mayGo = spec.has("maxUnavailable")
                        ? spec.path("maxUnavailable").asInt()
                        : replicas - spec.path("minAvailable").asInt();
                if (mayGo < 1) {
                    problems.add("PodDisruptionBudget " + budget + " lets no pod of " + replicas
                            + " go: node drains would hang");
                } else if (mayGo >= replicas) {
                    problems.add("PodDisruptionBudget " + budget + " lets all " + replicas + " pods of " + name
                            + " go at once");
                }
            }
        }
        return problems;
    }

    /** A budget's matchLabels are all among the workload's pod labels, in the same namespace. */
    private static boolean selects(Manifest budget, Manifest workload) {
        JsonNode matchLabels = budget.body().path("spec").path("selector").path("matchLabels");
        JsonNode podLabels =
                workload.body().path("spec").path("template").path("metadata").path("labels");
        if (matchLabels.isEmpty()) {
            return false;
        }
        for (Iterator<Map.Entry<String, JsonNode>> labels = matchLabels.fields(); labels.hasNext(); ) {
            Map.Entry<String, JsonNode> label = labels.next();
            if (!label.getValue().asText().equals(podLabels.path(label.getKey()).asText(null))) {
                return false;
            }
        }
        return Objects.equals(
                budget.body().path("metadata").path("namespace").asText(),
                workload.body().path("metadata").path("namespace").asText());
    }

    /**
     * Issue 13: om-core has a readiness probe on a port it listens on (OM_GRPC_PORT or PORT). At
     * ac392a0 the only probe it can answer is tcpSocket: it serves no grpc.health.v1 (a grpc probe
     * gets UNIMPLEMENTED), its HTTP gateway maps only POST and DELETE (every GET, all an httpGet
     * probe can send, answers 501 from the gateway without reaching om-core), and its distroless
     * image has no shell or client for an exec probe (docs/operations.md, "om-core's readiness").
     */
    static List<String> omCoreIsProbedOnAPortItListens(Stack stack) {
        List<String> problems = new ArrayList<>();
        Manifest omCore = stack.get("Deployment", "om-core");
        JsonNode container = omCore.container("om-core").orElseThrow();
        Map<String, String> env = stack.env(omCore, "om-core");
        Set<Integer> listening = Set.of(
                Integer.parseInt(env.getOrDefault("OM_GRPC_PORT", "50581")),
                Integer.parseInt(env.getOrDefault("PORT", "8080")));
        for (String probe : List.of("readinessProbe", "livenessProbe")) {
            JsonNode spec = container.path(probe);
            if (spec.isMissingNode()) {
                problems.add("om-core has no " + probe);
                continue;
            }
            String handler = List.of("httpGet", "grpc", "exec").stream()
                    .filter(spec::has)
                    .findFirst()
                    .orElse(null);
            if (handler != null) {
                problems.add("om-core " + probe + " uses " + handler
                        + ": om-core (ac392a0, distroless) answers none but tcpSocket");
                continue;
            }
            int port;
            try {
                port = Stack.containerPort(container, spec.path("tcpSocket").path("port"));
            } catch (RuntimeException e) {
                problems.add("om-core " + probe + " names no declared port: "
                        + spec.path("tcpSocket").path("port"));
                continue;
            }
            if (!listening.contains(port)) {
                problems.add("om-core " + probe + " probes port " + port + " but om-core listens on " + listening);
            }
        }
        return problems;
    }

    /** An exact version (1.2.3, v1.2.3, 7.4.2-alpine) or a commit; not latest, 7 or 7.4-alpine. */
    private static final java.util.regex.Pattern EXACT_TAG =
            java.util.regex.Pattern.compile("v?\\d+\\.\\d+\\.\\d+([-+.][A-Za-z0-9.-]+)?|[0-9a-f]{7,40}");

    private static final java.util.regex.Pattern DIGEST = java.util.regex.Pattern.compile("sha256:[0-9a-f]{64}");

    /**
     * Issue 13: every container and initContainer image runs an exact version or a digest, as it
     * will be deployed: images of open-match/ with the kustomization's {@code images:} override
     * applied, fleet.yaml's (outside the kustomization) as written.
     */
    static List<String> imagesArePinned(Stack stack) {
        List<String> problems = new ArrayList<>();
        for (Manifest workload : stack.objects) {
            if (!List.of("Deployment", "StatefulSet", "DaemonSet", "Job", "Fleet")
                    .contains(workload.kind())) {
                continue;
            }
            for (String list : List.of("initContainers", "containers")) {
                for (JsonNode container : workload.podSpec().path(list)) {
                    String image = container.path("image").asText();
                    if (!workload.file().equals(Repository.FLEET)) {
                        image = kustomized(stack, image);
                    }
                    String problem = pinProblem(image);
                    if (problem != null) {
                        problems.add(workload.name() + "/"
                                + container.path("name").asText() + " runs " + image + ": " + problem);
                    }
                }
            }
        }
        return problems;
    }

    /** The image after the kustomization's {@code images:} entry for its name, if any. */
    private static String kustomized(Stack stack, String image) {
        String name = imageName(image);
        for (JsonNode override : stack.kustomization.path("images")) {
            if (override.path("name").asText().equals(name)) {
                String newName = override.path("newName").asText(name);
                if (override.has("digest")) {
                    return newName + "@" + override.path("digest").asText();
                }
                String reference = image.substring(name.length());
                return newName
                        + (override.has("newTag")
                                ? ":" + override.path("newTag").asText()
                                : reference);
            }
        }
        return image;
    }

    private static String imageName(String image) {
        int at = image.indexOf('@');
        String withoutDigest = at < 0 ? image : image.substring(0, at);
        int colon = withoutDigest.lastIndexOf(':');
        // A colon before the last slash is a registry port, not a tag.
        return colon > withoutDigest.lastIndexOf('/') ? withoutDigest.substring(0, colon) : withoutDigest;
    }

    /** Why an image reference is not pinned, or null when it is. */
    static String pinProblem(String image) {
        int at = image.indexOf('@');
        if (at >= 0) {
            return DIGEST.matcher(image.substring(at + 1)).matches() ? null : "not a sha256 digest";
        }
        String name = imageName(image);
        if (name.equals(image)) {
            return "no tag (that is :latest)";
        }
        String tag = image.substring(name.length() + 1);
        return EXACT_TAG.matcher(tag).matches() ? null : "tag " + tag + " is not an exact version";
    }

    /** Key files the services are pointed at are where the Secret/ConfigMap volumes put them. */
    static List<String> keyFilesAreMounted(Stack stack) {
        List<String> problems = new ArrayList<>();
        DirectorConfig director = DirectorConfig.fromEnv(directorEnv(stack));
        expectMounted(
                problems,
                stack,
                stack.get("Deployment", DIRECTOR),
                "director",
                director.tokenKeys().privateKeyFile().orElse(null),
                "secret",
                "join-token-private");
        if (director.tokenKeys().devKeys()) {
            problems.add("the director runs with JOIN_TOKEN_DEV_KEYS");
        }
        Manifest frontend = stack.get("Deployment", FRONTEND);
        expectMounted(
                problems,
                stack,
                frontend,
                "frontend",
                FrontendConfig.fromEnv(stack.env(frontend, "frontend"))
                        .jwtKeyFile()
                        .orElse(null),
                "secret",
                "frontend-jwt");
        String publicKey = matchServerEnv(stack).getOrDefault("JOIN_TOKEN_PUBLIC_KEY_FILE", "");
        expectMounted(
                problems,
                stack,
                stack.get("Fleet", FLEET),
                "match-server",
                publicKey.isEmpty() ? null : Path.of(publicKey),
                "configMap",
                "join-token-public");
        return problems;
    }

    /** The Agones health check and the match server's Health() pings (the real default and the manifest's). */
    static List<String> healthMatchesThePingInterval(Stack stack) {
        List<String> problems = new ArrayList<>();
        JsonNode health = stack.get("Fleet", FLEET)
                .body()
                .path("spec")
                .path("template")
                .path("spec")
                .path("health");
        // Agones' defaults when a field is left out.
        int period = health.path("periodSeconds").asInt(5);
        int threshold = health.path("failureThreshold").asInt(3);
        if (health.path("disabled").asBoolean(false)) {
            problems.add("health checking is disabled: a hung match server would stay allocatable");
        }
        for (var settings : List.of(
                MatchServerSettings.fromEnv(Map.of()).agones().lifecycle(),
                MatchServerSettings.fromEnv(matchServerEnv(stack)).agones().lifecycle())) {
            long ping = settings.healthPing().toMillis();
            // Two pings per period: one late or lost ping must not fail a period.
            if (ping * 2 > period * 1000L) {
                problems.add("health.periodSeconds " + period
                        + " s allows fewer than two pings at MATCH_HEALTH_PING_MS " + ping);
            }
        }
        if (threshold < 2) {
            problems.add("health.failureThreshold " + threshold
                    + ": one bad period (a GC pause, a busy node) would kill a match");
        }
        return problems;
    }

    private static void expectPort(
            List<String> problems,
            Stack stack,
            Manifest workload,
            String container,
            String portName,
            int configured,
            String service) {
        JsonNode spec = workload.container(container).orElseThrow();
        int declared;
        try {
            declared = Stack.containerPort(spec, TextNode.valueOf(portName));
        } catch (RuntimeException e) {
            problems.add(workload.name() + "/" + container + " declares no port " + portName);
            return;
        }
        if (declared != configured) {
            problems.add(workload.name() + "/" + container + " port " + portName + " is " + declared
                    + " but its config listens on " + configured);
        }
        if (service != null) {
            int target = stack.serviceTargetPort(service, portName, workload, container);
            if (target != configured) {
                problems.add("Service " + service + " port " + portName + " sends to " + target
                        + " but the process listens on " + configured);
            }
        }
    }

    private static void expectProbes(List<String> problems, Manifest workload, String container, int healthPort) {
        JsonNode spec = workload.container(container).orElseThrow();
        for (String probe : List.of("readinessProbe", "livenessProbe")) {
            JsonNode get = spec.path(probe).path("httpGet");
            if (get.isMissingNode()) {
                problems.add(workload.name() + " has no HTTP " + probe);
                continue;
            }
            if (!get.path("path").asText().equals("/healthz")) {
                problems.add(workload.name() + " " + probe + " asks "
                        + get.path("path").asText() + ", not /healthz");
            }
            int port = Stack.containerPort(spec, get.path("port"));
            if (port != healthPort) {
                problems.add(
                        workload.name() + " " + probe + " probes port " + port + " but /healthz is on " + healthPort);
            }
        }
    }

    private static void expectTarget(
            List<String> problems, Stack stack, String what, String target, String service, String portName) {
        int colon = target.lastIndexOf(':');
        String host = colon < 0 ? target : target.substring(0, colon);
        String port = colon < 0 ? "" : target.substring(colon + 1);
        if (!host.equals(service)) {
            problems.add(what + " points at " + host + ", not the Service " + service);
            return;
        }
        int expected = stack.servicePort(service, portName);
        if (!port.equals(String.valueOf(expected))) {
            problems.add(what + " uses port " + port + " but Service " + service + " serves " + portName + " on "
                    + expected);
        }
    }

    /**
     * {@code url} reaches the Service {@code redis} as {@code user}, with that user's own password
     * Secret ({@code <redis>-<user>}), and that Redis loads its users file, which defines the user.
     */
    private static void expectRedis(
            List<String> problems, Stack stack, String what, String url, String redis, String user) {
        if (url == null) {
            problems.add(what + " is not set (the default is a Redis on the pod's loopback)");
            return;
        }
        URI uri = URI.create(url);
        expectTarget(problems, stack, what, uri.getHost() + ":" + uri.getPort(), redis, "redis");
        if (!user.equals(JedisURIHelper.getUser(uri))) {
            problems.add(what + " connects as user " + JedisURIHelper.getUser(uri) + ", not " + user);
        }
        String password = JedisURIHelper.getPassword(uri);
        if (!Stack.secretValue(redis + "-" + user, "password").equals(password)) {
            problems.add(
                    what + " does not carry the password Secret " + redis + "-" + user + " (got " + password + ")");
        }
        problems.addAll(RedisUsers.loadsItsUsersFile(stack, redis));
        if (!RedisUsers.of(redis).containsKey(user)) {
            problems.add(what + ": open-match/redis/" + redis + "-users.conf has no user " + user);
        }
    }

    /** The value after {@code flag} in a Redis container's args, or null. */
    static String redisArg(Manifest redis, String flag) {
        JsonNode args = redis.container("redis").orElseThrow().path("args");
        for (int i = 0; i + 1 < args.size(); i++) {
            if (args.get(i).asText().equals(flag)) {
                return args.get(i + 1).asText();
            }
        }
        return null;
    }

    /** Redis' memory units: 1k = 1000, 1kb = 1024, likewise m/mb and g/gb; a bare number is bytes. */
    static long redisBytes(String value) {
        java.util.regex.Matcher m =
                java.util.regex.Pattern.compile("(?i)(\\d+)(k|kb|m|mb|g|gb)?").matcher(value);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a Redis memory size: " + value);
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "" : m.group(2).toLowerCase(java.util.Locale.ROOT);
        return switch (unit) {
            case "k" -> n * 1000;
            case "kb" -> n * 1024;
            case "m" -> n * 1000 * 1000;
            case "mb" -> n * 1024 * 1024;
            case "g" -> n * 1000 * 1000 * 1000;
            case "gb" -> n * 1024 * 1024 * 1024;
            default -> n;
        };
    }

    private static void expectWithinGrace(List<String> problems, Manifest workload, String setting, Duration budget) {
        long grace = workload.podSpec().path("terminationGracePeriodSeconds").asLong(30);
        if (budget.toSeconds() >= grace) {
            problems.add(workload.name() + ": " + setting + " " + budget.toSeconds()
                    + " s does not fit terminationGracePeriodSeconds " + grace + " s (the pod is killed first)");
        }
    }

    private static void expectMounted(
            List<String> problems,
            Stack stack,
            Manifest workload,
            String container,
            Path file,
            String sourceKind,
            String sourceName) {
        if (file == null) {
            problems.add(workload.name() + " is not given a key file from " + sourceName);
            return;
        }
        String volume = null;
        for (JsonNode candidate : workload.podSpec().path("volumes")) {
            JsonNode source = candidate.path(sourceKind);
            String named = sourceKind.equals("secret")
                    ? source.path("secretName").asText()
                    : source.path("name").asText();
            if (named.equals(sourceName)) {
                volume = candidate.path("name").asText();
            }
        }
        if (volume == null) {
            problems.add(workload.name() + " mounts no " + sourceKind + " " + sourceName);
            return;
        }
        boolean mounted = false;
        for (JsonNode mount : workload.container(container).orElseThrow().path("volumeMounts")) {
            if (mount.path("name").asText().equals(volume)
                    && Path.of(mount.path("mountPath").asText()).equals(file.getParent())) {
                mounted = true;
            }
        }
        if (!mounted) {
            problems.add(workload.name() + " reads " + file + " but " + sourceName + " is not mounted at "
                    + file.getParent());
        }
        // The file name is a key the kustomization's generator puts in that Secret/ConfigMap.
        String generator = sourceKind.equals("secret") ? "secretGenerator" : "configMapGenerator";
        boolean keyExists = false;
        for (JsonNode entry : stack.kustomization.path(generator)) {
            if (entry.path("name").asText().equals(sourceName)) {
                for (Iterator<JsonNode> files = entry.path("files").elements(); files.hasNext(); ) {
                    String spec = files.next().asText();
                    keyExists |= spec.substring(0, spec.indexOf('='))
                            .equals(file.getFileName().toString());
                }
            }
        }
        if (!keyExists) {
            problems.add(sourceName + " has no key " + file.getFileName() + " (read by " + workload.name() + ")");
        }
    }
}
