package dev.trespasser.director.allocation;

import dev.trespasser.proto.allocation.v1.MatchAllocation;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.ApiResponse;
import io.kubernetes.client.openapi.apis.CustomObjectsApi;
import io.kubernetes.client.util.ClientBuilder;
import io.kubernetes.client.util.KubeConfig;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Allocates through Agones: {@code POST
 * /apis/allocation.agones.dev/v1/namespaces/{ns}/gameserverallocations}. That is an aggregated
 * API, create only, which answers 201 whether or not a server was allocated; the outcome is in
 * {@code status.state}.
 */
public final class AgonesAllocator implements GameServerAllocator {

    private static final Logger log = LoggerFactory.getLogger(AgonesAllocator.class);

    static final String GROUP = "allocation.agones.dev";
    static final String VERSION = "v1";
    static final String PLURAL = "gameserverallocations";
    static final String FLEET_LABEL = "agones.dev/fleet";

    /**
     * @param extraLabels added to the selector's matchLabels next to the fleet label
     * @param gamePortName the GameServer port players connect to (status.ports[].name)
     * @param contentionAttempts tries per allocation while Agones answers Contention (at least 1)
     * @param contentionBackoff base of the jittered exponential pause between those tries
     */
    public record Settings(
            String namespace,
            String fleet,
            Map<String, String> extraLabels,
            String gamePortName,
            int contentionAttempts,
            Duration contentionBackoff) {

        public Settings {
            Objects.requireNonNull(namespace, "namespace");
            Objects.requireNonNull(fleet, "fleet");
            extraLabels = Map.copyOf(extraLabels);
            Objects.requireNonNull(gamePortName, "gamePortName");
            if (contentionAttempts < 1) {
                throw new IllegalArgumentException("contentionAttempts must be at least 1");
            }
            Objects.requireNonNull(contentionBackoff, "contentionBackoff");
        }
    }

    private final CustomObjectsApi api;
    private final Settings settings;

    public AgonesAllocator(ApiClient client, Settings settings) {
        this.api = new CustomObjectsApi(Objects.requireNonNull(client, "client"));
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /**
     * The API client: a plain URL (tests, {@code kubectl proxy}) wins over a kubeconfig file,
     * which wins over the pod's service account (the default in a cluster).
     */
    public static ApiClient apiClient(Optional<String> url, Optional<Path> kubeconfig, Duration timeout)
            throws IOException {
        ApiClient client;
        if (url.isPresent()) {
            client = new ClientBuilder().setBasePath(url.get()).build();
        } else if (kubeconfig.isPresent()) {
            try (Reader reader = Files.newBufferedReader(kubeconfig.get())) {
                client = ClientBuilder.kubeconfig(KubeConfig.loadKubeConfig(reader))
                        .build();
            }
        } else {
            client = ClientBuilder.cluster().build();
        }
        int millis = Math.toIntExact(timeout.toMillis());
        client.setConnectTimeout(millis);
        client.setReadTimeout(millis);
        client.setWriteTimeout(millis);
        return client;
    }

    @Override
    public AllocationResult allocate(MatchAllocation match) throws InterruptedException {
        Map<String, Object> body = requestBody(match);
        AllocationResult result = null;
        for (int attempt = 1; attempt <= settings.contentionAttempts(); attempt++) {
            result = send(body);
            if (!(result instanceof AllocationResult.Contention)) {
                return result;
            }
            if (attempt < settings.contentionAttempts()) {
                // Full jitter: directors racing for the same servers must not retry in lockstep.
                long ceiling = settings.contentionBackoff().toMillis() << (attempt - 1);
                long pause = ThreadLocalRandom.current().nextLong(ceiling + 1);
                log.debug("match {}: contention on attempt {}, retrying in {} ms", match.getMatchId(), attempt, pause);
                Thread.sleep(pause);
            }
        }
        return result;
    }

    /** The GameServerAllocation resource for {@code match}. */
    Map<String, Object> requestBody(MatchAllocation match) {
        AllocationMetadata metadata = AllocationMetadata.of(match);
        Map<String, String> matchLabels = new LinkedHashMap<>(settings.extraLabels());
        matchLabels.put(FLEET_LABEL, settings.fleet());
        Map<String, Object> selector = new LinkedHashMap<>();
        selector.put("matchLabels", matchLabels);
        selector.put("gameServerState", "Ready");
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("selectors", List.of(selector));
        // Packed fills nodes before using new ones, so the autoscaler can drain empty nodes.
        spec.put("scheduling", "Packed");
        spec.put("metadata", Map.of("labels", metadata.labels(), "annotations", metadata.annotations()));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("apiVersion", GROUP + "/" + VERSION);
        body.put("kind", "GameServerAllocation");
        body.put("spec", spec);
        return body;
    }

    private AllocationResult send(Map<String, Object> body) {
        ApiResponse<Object> response;
        try {
            response = api.createNamespacedCustomObject(GROUP, VERSION, settings.namespace(), PLURAL, body)
                    .executeWithHttpInfo();
        } catch (ApiException e) {
            String reply = e.getResponseBody() == null ? "" : e.getResponseBody();
            return e.getCode() == 0
                    ? new AllocationResult.Failure("Kubernetes API unreachable: " + e.getMessage())
                    : new AllocationResult.Failure("HTTP " + e.getCode() + ": " + reply);
        }
        if (response.getStatusCode() != 201 && response.getStatusCode() != 200) {
            return new AllocationResult.Failure("HTTP " + response.getStatusCode() + ": " + response.getData());
        }
        return readStatus(response.getData());
    }

    private AllocationResult readStatus(Object reply) {
        if (!(reply instanceof Map<?, ?> resource) || !(resource.get("status") instanceof Map<?, ?> status)) {
            return new AllocationResult.Failure("reply without status: " + reply);
        }
        Object state = status.get("state");
        if ("UnAllocated".equals(state)) {
            return new AllocationResult.NoCapacity("no Ready GameServer in fleet " + settings.fleet());
        }
        if ("Contention".equals(state)) {
            return new AllocationResult.Contention("Agones answered Contention");
        }
        if (!"Allocated".equals(state)) {
            return new AllocationResult.Failure("unknown allocation state " + state + ": " + reply);
        }
        if (!(status.get("gameServerName") instanceof String name) || name.isEmpty()) {
            // Join tokens name their server: without its name no player could join it.
            return new AllocationResult.Failure("allocated without a gameServerName: " + reply);
        }
        Object address = status.get("address");
        if (!(address instanceof String host) || host.isEmpty()) {
            return new AllocationResult.Failure("GameServer " + name + " allocated without an address");
        }
        Optional<Integer> port = gamePort(status.get("ports"));
        if (port.isEmpty()) {
            return new AllocationResult.Failure(
                    "GameServer " + name + " allocated without a port named '" + settings.gamePortName() + "'");
        }
        return new AllocationResult.Allocated(name, host, port.get());
    }

    private Optional<Integer> gamePort(Object ports) {
        if (!(ports instanceof List<?> list)) {
            return Optional.empty();
        }
        for (Object entry : list) {
            if (entry instanceof Map<?, ?> port
                    && settings.gamePortName().equals(port.get("name"))
                    && port.get("port") instanceof Number number) {
                return Optional.of(number.intValue());
            }
        }
        return Optional.empty();
    }
}
