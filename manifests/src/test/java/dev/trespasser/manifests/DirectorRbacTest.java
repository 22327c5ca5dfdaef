package dev.trespasser.manifests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.trespasser.director.DirectorConfig;
import dev.trespasser.director.allocation.AgonesAllocator;
import dev.trespasser.director.allocation.AllocationResult;
import dev.trespasser.proto.allocation.v1.MatchAllocation;
import dev.trespasser.proto.allocation.v1.RosterPlayer;
import dev.trespasser.proto.allocation.v1.RosterTeam;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The director's Role grants exactly the Kubernetes calls the real AgonesAllocator makes, recorded
 * against a stub of Agones' aggregated allocation API and configured from the director's manifest.
 */
class DirectorRbacTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern NAMESPACED =
            Pattern.compile("/apis/([^/]+)/([^/]+)/namespaces/([^/]+)/([^/]+)(/([^/]+))?");

    /** One RBAC permission: the unit a Role grants. */
    record Permission(String apiGroup, String resource, String verb, String namespace)
            implements Comparable<Permission> {
        @Override
        public int compareTo(Permission other) {
            return toString().compareTo(other.toString());
        }
    }

    private final Stack stack = Stack.load();
    private HttpServer api;
    private final List<String> calls = new CopyOnWriteArrayList<>();
    private final List<JsonNode> bodies = new CopyOnWriteArrayList<>();
    private final ConcurrentLinkedQueue<String> states = new ConcurrentLinkedQueue<>();

    @BeforeEach
    void startApi() throws IOException {
        api = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        api.createContext("/", this::handle);
        api.start();
    }

    @AfterEach
    void stopApi() {
        api.stop(0);
    }

    /** Like the aggregated API: POST creates and answers 201 with the outcome in status.state; all else 405. */
    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String query = exchange.getRequestURI().getRawQuery();
            calls.add(exchange.getRequestMethod() + " "
                    + exchange.getRequestURI().getPath() + (query == null ? "" : "?" + query));
            byte[] reply;
            int status;
            if (exchange.getRequestMethod().equals("POST")) {
                ObjectNode allocation = (ObjectNode) JSON.readTree(exchange.getRequestBody());
                bodies.add(allocation.deepCopy());
                String state = states.isEmpty() ? "UnAllocated" : states.poll();
                ObjectNode result = allocation.putObject("status").put("state", state);
                if (state.equals("Allocated")) {
                    result.put("gameServerName", "trespasser-match-abcde-12345").put("address", "203.0.113.7");
                    ArrayNode ports = result.putArray("ports");
                    ports.addObject().put("name", "game").put("port", 7412);
                }
                reply = JSON.writeValueAsBytes(allocation);
                status = 201;
            } else {
                reply = "{\"kind\":\"Status\",\"code\":405}".getBytes(StandardCharsets.UTF_8);
                status = 405;
            }
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, reply.length);
            exchange.getResponseBody().write(reply);
        }
    }

    @Test
    void theRoleGrantsExactlyTheCallsTheAllocatorMakes() throws Exception {
        Set<Permission> used = recordAllocatorCalls();
        Set<Permission> granted = granted(stack);

        assertFalse(used.isEmpty(), "the allocator made no call");
        assertEquals(used, granted, "Role rules vs the calls of the real allocator");
        assertEquals(List.of(), bindingProblems(stack));
    }

    @Test
    void theRequestSelectsServersTheFleetRunsAndSchedulesLikeIt() throws Exception {
        recordAllocatorCalls();
        Manifest fleet = stack.get("Fleet", CrossChecks.FLEET);
        JsonNode gameServerLabels =
                fleet.body().path("spec").path("template").path("metadata").path("labels");
        for (JsonNode body : bodies) {
            JsonNode selector = body.path("spec").path("selectors").get(0);
            selector.path("matchLabels").fields().forEachRemaining(label -> {
                // Agones labels every GameServer of a Fleet with agones.dev/fleet=<fleet name>.
                String expected = label.getKey().equals("agones.dev/fleet")
                        ? fleet.name()
                        : gameServerLabels.path(label.getKey()).asText(null);
                assertEquals(expected, label.getValue().asText(), "selector label " + label.getKey());
            });
            assertEquals("Ready", selector.path("gameServerState").asText());
            assertEquals(
                    fleet.body().path("spec").path("scheduling").asText(),
                    body.path("spec").path("scheduling").asText());
        }
    }

    @Test
    void aRoleThatGrantsMoreThanTheDirectorCallsIsCaught() throws Exception {
        Set<Permission> used = recordAllocatorCalls();
        Manifest role = stack.get("Role", CrossChecks.DIRECTOR).mutableCopy();
        ObjectNode fleets = ((ArrayNode) role.body().path("rules")).addObject();
        fleets.putArray("apiGroups").add("agones.dev");
        fleets.putArray("resources").add("fleets");
        fleets.putArray("verbs").add("get").add("list");

        Set<Permission> granted = granted(stack.with(role));
        Set<Permission> extra = new TreeSet<>(granted);
        extra.removeAll(used);
        assertEquals(2, extra.size(), extra.toString());
    }

    @Test
    void aRoleBoundToAnotherAccountIsCaught() {
        Manifest deployment = stack.get("Deployment", CrossChecks.DIRECTOR).mutableCopy();
        ((ObjectNode) deployment.podSpec()).put("serviceAccountName", "default");
        assertEquals(1, bindingProblems(stack.with(deployment)).size());
    }

    /** Allocations through every reply the API gives: Contention then Allocated, and UnAllocated. */
    private Set<Permission> recordAllocatorCalls() throws Exception {
        Map<String, String> env = new HashMap<>(CrossChecks.directorEnv(stack));
        env.put("DIRECTOR_KUBE_API_URL", "http://127.0.0.1:" + api.getAddress().getPort());
        env.put("DIRECTOR_CONTENTION_BACKOFF_MS", "1");
        DirectorConfig.Agones agones = DirectorConfig.fromEnv(env).agones();
        AgonesAllocator allocator = new AgonesAllocator(
                AgonesAllocator.apiClient(agones.apiUrl(), agones.kubeconfig(), agones.timeout()), agones.settings());
        MatchAllocation match = MatchAllocation.newBuilder()
                .setMatchId("m-rbac")
                .setMode("4v4")
                .setMapName("depot")
                .addRoster(RosterPlayer.newBuilder().setPlayerId("p-1").setTeam(RosterTeam.ROSTER_TEAM_RED))
                .addRoster(RosterPlayer.newBuilder().setPlayerId("p-2").setTeam(RosterTeam.ROSTER_TEAM_BLUE))
                .setAllocatedAtEpochSeconds(1_795_000_000L)
                .build();
        states.add("Contention");
        states.add("Allocated");
        assertInstanceOf(AllocationResult.Allocated.class, allocator.allocate(match));
        states.add("UnAllocated");
        assertInstanceOf(AllocationResult.NoCapacity.class, allocator.allocate(match));
        allocator.close();

        Set<Permission> used = new TreeSet<>();
        for (String call : calls) {
            used.add(permission(call));
        }
        return used;
    }

    /** The RBAC permission an API request needs (Kubernetes' request-to-verb mapping). */
    static Permission permission(String call) {
        String method = call.substring(0, call.indexOf(' '));
        String target = call.substring(call.indexOf(' ') + 1);
        String path = target.contains("?") ? target.substring(0, target.indexOf('?')) : target;
        Matcher matcher = NAMESPACED.matcher(path);
        assertTrue(matcher.matches(), "not a namespaced API group call: " + call);
        boolean named = matcher.group(6) != null;
        String verb = switch (method) {
            case "POST" -> "create";
            case "GET" -> target.contains("watch=true") ? "watch" : named ? "get" : "list";
            case "PUT" -> "update";
            case "PATCH" -> "patch";
            case "DELETE" -> named ? "delete" : "deletecollection";
            default -> throw new AssertionError("unexpected method " + call);
        };
        return new Permission(matcher.group(1), matcher.group(4), verb, matcher.group(3));
    }

    /** Every (group, resource, verb) the director's Role grants, in the namespace it lands in. */
    static Set<Permission> granted(Stack stack) {
        Manifest role = stack.get("Role", CrossChecks.DIRECTOR);
        Set<Permission> granted = new TreeSet<>();
        for (JsonNode rule : role.body().path("rules")) {
            for (JsonNode group : rule.path("apiGroups")) {
                for (JsonNode resource : rule.path("resources")) {
                    for (JsonNode verb : rule.path("verbs")) {
                        granted.add(new Permission(
                                group.asText(), resource.asText(), verb.asText(), stack.namespaceOf(role)));
                    }
                }
            }
        }
        return granted;
    }

    /** The RoleBinding gives that Role to the ServiceAccount the director's pods run as. */
    static List<String> bindingProblems(Stack stack) {
        List<String> problems = new ArrayList<>();
        Manifest binding = stack.get("RoleBinding", CrossChecks.DIRECTOR);
        String account = stack.get("Deployment", CrossChecks.DIRECTOR)
                .podSpec()
                .path("serviceAccountName")
                .asText();
        if (!binding.body().path("roleRef").path("name").asText().equals(CrossChecks.DIRECTOR)
                || !binding.body().path("roleRef").path("kind").asText().equals("Role")) {
            problems.add("the RoleBinding does not bind the director's Role");
        }
        boolean bound = false;
        for (JsonNode subject : binding.body().path("subjects")) {
            bound |= subject.path("kind").asText().equals("ServiceAccount")
                    && subject.path("name").asText().equals(account);
        }
        if (!bound
                || stack.ofKind("ServiceAccount").stream()
                        .noneMatch(sa -> sa.name().equals(account))) {
            problems.add("the director runs as ServiceAccount '" + account + "', which the RoleBinding does not bind");
        }
        return problems;
    }
}
