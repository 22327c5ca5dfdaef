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
        assertTrue(problems.get(0).contains("no maxmemory") && problems.get(1).contains("must evict"), problems.toString());
    }

    @Test
    void replaysPointedAtTheAccountsRedisAreReported() {
        Manifest fleet = stack.get("Fleet", CrossChecks.FLEET).mutableCopy();
        JsonNode container = fleet.container("match-server").orElseThrow();
        setEnv(container, "MATCH_REPLAY_REDIS_URL", "redis://:$(RESULTS_REDIS_PASSWORD)@results-redis:6379");
        List<String> problems = CrossChecks.replaysHaveTheirOwnStore(stack.with(fleet));
        assertTrue(problems.stream().anyMatch(p -> p.contains("MATCH_REPLAY_REDIS_URL points at results-redis")), problems.toString());
        Manifest unset = stack.get("Fleet", CrossChecks.FLEET).mutableCopy();
        removeEnv(unset.container("match-server").orElseThrow(), "MATCH_REPLAY_REDIS_URL");
        assertTrue(CrossChecks.replaysHaveTheirOwnStore(stack.with(unset)).toString().contains("MATCH_REPLAY_REDIS_URL is not set"));
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
        ((ArrayNode) containers).addObject()
                .put("name", "gce-metadata").put("image", "nginxinc/nginx-unprivileged:1.27-alpine");
        List<String> problems = CrossChecks.omCoreNeedsNoMetadataServer(stack.with(omCore));
        assertEquals(2, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains("GCE_METADATA_HOST") && problems.get(1).contains("gce-metadata"), problems.toString());
    }

    @Test
    void agonesHealthChecksFitTheMatchServersPingInterval() {
        assertEquals(List.of(), CrossChecks.healthMatchesThePingInterval(stack));
    }

    // A broken manifest is reported: each check below runs on a copy with one mistake in it.

    @Test
    void aFleetLabelTheDirectorDoesNotSelectIsReported() {
        Stack broken = withFleet(fleet -> ((ObjectNode) fleet.path("spec").path("template").path("metadata").path("labels"))
                .put("trespasser.dev/protocol", "2"));
        List<String> problems = CrossChecks.directorSelectsTheFleet(broken);
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains("trespasser.dev/protocol=1"), problems.get(0));
    }

    @Test
    void aRenamedGamePortIsReported() {
        Stack broken = withFleet(fleet -> ((ObjectNode) fleet.path("spec").path("template").path("spec").path("ports").get(0))
                .put("name", "websocket"));
        assertTrue(CrossChecks.directorSelectsTheFleet(broken).toString().contains("port named game"));
    }

    @Test
    void aHealthPeriodTooShortForThePingIntervalIsReported() {
        Stack broken = withFleet(fleet -> ((ObjectNode) fleet.path("spec").path("template").path("spec").path("health"))
                .put("periodSeconds", 3));
        List<String> problems = CrossChecks.healthMatchesThePingInterval(broken);
        assertEquals(2, problems.size(), "the code default and the manifest's value: " + problems);
    }

    @Test
    void aContainerPortThatIsNotTheConfiguredOneIsReported() {
        Stack broken = withFleet(fleet -> ((ObjectNode) fleet.path("spec").path("template").path("spec").path("ports").get(0))
                .put("containerPort", 7000));
        assertTrue(CrossChecks.portsMatchTheConfig(broken).toString().contains("listens on 7777"));
    }

    @Test
    void aDrainTimeoutLongerThanTheGracePeriodIsReported() {
        Stack broken = withFleet(fleet -> setEnv(fleet.path("spec").path("template").path("spec").path("template").path("spec")
                .path("containers").get(0), "MATCH_DRAIN_TIMEOUT_SECONDS", "900"));
        assertTrue(CrossChecks.settingsAgree(broken).toString().contains("MATCH_DRAIN_TIMEOUT_SECONDS 900"));
    }

    @Test
    void aValueTheServiceRefusesFailsAtParseTime() {
        Manifest director = stack.get("Deployment", CrossChecks.DIRECTOR).mutableCopy();
        setEnv(director.podSpec().path("containers").get(0), "DIRECTOR_SELECTOR_LABELS", "trespasser.dev/protocol");
        Stack broken = stack.with(director);
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> DirectorConfig.fromEnv(CrossChecks.directorEnv(broken)));
        assertTrue(error.getMessage().startsWith("DIRECTOR_SELECTOR_LABELS"), error.getMessage());
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
