package dev.trespasser.manifests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trespasser.director.DirectorConfig;
import dev.trespasser.manifests.NetworkPolicies.Flow;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Issue 13 item 6, as DirectorRbacTest does for RBAC: the NetworkPolicies allow exactly the flows
 * the services' configuration makes (every env value naming a Service, resolved through that
 * Service to a container port), plus the documented outside flows, and nothing more. Issue 13
 * item 4: player-facing Services keep the client's address.
 */
class NetworkPolicyTest {

    private final Stack stack = Stack.load();

    @Test
    void everyPolicyIsAValidNetworkingV1Object() {
        assertFalse(NetworkPolicies.policies(stack).isEmpty());
        List<String> problems = new ArrayList<>();
        NetworkPolicies.policies(stack).forEach(policy -> problems.addAll(NetworkPolicies.structureProblems(policy)));
        assertEquals(List.of(), problems);
    }

    @Test
    void everyPodOfTheStackIsIsolatedBothWays() {
        assertEquals(List.of(), isolationProblems(stack));
    }

    @Test
    void thePoliciesAllowExactlyTheCallsTheConfigurationMakes() {
        List<String> problems = flowProblems(stack);
        assertEquals(List.of(), problems);
    }

    @Test
    void theDerivedCallsAreTheOnesTheServicesMake() {
        List<String> problems = new ArrayList<>();
        Set<Flow> calls = NetworkPolicies.configuredCalls(stack, problems);
        assertEquals(List.of(), problems);
        assertEquals(
                Set.of(
                        new Flow(CrossChecks.FRONTEND, CrossChecks.RESULTS_REDIS, 6379, "TCP"),
                        new Flow(CrossChecks.FRONTEND, "om-core", 50581, "TCP"),
                        new Flow(CrossChecks.DIRECTOR, CrossChecks.RESULTS_REDIS, 6379, "TCP"),
                        new Flow(CrossChecks.DIRECTOR, "om-core", 50581, "TCP"),
                        new Flow("om-core", "om-redis", 6379, "TCP"),
                        new Flow("om-core", CrossChecks.MMF, 50502, "TCP"),
                        new Flow(CrossChecks.FLEET, CrossChecks.RESULTS_REDIS, 6379, "TCP"),
                        new Flow(CrossChecks.FLEET, CrossChecks.REPLAY_REDIS, 6379, "TCP")),
                calls);
    }

    /** What an attacker holding one match server can open a connection to. */
    @Test
    void aMatchServerReachesOnlyTheResultsAndReplayStoresDnsAndTheApiPorts() {
        Set<Flow> fromMatchServer = new TreeSet<>();
        for (Flow flow : NetworkPolicies.allowedFlows(stack, new ArrayList<>())) {
            if (flow.from().equals(CrossChecks.FLEET)) {
                fromMatchServer.add(flow);
            }
        }
        assertEquals(
                Set.of(
                        new Flow(CrossChecks.FLEET, CrossChecks.RESULTS_REDIS, 6379, "TCP"),
                        new Flow(CrossChecks.FLEET, CrossChecks.REPLAY_REDIS, 6379, "TCP"),
                        new Flow(CrossChecks.FLEET, NetworkPolicies.DNS, 53, "UDP"),
                        new Flow(CrossChecks.FLEET, NetworkPolicies.DNS, 53, "TCP"),
                        new Flow(CrossChecks.FLEET, NetworkPolicies.KUBERNETES_API, 443, "TCP"),
                        new Flow(CrossChecks.FLEET, NetworkPolicies.KUBERNETES_API, 6443, "TCP")),
                fromMatchServer);
    }

    /**
     * The game server pod reaches the API server ports for its sidecar, so its match server
     * container must hold no credentials: Agones mounts an empty directory over that container's
     * service-account token only when the pod template names no ServiceAccount (agones
     * pkg/gameservers controller: DisableServiceAccount when ServiceAccountName is empty).
     */
    @Test
    void theMatchServerContainerGetsNoKubernetesCredentials() {
        JsonNode pod = stack.get("Fleet", CrossChecks.FLEET).podSpec();
        assertTrue(
                pod.path("serviceAccountName").asText().isEmpty(), "the Fleet's pod template names a ServiceAccount");
        assertTrue(pod.path("serviceAccount").asText().isEmpty(), "the Fleet's pod template names a ServiceAccount");
    }

    @Test
    void playerFacingServicesKeepTheClientsAddress() {
        assertEquals(List.of(), clientAddressProblems(stack));
        assertTrue(
                stack.ofKind("Service").stream()
                        .anyMatch(
                                s -> s.body().path("spec").path("type").asText().equals("LoadBalancer")),
                "the frontend is player-facing");
    }

    // A broken copy of the manifests is reported: each check below runs with one mistake in it.

    @Test
    void aMatchServerAllowedToReachOmCoreIsReported() {
        Manifest matchServer = policy("match-server");
        ObjectNode rule = ((ArrayNode) matchServer.body().path("spec").path("egress")).addObject();
        rule.putArray("to")
                .addObject()
                .putObject("podSelector")
                .putObject("matchLabels")
                .put("app.kubernetes.io/name", "om-core");
        rule.putArray("ports").addObject().put("port", 50581).put("protocol", "TCP");
        Manifest omCore = policy("om-core");
        ((ArrayNode) omCore.body().path("spec").path("ingress").get(0).path("from"))
                .addObject()
                .putObject("podSelector")
                .putObject("matchLabels")
                .put("agones.dev/role", "gameserver");
        List<String> problems = flowProblems(stack.with(matchServer).with(omCore));
        assertEquals(List.of("allowed but not needed: trespasser-match -> om-core:50581/TCP"), problems);
    }

    @Test
    void anEgressRuleAloneDoesNotOpenAFlowTheOtherSideRefuses() {
        Manifest matchServer = policy("match-server");
        ObjectNode rule = ((ArrayNode) matchServer.body().path("spec").path("egress")).addObject();
        rule.putArray("to")
                .addObject()
                .putObject("podSelector")
                .putObject("matchLabels")
                .put("app.kubernetes.io/name", "om-redis");
        assertEquals(
                List.of(), flowProblems(stack.with(matchServer)), "om-redis' ingress still refuses the match server");
    }

    @Test
    void aCallThePoliciesDoNotAllowIsReported() {
        Manifest frontend = policy("frontend");
        ((ArrayNode) frontend.body().path("spec").path("egress")).remove(1);
        assertEquals(
                List.of("needed but not allowed: trespasser-frontend -> om-core:50581/TCP"),
                flowProblems(stack.with(frontend)));

        // A new address in a match server's env is a new call: the policies must follow.
        Manifest fleet = stack.get("Fleet", CrossChecks.FLEET).mutableCopy();
        ((ArrayNode) fleet.container("match-server").orElseThrow().path("env"))
                .addObject()
                .put("name", "MATCH_LOOKUP_TARGET")
                .put("value", "om-core:50581");
        assertEquals(
                List.of("needed but not allowed: trespasser-match -> om-core:50581/TCP"),
                flowProblems(stack.with(fleet)));
    }

    @Test
    void theMetadataServerLeftReachableIsReported() {
        Manifest matchServer = policy("match-server");
        ((ObjectNode) matchServer
                        .body()
                        .path("spec")
                        .path("egress")
                        .get(1)
                        .path("to")
                        .get(0)
                        .path("ipBlock"))
                .remove("except");
        List<String> problems = flowProblems(stack.with(matchServer));
        assertTrue(
                problems.contains("allowed but not needed: trespasser-match -> cloud-metadata:443/TCP"),
                problems.toString());
    }

    @Test
    void aGameServerPolicySelectingALabelAgonesDoesNotPutOnPodsIsReported() {
        // The Fleet's own labels stay on the GameServer objects; a policy keyed on them selects no pod.
        Manifest matchServer = policy("match-server");
        ObjectNode labels =
                (ObjectNode) matchServer.body().path("spec").path("podSelector").path("matchLabels");
        labels.removeAll();
        labels.put("app.kubernetes.io/name", "match-server");
        List<String> problems = flowProblems(stack.with(matchServer));
        assertTrue(
                problems.contains("needed but not allowed: trespasser-match -> results-redis:6379/TCP"),
                problems.toString());
        assertTrue(
                problems.contains("needed but not allowed: internet -> trespasser-match:7777/TCP"),
                problems.toString());
    }

    @Test
    void withoutTheDefaultDenyAnUnlistedPodIsOpenAndReported() {
        Stack open = stack.without("NetworkPolicy", "default-deny").without("NetworkPolicy", "matchmaker-function");
        assertEquals(
                List.of("trespasser-mmf is not isolated for Ingress", "trespasser-mmf is not isolated for Egress"),
                isolationProblems(open));
        List<String> problems = flowProblems(open);
        assertTrue(
                problems.contains("allowed but not needed: internet -> trespasser-mmf:50502/TCP"), problems.toString());
        assertTrue(
                problems.contains("allowed but not needed: trespasser-mmf -> cloud-metadata:80/TCP"),
                problems.toString());
    }

    @Test
    void malformedPoliciesAreRefusedByStructure() {
        Manifest broken = policy("frontend");
        ObjectNode spec = (ObjectNode) broken.body().path("spec");
        ObjectNode egress = (ObjectNode) spec.path("egress").get(0);
        ((ObjectNode) egress.path("ports").get(0)).put("protocol", "HTTP").put("port", 70000);
        ((ObjectNode) egress.path("to").get(0)).putObject("ipBlock").put("cidr", "10.0.0.0/33");
        spec.putArray("policyTypes").add("Ingress");
        spec.put("podSelectr", "typo");
        List<String> problems = NetworkPolicies.structureProblems(broken);
        assertEquals(
                List.of(
                        "NetworkPolicy frontend spec: unknown field podSelectr",
                        "NetworkPolicy frontend: has egress rules but policyTypes lacks Egress, so they are ignored",
                        "NetworkPolicy frontend to: ipBlock cannot be combined with a selector",
                        "NetworkPolicy frontend to: not a CIDR: 10.0.0.0/33",
                        "NetworkPolicy frontend port: protocol HTTP is not TCP, UDP or SCTP",
                        "NetworkPolicy frontend port: port 70000 is out of range"),
                problems);
        Manifest beta = policy("om-redis");
        ((ObjectNode) beta.body()).put("apiVersion", "extensions/v1beta1");
        ((ObjectNode) beta.body()
                        .path("spec")
                        .path("ingress")
                        .get(0)
                        .path("ports")
                        .get(0))
                .put("port", "Redis_Port");
        assertEquals(
                List.of(
                        "NetworkPolicy om-redis is extensions/v1beta1, not networking.k8s.io/v1",
                        "NetworkPolicy om-redis port: port \"Redis_Port\" is neither a number nor a port name"),
                NetworkPolicies.structureProblems(beta));
    }

    @Test
    void aPlayerFacingServiceThatRewritesClientAddressesIsReported() {
        Manifest service = stack.get("Service", CrossChecks.FRONTEND).mutableCopy();
        ((ObjectNode) service.body().path("spec")).remove("externalTrafficPolicy");
        assertEquals(
                List.of(
                        "Service trespasser-frontend (LoadBalancer) must keep externalTrafficPolicy: Local, not Cluster: "
                                + "behind Cluster every player on a node shares that node's address"),
                clientAddressProblems(stack.with(service)));
    }

    // ---- checks -------------------------------------------------------------------------

    /** Needed (configured calls + the documented outside flows) against allowed, both ways. */
    static List<String> flowProblems(Stack stack) {
        List<String> problems = new ArrayList<>();
        Set<Flow> calls = NetworkPolicies.configuredCalls(stack, problems);
        // The production director always allocates through the Kubernetes API (the local fleet lives in local-stack).
        boolean directorAllocates =
                DirectorConfig.fromEnv(CrossChecks.directorEnv(stack)).agones() != null;
        Set<Flow> needed = new TreeSet<>(calls);
        needed.addAll(NetworkPolicies.outsideFlowsNeeded(stack, calls, directorAllocates));
        Set<Flow> allowed = NetworkPolicies.allowedFlows(stack, problems);
        for (Flow flow : allowed) {
            if (!needed.contains(flow)) {
                problems.add("allowed but not needed: " + flow);
            }
        }
        for (Flow flow : needed) {
            if (!allowed.contains(flow)) {
                problems.add("needed but not allowed: " + flow);
            }
        }
        return problems;
    }

    /** Every pod is selected by some policy of each type, so what is not allowed is denied. */
    static List<String> isolationProblems(Stack stack) {
        List<String> problems = new ArrayList<>();
        for (NetworkPolicies.Pods pods : NetworkPolicies.pods(stack)) {
            for (String type : List.of("Ingress", "Egress")) {
                boolean isolated = false;
                for (Manifest policy : NetworkPolicies.policies(stack)) {
                    JsonNode spec = policy.body().path("spec");
                    boolean typed = false;
                    for (JsonNode t : spec.path("policyTypes")) {
                        typed |= t.asText().equals(type);
                    }
                    isolated |= typed && NetworkPolicies.selects(spec.path("podSelector"), pods.labels());
                }
                if (!isolated) {
                    problems.add(pods.name() + " is not isolated for " + type);
                }
            }
        }
        return problems;
    }

    /** Per-address limits need the player's address: no SNAT to a node's address on the way in. */
    static List<String> clientAddressProblems(Stack stack) {
        List<String> problems = new ArrayList<>();
        for (Manifest service : stack.ofKind("Service")) {
            JsonNode spec = service.body().path("spec");
            String type = spec.path("type").asText("ClusterIP");
            if (List.of("LoadBalancer", "NodePort").contains(type)
                    && !spec.path("externalTrafficPolicy").asText("Cluster").equals("Local")) {
                problems.add(
                        "Service " + service.name() + " (" + type + ") must keep externalTrafficPolicy: Local, not "
                                + spec.path("externalTrafficPolicy").asText("Cluster")
                                + ": behind Cluster every player on a node shares that node's address");
            }
        }
        return problems;
    }

    private Manifest policy(String name) {
        return stack.get("NetworkPolicy", name).mutableCopy();
    }
}
