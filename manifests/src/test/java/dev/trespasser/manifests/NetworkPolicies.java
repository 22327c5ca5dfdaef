package dev.trespasser.manifests;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The NetworkPolicies of the stack read as the flows they allow, next to the flows the services'
 * configuration makes them need. A flow is {@code from -> to:port/protocol}; {@code from} and
 * {@code to} name a workload's pods or one of the outside parties below.
 */
final class NetworkPolicies {

    /** Outside parties a pod may talk to or hear from. */
    static final String INTERNET = "internet";

    static final String MONITORING = "monitoring";
    static final String DNS = "kube-dns";
    static final String KUBERNETES_API = "kubernetes-api";
    static final String METADATA = "cloud-metadata";
    static final String METADATA_ADDRESS = "169.254.169.254";
    static final String MONITORING_NAMESPACE = "monitoring";
    static final List<Integer> KUBERNETES_API_PORTS = List.of(443, 6443);
    /** Agones labels every GameServer's pod so (agones pkg/apis/agones/v1 GameServer.Pod: RoleLabel, GameServerPodLabel). */
    static final Map<String, String> AGONES_POD_LABELS =
            Map.of("agones.dev/role", "gameserver", "agones.dev/gameserver", "any-gameserver");

    record Flow(String from, String to, int port, String protocol) implements Comparable<Flow> {
        @Override
        public int compareTo(Flow other) {
            return toString().compareTo(other.toString());
        }

        @Override
        public String toString() {
            return from + " -> " + to + ":" + port + "/" + protocol;
        }
    }

    /** One workload's pods: their labels, their named ports and every port they listen on. */
    record Pods(
            String name,
            Manifest workload,
            String namespace,
            Map<String, String> labels,
            Map<String, Integer> namedPorts,
            Set<Integer> ports) {}

    private NetworkPolicies() {}

    static List<Manifest> policies(Stack stack) {
        return stack.ofKind("NetworkPolicy");
    }

    /** The pods of every Deployment and StatefulSet, and the Fleet's game servers as Agones labels them. */
    static List<Pods> pods(Stack stack) {
        List<Pods> pods = new ArrayList<>();
        for (Manifest workload : stack.objects) {
            if (!List.of("Deployment", "StatefulSet", "Fleet").contains(workload.kind())) {
                continue;
            }
            Map<String, String> labels = new LinkedHashMap<>();
            JsonNode template = workload.kind().equals("Fleet")
                    ? workload.body().path("spec").path("template").path("spec").path("template")
                    : workload.body().path("spec").path("template");
            template.path("metadata")
                    .path("labels")
                    .fields()
                    .forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
            Map<String, Integer> named = new LinkedHashMap<>();
            Set<Integer> ports = new TreeSet<>();
            for (JsonNode container : workload.podSpec().path("containers")) {
                for (JsonNode port : container.path("ports")) {
                    ports.add(port.path("containerPort").asInt());
                    if (port.has("name")) {
                        named.put(
                                port.path("name").asText(),
                                port.path("containerPort").asInt());
                    }
                }
            }
            if (workload.kind().equals("Fleet")) {
                labels.putAll(AGONES_POD_LABELS);
                // Agones adds each GameServer port to the game container, without a name.
                for (JsonNode port : workload.body()
                        .path("spec")
                        .path("template")
                        .path("spec")
                        .path("ports")) {
                    ports.add(port.path("containerPort").asInt());
                }
            }
            pods.add(new Pods(workload.name(), workload, stack.namespaceOf(workload), labels, named, ports));
        }
        return pods;
    }

    static Pods podsNamed(Stack stack, String name) {
        return pods(stack).stream()
                .filter(p -> p.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no workload " + name));
    }

    // ---- the flows the configuration needs --------------------------------------------------

    /**
     * The calls each workload's configuration makes: every env value naming a Service of the stack
     * (a URL, host:port, or a *_HOST variable with its *_PORT), landing on the container port the
     * Service sends that port to. The director's MMF_HOST/MMF_PORT is om-core's call: the director
     * only names the MMF in each InvokeMatchmakingFunctions.
     */
    static Set<Flow> configuredCalls(Stack stack, List<String> problems) {
        Set<Flow> calls = new TreeSet<>();
        List<String> services =
                stack.ofKind("Service").stream().map(Manifest::name).toList();
        for (Pods caller : pods(stack)) {
            for (JsonNode container : caller.workload().podSpec().path("containers")) {
                Map<String, String> env =
                        stack.env(caller.workload(), container.path("name").asText());
                for (Map.Entry<String, String> variable : env.entrySet()) {
                    for (String service : services) {
                        Matcher m = Pattern.compile(
                                        "(?<![A-Za-z0-9.-])" + Pattern.quote(service) + "(?![A-Za-z0-9-])(?::(\\d+))?")
                                .matcher(variable.getValue());
                        while (m.find()) {
                            String port = m.group(1);
                            if (port == null && variable.getKey().endsWith("_HOST")) {
                                port = env.get(variable.getKey()
                                                .substring(0, variable.getKey().length() - 5) + "_PORT");
                            }
                            if (port == null) {
                                problems.add(caller.name() + " " + variable.getKey() + " names " + service
                                        + " without a port");
                                continue;
                            }
                            String from = caller.name().equals(CrossChecks.DIRECTOR)
                                            && variable.getKey().startsWith("MMF_")
                                    ? "om-core"
                                    : caller.name();
                            Flow call = serviceCall(stack, from, service, Integer.parseInt(port), problems);
                            if (call != null) {
                                calls.add(call);
                            }
                        }
                    }
                }
            }
        }
        return calls;
    }

    /** {@code from} calling Service {@code service} on {@code port}: the pods and container port it reaches. */
    private static Flow serviceCall(Stack stack, String from, String service, int port, List<String> problems) {
        JsonNode spec = stack.get("Service", service).body().path("spec");
        for (JsonNode servicePort : spec.path("ports")) {
            if (servicePort.path("port").asInt() != port) {
                continue;
            }
            for (Pods target : pods(stack)) {
                if (!selects(spec.path("selector"), target.labels())) {
                    continue;
                }
                JsonNode targetPort =
                        servicePort.has("targetPort") ? servicePort.path("targetPort") : servicePort.path("port");
                Integer containerPort = targetPort.isInt()
                        ? Integer.valueOf(targetPort.asInt())
                        : target.namedPorts().get(targetPort.asText());
                if (containerPort == null) {
                    problems.add("Service " + service + " sends to port " + targetPort + ", which " + target.name()
                            + " does not declare");
                    return null;
                }
                return new Flow(
                        from,
                        target.name(),
                        containerPort,
                        servicePort.path("protocol").asText("TCP"));
            }
            problems.add("Service " + service + " selects no pod of the stack");
            return null;
        }
        problems.add(from + " calls " + service + ":" + port + ", a port that Service does not serve");
        return null;
    }

    // ---- the flows the policies allow -------------------------------------------------------

    /** Every flow between the stack's pods, and between them and the outside parties, that the policies let through. */
    static Set<Flow> allowedFlows(Stack stack, List<String> problems) {
        List<Pods> pods = pods(stack);
        List<Manifest> policies = policies(stack);
        Set<Flow> allowed = new TreeSet<>();
        for (Pods from : pods) {
            for (Pods to : pods) {
                for (int port : to.ports()) {
                    for (String protocol : List.of("TCP", "UDP")) {
                        if (egressAllows(policies, from, Peer.pods(to), port, protocol, problems)
                                && ingressAllows(policies, to, Peer.pods(from), port, protocol, problems)) {
                            allowed.add(new Flow(from.name(), to.name(), port, protocol));
                        }
                    }
                }
            }
            for (int port : from.ports()) {
                if (ingressAllows(policies, from, Peer.INTERNET, port, "TCP", problems)) {
                    allowed.add(new Flow(INTERNET, from.name(), port, "TCP"));
                }
                if (ingressAllows(policies, from, Peer.MONITORING, port, "TCP", problems)) {
                    allowed.add(new Flow(MONITORING, from.name(), port, "TCP"));
                }
            }
            for (String protocol : List.of("UDP", "TCP")) {
                if (egressAllows(policies, from, Peer.DNS, 53, protocol, problems)) {
                    allowed.add(new Flow(from.name(), DNS, 53, protocol));
                }
            }
            for (int port : KUBERNETES_API_PORTS) {
                if (egressAllows(policies, from, Peer.INTERNET, port, "TCP", problems)) {
                    allowed.add(new Flow(from.name(), KUBERNETES_API, port, "TCP"));
                }
            }
            // The metadata server answers on 80; any port counts as reaching it.
            for (int port : List.of(80, 443, 8080)) {
                if (egressAllows(policies, from, Peer.METADATA, port, "TCP", problems)) {
                    allowed.add(new Flow(from.name(), METADATA, port, "TCP"));
                }
            }
        }
        return allowed;
    }

    /** What a rule's peer may be matched against. */
    record Peer(Pods pods, String outside, String address) {
        static final Peer INTERNET = new Peer(null, NetworkPolicies.INTERNET, "203.0.113.10");
        static final Peer MONITORING = new Peer(null, NetworkPolicies.MONITORING, null);
        static final Peer DNS = new Peer(null, NetworkPolicies.DNS, null);
        static final Peer METADATA = new Peer(null, NetworkPolicies.METADATA, METADATA_ADDRESS);

        static Peer pods(Pods pods) {
            return new Peer(pods, null, null);
        }
    }

    private static boolean egressAllows(
            List<Manifest> policies, Pods from, Peer to, int port, String protocol, List<String> problems) {
        return allows(
                policies,
                from,
                "Egress",
                "egress",
                "to",
                to,
                port,
                protocol,
                to.pods() == null ? Map.of() : to.pods().namedPorts(),
                problems);
    }

    private static boolean ingressAllows(
            List<Manifest> policies, Pods to, Peer from, int port, String protocol, List<String> problems) {
        return allows(policies, to, "Ingress", "ingress", "from", from, port, protocol, to.namedPorts(), problems);
    }

    /**
     * Kubernetes' semantics: pods no policy of that direction selects are open; selected pods take
     * the union of the rules of every selecting policy; a rule without peers or ports matches all.
     */
    private static boolean allows(
            List<Manifest> policies,
            Pods subject,
            String type,
            String rulesField,
            String peersField,
            Peer peer,
            int port,
            String protocol,
            Map<String, Integer> destinationPorts,
            List<String> problems) {
        boolean isolated = false;
        for (Manifest policy : policies) {
            JsonNode spec = policy.body().path("spec");
            if (!inNamespace(policy, subject)
                    || !selects(spec.path("podSelector"), subject.labels())
                    || !textValues(spec.path("policyTypes")).contains(type)) {
                continue;
            }
            isolated = true;
            for (JsonNode rule : spec.path(rulesField)) {
                if (portMatches(rule.path("ports"), port, protocol, destinationPorts)
                        && peerMatches(policy, rule.path(peersField), peer, problems)) {
                    return true;
                }
            }
        }
        return !isolated;
    }

    private static boolean inNamespace(Manifest policy, Pods pods) {
        String own = policy.body().path("metadata").path("namespace").asText();
        return own.isEmpty() || own.equals(pods.namespace());
    }

    private static boolean portMatches(
            JsonNode ports, int port, String protocol, Map<String, Integer> destinationPorts) {
        if (ports.isMissingNode() || ports.isEmpty()) {
            return true;
        }
        for (JsonNode entry : ports) {
            if (!entry.path("protocol").asText("TCP").equals(protocol)) {
                continue;
            }
            JsonNode value = entry.path("port");
            if (value.isMissingNode()) {
                return true;
            }
            if (value.isInt()) {
                int end = entry.path("endPort").asInt(value.asInt());
                if (port >= value.asInt() && port <= end) {
                    return true;
                }
            } else if (Integer.valueOf(port).equals(destinationPorts.get(value.asText()))) {
                return true;
            }
        }
        return false;
    }

    private static boolean peerMatches(Manifest policy, JsonNode peers, Peer peer, List<String> problems) {
        if (peers.isMissingNode() || peers.isEmpty()) {
            return true;
        }
        for (JsonNode entry : peers) {
            if (entry.has("ipBlock")) {
                // Conservative: an ipBlock may cover pod addresses too (CNIs differ), so it matches pods.
                if (peer.pods() != null
                        || peer.outside().equals(INTERNET)
                        || peer.outside().equals(METADATA)) {
                    if (peer.address() == null || inBlock(entry.path("ipBlock"), peer.address())) {
                        return true;
                    }
                }
                continue;
            }
            JsonNode namespaces = entry.path("namespaceSelector");
            JsonNode podSelector = entry.path("podSelector");
            if (namespaces.isMissingNode()) {
                if (peer.pods() != null
                        && inNamespace(policy, peer.pods())
                        && selects(podSelector, peer.pods().labels())) {
                    return true;
                }
                continue;
            }
            String namespace = namespaces
                    .path("matchLabels")
                    .path("kubernetes.io/metadata.name")
                    .asText();
            if (namespaces.path("matchLabels").size() != 1 || namespace.isEmpty()) {
                problems.add("policy " + policy.name()
                        + ": a namespaceSelector must name one namespace by kubernetes.io/metadata.name: "
                        + namespaces);
                continue;
            }
            if (namespace.equals("kube-system")) {
                boolean dnsOnly = podSelector.path("matchLabels").size() == 1
                        && podSelector
                                .path("matchLabels")
                                .path("k8s-app")
                                .asText()
                                .equals("kube-dns");
                if (!dnsOnly) {
                    problems.add("policy " + policy.name() + " opens kube-system beyond the kube-dns pods: " + entry);
                }
                if (DNS.equals(peer.outside())) {
                    return true;
                }
            } else if (namespace.equals(MONITORING_NAMESPACE)) {
                if (MONITORING.equals(peer.outside())) {
                    return true;
                }
            } else if (peer.pods() != null && namespace.equals(peer.pods().namespace())) {
                if (selects(podSelector, peer.pods().labels())) {
                    return true;
                }
            } else {
                problems.add("policy " + policy.name() + " names namespace " + namespace
                        + ", which no flow of the stack involves");
            }
        }
        return false;
    }

    /** Whether the label selector (missing or {} = everything) matches these labels; matchLabels only. */
    static boolean selects(JsonNode selector, Map<String, String> labels) {
        JsonNode matchLabels = selector.has("matchLabels") ? selector.path("matchLabels") : selector;
        if (selector.has("matchExpressions")) {
            return false;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = matchLabels.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> label = it.next();
            if (label.getKey().equals("matchLabels")) {
                continue;
            }
            if (!label.getValue().asText().equals(labels.get(label.getKey()))) {
                return false;
            }
        }
        return true;
    }

    private static Set<String> textValues(JsonNode array) {
        Set<String> values = new TreeSet<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }

    // ---- the flows the design calls for ------------------------------------------------------

    /**
     * The flows to and from outside the namespace the stack needs: players reach the ports of the
     * player-facing Services and the Fleet's game ports; Prometheus (namespace monitoring) also
     * each pod's scrape port (prometheus.io/port); every pod that calls a Service by name resolves
     * it (kube-dns, UDP and TCP 53); the director (Agones allocator) and the game server pods (the
     * Agones SDK sidecar) reach the Kubernetes API ports; nobody reaches the cloud metadata server.
     */
    static Set<Flow> outsideFlowsNeeded(Stack stack, Set<Flow> calls, boolean directorAllocates) {
        Set<Flow> needed = new TreeSet<>();
        List<Pods> pods = pods(stack);
        for (Manifest service : stack.ofKind("Service")) {
            JsonNode spec = service.body().path("spec");
            if (!List.of("LoadBalancer", "NodePort").contains(spec.path("type").asText())) {
                continue;
            }
            for (Pods target : pods) {
                if (selects(spec.path("selector"), target.labels())) {
                    for (JsonNode port : spec.path("ports")) {
                        JsonNode targetPort = port.has("targetPort") ? port.path("targetPort") : port.path("port");
                        int number = targetPort.isInt()
                                ? targetPort.asInt()
                                : target.namedPorts().getOrDefault(targetPort.asText(), -1);
                        needed.add(new Flow(
                                INTERNET,
                                target.name(),
                                number,
                                port.path("protocol").asText("TCP")));
                    }
                }
            }
        }
        for (Pods fleet : pods) {
            if (!fleet.workload().kind().equals("Fleet")) {
                continue;
            }
            for (JsonNode port : fleet.workload()
                    .body()
                    .path("spec")
                    .path("template")
                    .path("spec")
                    .path("ports")) {
                needed.add(new Flow(
                        INTERNET,
                        fleet.name(),
                        port.path("containerPort").asInt(),
                        port.path("protocol").asText("UDP")));
            }
            for (int port : KUBERNETES_API_PORTS) {
                needed.add(new Flow(fleet.name(), KUBERNETES_API, port, "TCP"));
            }
        }
        for (Flow flow : List.copyOf(needed)) {
            if (flow.from().equals(INTERNET)) {
                needed.add(new Flow(MONITORING, flow.to(), flow.port(), flow.protocol()));
            }
        }
        for (Pods scraped : pods) {
            String port = scraped.workload()
                    .podAnnotations()
                    .path("prometheus.io/port")
                    .asText();
            if (!port.isEmpty()) {
                needed.add(new Flow(MONITORING, scraped.name(), Integer.parseInt(port), "TCP"));
            }
        }
        for (Flow call : calls) {
            needed.add(new Flow(call.from(), DNS, 53, "UDP"));
            needed.add(new Flow(call.from(), DNS, 53, "TCP"));
        }
        if (directorAllocates) {
            for (int port : KUBERNETES_API_PORTS) {
                needed.add(new Flow(CrossChecks.DIRECTOR, KUBERNETES_API, port, "TCP"));
            }
        }
        return needed;
    }

    // ---- structure --------------------------------------------------------------------------

    private static final Set<String> TOP = Set.of("apiVersion", "kind", "metadata", "spec");
    private static final Set<String> SPEC = Set.of("podSelector", "policyTypes", "ingress", "egress");
    private static final Set<String> SELECTOR = Set.of("matchLabels", "matchExpressions");
    private static final Set<String> PEER = Set.of("podSelector", "namespaceSelector", "ipBlock");
    private static final Set<String> PORT = Set.of("port", "protocol", "endPort");
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    /** IANA_SVC_NAME, what a named container port must be. */
    private static final Pattern PORT_NAME = Pattern.compile("(?=.*[a-z])[a-z0-9]([-a-z0-9]{0,13}[a-z0-9])?");

    /** What the API server's validation of a networking.k8s.io/v1 NetworkPolicy (and pruning) would refuse or drop. */
    static List<String> structureProblems(Manifest policy) {
        List<String> problems = new ArrayList<>();
        String where = "NetworkPolicy " + policy.name();
        JsonNode body = policy.body();
        if (!policy.apiVersion().equals("networking.k8s.io/v1")) {
            problems.add(where + " is " + policy.apiVersion() + ", not networking.k8s.io/v1");
        }
        unknownFields(problems, where, body, TOP);
        if (!DNS_LABEL.matcher(policy.name()).matches()) {
            problems.add(where + ": name is not a DNS label");
        }
        JsonNode spec = body.path("spec");
        unknownFields(problems, where + " spec", spec, SPEC);
        if (!spec.path("podSelector").isObject()) {
            problems.add(where + ": spec.podSelector is required (use {} for every pod)");
        } else {
            selector(problems, where + " podSelector", spec.path("podSelector"));
        }
        Set<String> types = new TreeSet<>();
        if (!spec.path("policyTypes").isArray() || spec.path("policyTypes").isEmpty()) {
            problems.add(where + ": policyTypes must be given (the default depends on which rules are present)");
        }
        for (JsonNode type : spec.path("policyTypes")) {
            if (!Set.of("Ingress", "Egress").contains(type.asText()) || !types.add(type.asText())) {
                problems.add(where + ": policyTypes entry " + type + " is not Ingress or Egress, or repeated");
            }
        }
        for (String direction : List.of("ingress", "egress")) {
            JsonNode rules = spec.path(direction);
            if (rules.isMissingNode()) {
                continue;
            }
            String type = direction.equals("ingress") ? "Ingress" : "Egress";
            if (!types.contains(type)) {
                problems.add(where + ": has " + direction + " rules but policyTypes lacks " + type
                        + ", so they are ignored");
            }
            String peers = direction.equals("ingress") ? "from" : "to";
            if (!rules.isArray()) {
                problems.add(where + ": " + direction + " must be a list");
                continue;
            }
            for (JsonNode rule : rules) {
                unknownFields(problems, where + " " + direction + " rule", rule, Set.of(peers, "ports"));
                for (JsonNode peer : rule.path(peers)) {
                    peer(problems, where + " " + peers, peer);
                }
                for (JsonNode port : rule.path("ports")) {
                    port(problems, where + " port", port);
                }
            }
        }
        return problems;
    }

    private static void peer(List<String> problems, String where, JsonNode peer) {
        unknownFields(problems, where, peer, PEER);
        if (peer.isEmpty()) {
            problems.add(where + ": an empty peer");
        }
        if (peer.has("ipBlock")) {
            if (peer.size() != 1) {
                problems.add(where + ": ipBlock cannot be combined with a selector");
            }
            JsonNode block = peer.path("ipBlock");
            unknownFields(problems, where + " ipBlock", block, Set.of("cidr", "except"));
            try {
                long[] cidr = ipv4Block(block.path("cidr").asText());
                for (JsonNode except : block.path("except")) {
                    long[] inner = ipv4Block(except.asText());
                    if (cidr != null && (inner == null || (inner[0] & cidr[1]) != cidr[0] || inner[1] < cidr[1])) {
                        problems.add(where + ": except " + except.asText() + " is not inside "
                                + block.path("cidr").asText());
                    }
                }
            } catch (IllegalArgumentException e) {
                problems.add(where + ": " + e.getMessage());
            }
        }
        for (String name : List.of("podSelector", "namespaceSelector")) {
            if (peer.has(name)) {
                selector(problems, where + " " + name, peer.path(name));
            }
        }
    }

    private static void port(List<String> problems, String where, JsonNode port) {
        unknownFields(problems, where, port, PORT);
        String protocol = port.path("protocol").asText("TCP");
        if (!Set.of("TCP", "UDP", "SCTP").contains(protocol)) {
            problems.add(where + ": protocol " + protocol + " is not TCP, UDP or SCTP");
        }
        JsonNode value = port.path("port");
        if (value.isInt()) {
            if (value.asInt() < 1 || value.asInt() > 65535) {
                problems.add(where + ": port " + value.asInt() + " is out of range");
            }
            if (port.has("endPort")
                    && (!port.path("endPort").isInt()
                            || port.path("endPort").asInt() < value.asInt()
                            || port.path("endPort").asInt() > 65535)) {
                problems.add(where + ": endPort " + port.path("endPort") + " must be a port number not below "
                        + value.asInt());
            }
        } else if (!value.isMissingNode()) {
            if (!value.isTextual() || !PORT_NAME.matcher(value.asText()).matches()) {
                problems.add(where + ": port " + value + " is neither a number nor a port name");
            }
            if (port.has("endPort")) {
                problems.add(where + ": endPort needs a numeric port");
            }
        }
    }

    private static void selector(List<String> problems, String where, JsonNode selector) {
        unknownFields(problems, where, selector, SELECTOR);
        if (selector.has("matchExpressions")) {
            problems.add(where + ": matchExpressions are not used here (the checks read matchLabels)");
        }
        selector.path("matchLabels").fields().forEachRemaining(label -> {
            if (!label.getValue().isTextual()) {
                problems.add(where + ": label " + label.getKey() + " must be a string");
            }
        });
    }

    private static void unknownFields(List<String> problems, String where, JsonNode object, Set<String> known) {
        if (!object.isObject()) {
            if (!object.isMissingNode()) {
                problems.add(where + " must be an object");
            }
            return;
        }
        object.fieldNames().forEachRemaining(name -> {
            if (!known.contains(name)) {
                problems.add(where + ": unknown field " + name);
            }
        });
    }

    // ---- addresses --------------------------------------------------------------------------

    static boolean inBlock(JsonNode ipBlock, String address) {
        if (!contains(ipBlock.path("cidr").asText(), address)) {
            return false;
        }
        for (JsonNode except : ipBlock.path("except")) {
            if (contains(except.asText(), address)) {
                return false;
            }
        }
        return true;
    }

    /** IPv4 CIDR containment; an IPv6 CIDR contains no IPv4 address. */
    static boolean contains(String cidr, String address) {
        long[] block = ipv4Block(cidr);
        if (block == null) {
            return false;
        }
        long value = ipv4(address);
        return (value & block[1]) == block[0];
    }

    /** {network, mask} of an IPv4 CIDR, or null for an IPv6 one; malformed ones throw. */
    static long[] ipv4Block(String cidr) {
        int slash = cidr.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("not a CIDR: " + cidr);
        }
        String address = cidr.substring(0, slash);
        int bits = Integer.parseInt(cidr.substring(slash + 1));
        if (address.contains(":")) {
            if (bits < 0 || bits > 128) {
                throw new IllegalArgumentException("not a CIDR: " + cidr);
            }
            return null;
        }
        if (bits < 0 || bits > 32) {
            throw new IllegalArgumentException("not a CIDR: " + cidr);
        }
        long mask = bits == 0 ? 0 : (0xFFFFFFFFL << (32 - bits)) & 0xFFFFFFFFL;
        long network = ipv4(address);
        if ((network & mask) != network) {
            throw new IllegalArgumentException("CIDR " + cidr + " has host bits set");
        }
        return new long[] {network, mask};
    }

    private static long ipv4(String address) {
        if (!address.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            throw new IllegalArgumentException("not an IPv4 address: " + address);
        }
        try {
            byte[] bytes = InetAddress.getByName(address).getAddress();
            return ((bytes[0] & 0xFFL) << 24)
                    | ((bytes[1] & 0xFFL) << 16)
                    | ((bytes[2] & 0xFFL) << 8)
                    | (bytes[3] & 0xFFL);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IPv4 address: " + address, e);
        }
    }
}
