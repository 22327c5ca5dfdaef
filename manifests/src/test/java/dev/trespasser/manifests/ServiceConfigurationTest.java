package dev.trespasser.manifests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trespasser.director.DirectorConfig;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** Each container's environment, fed to that service's real configuration parser, agrees with the manifests. */
class ServiceConfigurationTest {

    private final Stack stack = Stack.load();

    @Test
    void theDirectorsAllocationsSelectTheFleetsServersAndGamePort() {
        assertEquals(List.of(), CrossChecks.directorSelectsTheFleet(stack));
    }

    @Test
    void containerPortsProbesAndServicesUseThePortsTheConfigYields() {
        assertEquals(List.of(), CrossChecks.portsMatchTheConfig(stack));
    }

    @Test
    void everyClientAddressIsAServiceOfTheStackOnTheRightPort() {
        assertEquals(List.of(), CrossChecks.clientsReachTheirServers(stack));
    }

    @Test
    void sharedSettingsAgreeAndShutdownsFitTheirGracePeriods() {
        assertEquals(List.of(), CrossChecks.settingsAgree(stack));
    }

    @Test
    void keyFilesAreWhereTheirSecretsAreMounted() {
        assertEquals(List.of(), CrossChecks.keyFilesAreMounted(stack));
    }

    @Test
    void replaysHaveARedisOfTheirOwnAndTheAccountsRedisNeverEvicts() {
        assertEquals(List.of(), CrossChecks.replaysHaveTheirOwnStore(stack));
    }

    @Test
    void anEvictingAccountsRedisIsReported() {
        Manifest results = stack.get("StatefulSet", CrossChecks.RESULTS_REDIS).mutableCopy();
        setRedisArg(results, "--maxmemory-policy", "volatile-lru");
        List<String> problems = CrossChecks.replaysHaveTheirOwnStore(stack.with(results));
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains("noeviction"), problems.get(0));
    }

    @Test
    void aReplayRedisWithoutBudgetOrEvictionIsReported() {
        Manifest replays = stack.get("StatefulSet", CrossChecks.REPLAY_REDIS).mutableCopy();
        setRedisArg(replays, "--maxmemory", "0");
        setRedisArg(replays, "--maxmemory-policy", "noeviction");
        List<String> problems = CrossChecks.replaysHaveTheirOwnStore(stack.with(replays));
        assertEquals(2, problems.size(), problems.toString());
        assertTrue(
                problems.get(0).contains("no maxmemory") && problems.get(1).contains("must evict"),
                problems.toString());
    }

    @Test
    void replaysPointedAtTheAccountsRedisAreReported() {
        Manifest fleet = stack.get("Fleet", CrossChecks.FLEET).mutableCopy();
        JsonNode container = fleet.container("match-server").orElseThrow();
        setEnv(
                container,
                "MATCH_REPLAY_REDIS_URL",
                "redis://match-server:$(RESULTS_REDIS_PASSWORD)@results-redis:6379");
        List<String> problems = CrossChecks.replaysHaveTheirOwnStore(stack.with(fleet));
        assertTrue(
                problems.stream().anyMatch(p -> p.contains("MATCH_REPLAY_REDIS_URL points at results-redis")),
                problems.toString());
        Manifest unset = stack.get("Fleet", CrossChecks.FLEET).mutableCopy();
        removeEnv(unset.container("match-server").orElseThrow(), "MATCH_REPLAY_REDIS_URL");
        assertTrue(CrossChecks.replaysHaveTheirOwnStore(stack.with(unset))
                .toString()
                .contains("MATCH_REPLAY_REDIS_URL is not set"));
    }

    @Test
    void omCoreRunsWithoutAMetadataServer() {
        assertEquals(List.of(), CrossChecks.omCoreNeedsNoMetadataServer(stack));
    }

    @Test
    void aMetadataSidecarOrGceMetadataHostOnOmCoreIsReported() {
        Manifest omCore = stack.get("Deployment", "om-core").mutableCopy();
        JsonNode containers = omCore.podSpec().path("containers");
        setEnv(containers.get(0), "GCE_METADATA_HOST", "127.0.0.1:8181");
        ((ArrayNode) containers)
                .addObject()
                .put("name", "gce-metadata")
                .put("image", "nginxinc/nginx-unprivileged:1.27-alpine");
        List<String> problems = CrossChecks.omCoreNeedsNoMetadataServer(stack.with(omCore));
        assertEquals(2, problems.size(), problems.toString());
        assertTrue(
                problems.get(0).contains("GCE_METADATA_HOST") && problems.get(1).contains("gce-metadata"),
                problems.toString());
    }

    @Test
    void agonesHealthChecksFitTheMatchServersPingInterval() {
        assertEquals(List.of(), CrossChecks.healthMatchesThePingInterval(stack));
    }

    @Test
    void theFrontendTheMmfAndOmCoreHaveDisruptionBudgetsMatchingTheirPods() {
        assertEquals(List.of(), CrossChecks.disruptionBudgetsCoverTheServices(stack));
        // Every budgeted Deployment runs several replicas, so none of them is skipped by the check.
        for (String name : CrossChecks.DISRUPTION_BUDGETED) {
            assertTrue(
                    stack.get("Deployment", name)
                                    .body()
                                    .path("spec")
                                    .path("replicas")
                                    .asInt()
                            >= 2,
                    name);
        }
    }

    @Test
    void omCoreHasAReadinessProbeOnAPortItListensOn() {
        assertEquals(List.of(), CrossChecks.omCoreIsProbedOnAPortItListens(stack));
    }

    @Test
    void everyImageIsPinnedToAnExactVersionOrDigest() {
        assertEquals(List.of(), CrossChecks.imagesArePinned(stack));
    }

    // A broken manifest is reported: each check below runs on a copy with one mistake in it.

    @Test
    void aFleetLabelTheDirectorDoesNotSelectIsReported() {
        Stack broken = withFleet(fleet -> ((ObjectNode)
                        fleet.path("spec").path("template").path("metadata").path("labels"))
                .put("trespasser.dev/protocol", "2"));
        List<String> problems = CrossChecks.directorSelectsTheFleet(broken);
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains("trespasser.dev/protocol=1"), problems.get(0));
    }

    @Test
    void aRenamedGamePortIsReported() {
        Stack broken = withFleet(fleet -> ((ObjectNode) fleet.path("spec")
                        .path("template")
                        .path("spec")
                        .path("ports")
                        .get(0))
                .put("name", "websocket"));
        assertTrue(CrossChecks.directorSelectsTheFleet(broken).toString().contains("port named game"));
    }

    @Test
    void aHealthPeriodTooShortForThePingIntervalIsReported() {
        Stack broken = withFleet(fleet ->
                ((ObjectNode) fleet.path("spec").path("template").path("spec").path("health")).put("periodSeconds", 3));
        List<String> problems = CrossChecks.healthMatchesThePingInterval(broken);
        assertEquals(2, problems.size(), "the code default and the manifest's value: " + problems);
    }

    @Test
    void aContainerPortThatIsNotTheConfiguredOneIsReported() {
        Stack broken = withFleet(fleet -> ((ObjectNode) fleet.path("spec")
                        .path("template")
                        .path("spec")
                        .path("ports")
                        .get(0))
                .put("containerPort", 7000));
        assertTrue(CrossChecks.portsMatchTheConfig(broken).toString().contains("listens on 7777"));
    }

    @Test
    void aDrainTimeoutLongerThanTheGracePeriodIsReported() {
        Stack broken = withFleet(fleet -> setEnv(
                fleet.path("spec")
                        .path("template")
                        .path("spec")
                        .path("template")
                        .path("spec")
                        .path("containers")
                        .get(0),
                "MATCH_DRAIN_TIMEOUT_SECONDS",
                "900"));
        assertTrue(CrossChecks.settingsAgree(broken).toString().contains("MATCH_DRAIN_TIMEOUT_SECONDS 900"));
    }

    @Test
    void aValueTheServiceRefusesFailsAtParseTime() {
        Manifest director = stack.get("Deployment", CrossChecks.DIRECTOR).mutableCopy();
        setEnv(director.podSpec().path("containers").get(0), "DIRECTOR_SELECTOR_LABELS", "trespasser.dev/protocol");
        Stack broken = stack.with(director);
        IllegalArgumentException error = assertThrows(
                IllegalArgumentException.class, () -> DirectorConfig.fromEnv(CrossChecks.directorEnv(broken)));
        assertTrue(error.getMessage().startsWith("DIRECTOR_SELECTOR_LABELS"), error.getMessage());
    }

    @Test
    void aBudgetWithAWrongSelectorOrAMissingBudgetIsReported() {
        Manifest mmfBudget = stack.get("PodDisruptionBudget", CrossChecks.MMF).mutableCopy();
        ((ObjectNode) mmfBudget.body().at("/spec/selector/matchLabels")).put("app.kubernetes.io/name", "mmf");
        List<String> problems = CrossChecks.disruptionBudgetsCoverTheServices(stack.with(mmfBudget));
        assertEquals(2, problems.size(), problems.toString());
        assertTrue(
                problems.get(0).contains("no pod carries") && problems.get(1).contains("Deployment trespasser-mmf"),
                problems.toString());

        problems = CrossChecks.disruptionBudgetsCoverTheServices(stack.without("PodDisruptionBudget", "om-core"));
        assertEquals(
                List.of("Deployment om-core (2 replicas) is selected by 0 PodDisruptionBudgets, expected 1"), problems);
    }

    @Test
    void aBudgetThatBlocksDrainsOrLetsTheWholeServiceGoIsReported() {
        Manifest omCore = stack.get("PodDisruptionBudget", "om-core").mutableCopy();
        ObjectNode spec = (ObjectNode) omCore.body().path("spec");
        spec.remove("maxUnavailable");
        spec.put("minAvailable", 2);
        assertTrue(CrossChecks.disruptionBudgetsCoverTheServices(stack.with(omCore))
                .toString()
                .contains("lets no pod of 2 go"));
        Manifest frontend =
                stack.get("PodDisruptionBudget", CrossChecks.FRONTEND).mutableCopy();
        ((ObjectNode) frontend.body().path("spec")).put("maxUnavailable", 3);
        assertTrue(CrossChecks.disruptionBudgetsCoverTheServices(stack.with(frontend))
                .toString()
                .contains("lets all 3 pods"));
        Manifest beta = stack.get("PodDisruptionBudget", CrossChecks.FRONTEND).mutableCopy();
        ((ObjectNode) beta.body()).put("apiVersion", "policy/v1beta1");
        assertTrue(CrossChecks.disruptionBudgetsCoverTheServices(stack.with(beta))
                .toString()
                .contains("not policy/v1"));
    }

    @Test
    void anOmCoreProbeMissingOrOnAPortItDoesNotServeIsReported() {
        Manifest none = stack.get("Deployment", "om-core").mutableCopy();
        ((ObjectNode) none.container("om-core").orElseThrow()).remove("readinessProbe");
        assertEquals(
                List.of("om-core has no readinessProbe"), CrossChecks.omCoreIsProbedOnAPortItListens(stack.with(none)));

        Manifest elsewhere = stack.get("Deployment", "om-core").mutableCopy();
        ((ObjectNode) elsewhere.container("om-core").orElseThrow().at("/readinessProbe/tcpSocket")).put("port", 50502);
        assertTrue(CrossChecks.omCoreIsProbedOnAPortItListens(stack.with(elsewhere))
                .toString()
                .contains("probes port 50502"));

        // An httpGet on the gateway would never pass: every GET there answers 501.
        Manifest httpGet = stack.get("Deployment", "om-core").mutableCopy();
        ObjectNode probe =
                (ObjectNode) httpGet.container("om-core").orElseThrow().path("readinessProbe");
        probe.remove("tcpSocket");
        probe.putObject("httpGet").put("path", "/healthz").put("port", "http");
        assertTrue(CrossChecks.omCoreIsProbedOnAPortItListens(stack.with(httpGet))
                .toString()
                .contains("uses httpGet"));
    }

    @Test
    void latestUntaggedAndFloatingImagesAreReported() {
        Manifest redis = stack.get("StatefulSet", CrossChecks.RESULTS_REDIS).mutableCopy();
        ObjectNode container = (ObjectNode) redis.container("redis").orElseThrow();
        container.put("image", "redis:7-alpine");
        ((ArrayNode) redis.podSpec().withArray("initContainers"))
                .addObject()
                .put("name", "init")
                .put("image", "busybox");
        Manifest omCore = stack.get("Deployment", "om-core").mutableCopy();
        ((ObjectNode) omCore.container("otel-collector").orElseThrow())
                .put("image", "otel/opentelemetry-collector:latest");
        Manifest fleet = stack.get("Fleet", CrossChecks.FLEET).mutableCopy();
        ((ObjectNode) fleet.container("match-server").orElseThrow()).put("image", "trespasser/match-server");
        List<String> problems =
                CrossChecks.imagesArePinned(stack.with(redis).with(omCore).with(fleet));
        assertEquals(4, problems.size(), problems.toString());
        String all = problems.toString();
        assertTrue(
                all.contains("redis:7-alpine: tag 7-alpine is not an exact version")
                        && all.contains("results-redis/init runs busybox: no tag")
                        && all.contains("tag latest is not an exact version")
                        && all.contains("trespasser-match/match-server runs trespasser/match-server: no tag"),
                all);
    }

    @Test
    void imageReferencesAreReadAsTheRegistryResolvesThem() {
        for (String pinned : List.of(
                "redis:7.4.2-alpine",
                "otel/opentelemetry-collector:0.115.0",
                "trespasser/om-core:ac392a0",
                "registry.example:5000/trespasser/frontend:v1.2.3",
                "redis@sha256:" + "a".repeat(64))) {
            assertEquals(null, CrossChecks.pinProblem(pinned), pinned);
        }
        for (String floating : List.of(
                "redis",
                "redis:latest",
                "redis:7",
                "redis:7.4-alpine",
                "registry.example:5000/redis",
                "redis@sha256:abc")) {
            assertTrue(CrossChecks.pinProblem(floating) != null, floating);
        }
    }

    private Stack withFleet(Consumer<JsonNode> change) {
        Manifest fleet = stack.get("Fleet", CrossChecks.FLEET).mutableCopy();
        change.accept(fleet.body());
        return stack.with(fleet);
    }

    static void setRedisArg(Manifest redis, String flag, String value) {
        ArrayNode args = (ArrayNode) redis.container("redis").orElseThrow().path("args");
        for (int i = 0; i + 1 < args.size(); i++) {
            if (args.get(i).asText().equals(flag)) {
                args.set(i + 1, value);
                return;
            }
        }
        args.add(flag).add(value);
    }

    static void removeEnv(JsonNode container, String name) {
        ArrayNode env = (ArrayNode) container.path("env");
        for (int i = env.size() - 1; i >= 0; i--) {
            if (env.get(i).path("name").asText().equals(name)) {
                env.remove(i);
            }
        }
    }

    static void setEnv(JsonNode container, String name, String value) {
        for (JsonNode variable : container.path("env")) {
            if (variable.path("name").asText().equals(name)) {
                ((ObjectNode) variable).put("value", value);
                return;
            }
        }
        ((ArrayNode) container.path("env")).addObject().put("name", name).put("value", value);
    }
}
