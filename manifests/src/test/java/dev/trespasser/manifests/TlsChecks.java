package dev.trespasser.manifests;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks of the TLS wiring between the workloads' env, their Secret volumes and the cert-manager
 * Certificates that issue those Secrets. Each returns the problems it found, so tests can prove a
 * broken copy is reported.
 */
final class TlsChecks {

    /** The shared names: {@code <SERVICE>_TLS_CERT_FILE} and {@code <SERVICE>_TLS_KEY_FILE}. */
    static final Pattern TLS_FILE = Pattern.compile("([A-Z0-9_]+)_TLS_(CERT|KEY)_FILE");

    /** Where cert-manager puts each part in a kubernetes.io/tls Secret. */
    static final Map<String, String> SECRET_KEY = Map.of("CERT", "tls.crt", "KEY", "tls.key");

    /** The director's defaults (docs/configuration.md): the node's IP, and Assignment.tls on. */
    static final String DEFAULT_HOST_TEMPLATE = "{ip}";

    static final boolean DEFAULT_MATCH_TLS = true;

    private static final Set<String> WORKLOADS = Set.of("Deployment", "StatefulSet", "DaemonSet", "Job", "Fleet");

    /** Kubernetes' default mode of the files of a Secret volume. */
    private static final int DEFAULT_SECRET_MODE = 0644;

    private TlsChecks() {}

    /** One TLS file a container is pointed at. */
    record TlsFile(Manifest workload, String container, String variable, String service, String part, String path) {
        String where() {
            return workload.name() + "/" + container + " " + variable;
        }
    }

    static List<TlsFile> tlsFiles(Stack stack) {
        List<TlsFile> files = new ArrayList<>();
        for (Manifest workload : stack.objects) {
            if (!WORKLOADS.contains(workload.kind())) {
                continue;
            }
            for (JsonNode container : workload.podSpec().path("containers")) {
                String name = container.path("name").asText();
                stack.env(workload, name).forEach((variable, value) -> {
                    Matcher matcher = TLS_FILE.matcher(variable);
                    if (matcher.matches()) {
                        files.add(new TlsFile(workload, name, variable, matcher.group(1), matcher.group(2), value));
                    }
                });
            }
        }
        return files;
    }

    /** The volume a file lies in: the one mounted at its folder, and how. */
    record Mounted(JsonNode mount, JsonNode volume) {
        Optional<String> secretName() {
            JsonNode secret = volume.path("secret");
            return secret.isMissingNode()
                    ? Optional.empty()
                    : Optional.of(secret.path("secretName").asText());
        }
    }

    static Optional<Mounted> mountOf(TlsFile file) {
        Path path = Path.of(file.path());
        JsonNode container = file.workload().container(file.container()).orElseThrow();
        for (JsonNode mount : container.path("volumeMounts")) {
            if (path.getParent() != null
                    && Path.of(mount.path("mountPath").asText()).equals(path.getParent())) {
                for (JsonNode volume : file.workload().podSpec().path("volumes")) {
                    if (volume.path("name").asText().equals(mount.path("name").asText())) {
                        return Optional.of(new Mounted(mount, volume));
                    }
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Every TLS file a manifest names lies in a Secret volume mounted read-only at its folder, under
     * the key cert-manager writes it as; a private key is not readable by other users.
     */
    static List<String> tlsFilesAreInMountedSecrets(Stack stack) {
        List<String> problems = new ArrayList<>();
        for (TlsFile file : tlsFiles(stack)) {
            Path path = Path.of(file.path());
            if (!path.isAbsolute() || path.getParent() == null) {
                problems.add(file.where() + " is " + file.path() + ", not an absolute file path");
                continue;
            }
            Optional<Mounted> mounted = mountOf(file);
            if (mounted.isEmpty()) {
                problems.add(file.where() + " reads " + path + " but no volume is mounted at " + path.getParent());
                continue;
            }
            JsonNode volume = mounted.get().volume();
            JsonNode secret = volume.path("secret");
            if (secret.isMissingNode()) {
                problems.add(file.where() + " reads " + path + " from volume "
                        + volume.path("name").asText() + ", which is not a Secret");
                continue;
            }
            if (!mounted.get().mount().path("readOnly").asBoolean(false)) {
                problems.add(file.where() + ": the Secret "
                        + secret.path("secretName").asText() + " is mounted writable (readOnly: true missing)");
            }
            String expected = SECRET_KEY.get(file.part());
            String fileName = path.getFileName().toString();
            int mode = secret.path("defaultMode").asInt(DEFAULT_SECRET_MODE);
            if (secret.has("items")) {
                // With items, only the listed keys appear, at their paths.
                String key = null;
                for (JsonNode item : secret.path("items")) {
                    if (item.path("path").asText().equals(fileName)) {
                        key = item.path("key").asText();
                        mode = item.path("mode").asInt(mode);
                    }
                }
                if (!expected.equals(key)) {
                    problems.add(file.where() + " reads " + fileName + ", which the volume fills from "
                            + (key == null ? "no key" : "key " + key) + ", not " + expected);
                }
            } else if (!fileName.equals(expected)) {
                problems.add(file.where() + " reads " + fileName + ", but cert-manager's Secret holds the "
                        + (file.part().equals("CERT") ? "certificate" : "private key") + " as " + expected);
            }
            if (file.part().equals("KEY") && (mode & 0007) != 0) {
                problems.add(file.where() + ": the private key is readable by every user of the container (mode 0"
                        + Integer.toOctalString(mode) + "); use defaultMode 0440 with the pod's fsGroup");
            }
        }
        return problems;
    }

    /** Each service that is given a certificate is given its key too, from the same Secret, and the other way round. */
    static List<String> certificateAndKeyComeTogether(Stack stack) {
        Map<String, Map<String, TlsFile>> byService = new LinkedHashMap<>();
        for (TlsFile file : tlsFiles(stack)) {
            byService
                    .computeIfAbsent(
                            file.workload().kind() + "/" + file.workload().name() + "/" + file.container() + "/"
                                    + file.service(),
                            k -> new LinkedHashMap<>())
                    .put(file.part(), file);
        }
        List<String> problems = new ArrayList<>();
        byService.forEach((service, parts) -> {
            TlsFile any = parts.values().iterator().next();
            String where = any.workload().name() + "/" + any.container() + " ";
            if (!parts.containsKey("CERT")) {
                problems.add(where + "sets " + any.service() + "_TLS_KEY_FILE without " + any.service()
                        + "_TLS_CERT_FILE (both or neither)");
            } else if (!parts.containsKey("KEY")) {
                problems.add(where + "sets " + any.service() + "_TLS_CERT_FILE without " + any.service()
                        + "_TLS_KEY_FILE (both or neither)");
            } else {
                Optional<String> cert = mountOf(parts.get("CERT")).flatMap(Mounted::secretName);
                Optional<String> key = mountOf(parts.get("KEY")).flatMap(Mounted::secretName);
                if (!cert.equals(key)) {
                    problems.add(where + "reads its certificate from " + cert.orElse("no Secret") + " and its key from "
                            + key.orElse("no Secret") + ": a pair comes from one Secret");
                }
            }
        });
        return problems;
    }

    /**
     * Every Secret a TLS file is read from is the secretName of a Certificate cert-manager applies, in
     * the workload's namespace; and every such Certificate (but a CA's) is mounted by some workload.
     */
    static List<String> secretsAreIssuedByCertManager(Stack stack, CertManager certManager) {
        List<String> problems = new ArrayList<>();
        Set<String> mounted = new java.util.TreeSet<>();
        for (TlsFile file : tlsFiles(stack)) {
            Optional<String> secret = mountOf(file).flatMap(Mounted::secretName);
            if (secret.isEmpty()) {
                continue; // tlsFilesAreInMountedSecrets reports it
            }
            String namespace = stack.namespaceOf(file.workload());
            mounted.add(namespace + "/" + secret.get());
            List<Manifest> issuing = certManager.certificates().stream()
                    .filter(c ->
                            c.body().path("spec").path("secretName").asText().equals(secret.get()))
                    .toList();
            if (issuing.isEmpty()) {
                problems.add(file.where() + " reads Secret " + secret.get()
                        + ", which no Certificate of open-match/cert-manager/ issues");
            } else if (issuing.stream().noneMatch(c -> namespace.equals(namespaceOf(c)))) {
                problems.add(file.where() + " runs in namespace " + namespace + " but Certificate "
                        + issuing.get(0).name() + " writes Secret " + secret.get() + " into "
                        + namespaceOf(issuing.get(0)) + " (a pod mounts Secrets of its own namespace only)");
            }
        }
        for (Manifest certificate : certManager.certificates()) {
            JsonNode spec = certificate.body().path("spec");
            String secret =
                    namespaceOf(certificate) + "/" + spec.path("secretName").asText();
            if (!spec.path("isCA").asBoolean(false) && !mounted.contains(secret)) {
                problems.add("Certificate " + certificate.name() + " issues Secret " + secret
                        + ", which no workload reads a TLS file from");
            }
        }
        return problems;
    }

    /**
     * Every Certificate's key is ECDSA (P-256 or P-384) in PKCS#8: the match server reads its key
     * with the JDK alone, which parses PKCS#8 but not cert-manager's default PKCS#1/SEC1.
     */
    static List<String> keysAreEcdsaInPkcs8(List<Manifest> objects) {
        List<String> problems = new ArrayList<>();
        for (Manifest certificate : objects) {
            if (!certificate.kind().equals("Certificate")) {
                continue;
            }
            JsonNode key = certificate.body().path("spec").path("privateKey");
            String where = "Certificate " + certificate.name() + ": ";
            String encoding = key.path("encoding").asText("PKCS1 (the default)");
            if (!encoding.equals("PKCS8")) {
                problems.add(where + "privateKey.encoding is " + encoding + ", not PKCS8 (the JDK reads only PKCS#8)");
            }
            String algorithm = key.path("algorithm").asText("RSA (the default)");
            if (!algorithm.equals("ECDSA")) {
                problems.add(where + "privateKey.algorithm is " + algorithm + ", not ECDSA");
            } else if (!List.of(256, 384).contains(key.path("size").asInt(256))) {
                problems.add(where + "ECDSA size " + key.path("size").asInt() + ": use 256 or 384");
            }
        }
        return problems;
    }

    /**
     * The director and the fleet agree on TLS, and the names the director hands out are ones the
     * game servers' certificate covers: with {@code {ip-dashed}} (or {@code {name}}) in
     * DIRECTOR_HOST_TEMPLATE, the placeholder's label is the leftmost one and the rest is the suffix
     * of a wildcard of the Certificate whose Secret the fleet mounts; {@code {ip}} cannot be covered.
     */
    static List<String> matchServerNamesAreCovered(Stack stack, CertManager certManager) {
        List<String> problems = new ArrayList<>();
        Map<String, String> director = CrossChecks.directorEnv(stack);
        String template = director.getOrDefault("DIRECTOR_HOST_TEMPLATE", DEFAULT_HOST_TEMPLATE);
        String flag = director.getOrDefault("DIRECTOR_MATCH_TLS", String.valueOf(DEFAULT_MATCH_TLS));
        if (!flag.equalsIgnoreCase("true") && !flag.equalsIgnoreCase("false")) {
            problems.add("DIRECTOR_MATCH_TLS is " + flag + ", not true or false");
            return problems;
        }
        boolean directorSaysTls = Boolean.parseBoolean(flag);
        Optional<TlsFile> fleetCertificate = tlsFiles(stack).stream()
                .filter(f -> f.workload().kind().equals("Fleet")
                        && f.workload().name().equals(CrossChecks.FLEET)
                        && f.variable().equals("MATCH_TLS_CERT_FILE"))
                .findFirst();
        if (directorSaysTls && fleetCertificate.isEmpty()) {
            problems.add("the director tells players to use wss:// (DIRECTOR_MATCH_TLS) but the fleet's match servers"
                    + " are given no MATCH_TLS_CERT_FILE and serve ws://");
        }
        if (!directorSaysTls && fleetCertificate.isPresent()) {
            problems.add("the fleet's match servers serve wss:// but the director tells players ws://"
                    + " (DIRECTOR_MATCH_TLS=false)");
        }
        if (!directorSaysTls) {
            return problems;
        }
        if (template.contains("{ip}")) {
            problems.add("DIRECTOR_HOST_TEMPLATE " + template + " puts the node's address in as it is: players would"
                    + " dial a bare IP address (or a name with its dots), which a wildcard certificate cannot name;"
                    + " use {ip-dashed}");
            return problems;
        }
        // {ip-dashed} (or the GameServer's {name}) is one DNS label, which one wildcard level covers.
        String placeholder = template.contains("{ip-dashed}") ? "{ip-dashed}" : "{name}";
        int at = template.indexOf(placeholder);
        if (at < 0) {
            problems.add("DIRECTOR_HOST_TEMPLATE " + template + " has no {ip-dashed}: players would dial one name for"
                    + " every node");
            return problems;
        }
        if (template.lastIndexOf('.', at) >= 0) {
            problems.add("DIRECTOR_HOST_TEMPLATE " + template + ": the label with " + placeholder
                    + " must be the leftmost, the only one a wildcard certificate covers");
            return problems;
        }
        int end = template.indexOf('.', at);
        String suffix = end < 0 ? "" : template.substring(end + 1);
        if (suffix.isEmpty() || suffix.contains("{")) {
            problems.add(
                    "DIRECTOR_HOST_TEMPLATE " + template + " needs a fixed domain after the " + placeholder + " label");
            return problems;
        }
        if (fleetCertificate.isEmpty()) {
            return problems;
        }
        Optional<String> secret = mountOf(fleetCertificate.get()).flatMap(Mounted::secretName);
        String wildcard = "*." + suffix.toLowerCase(Locale.ROOT);
        for (Manifest certificate : certManager.certificates()) {
            JsonNode spec = certificate.body().path("spec");
            if (secret.isPresent() && spec.path("secretName").asText().equals(secret.get())) {
                List<String> names = new ArrayList<>();
                spec.path("dnsNames").forEach(n -> names.add(n.asText().toLowerCase(Locale.ROOT)));
                if (!names.contains(wildcard)) {
                    problems.add("the director hands out " + template + " but Certificate " + certificate.name()
                            + " (the fleet's " + secret.get() + ") names " + names + ", not " + wildcard);
                }
                return problems;
            }
        }
        return problems; // no Certificate issues the fleet's Secret: secretsAreIssuedByCertManager reports it
    }

    /**
     * What the schema subset cannot say: each Certificate names its namespace (the folder has no
     * namespace transformer), its issuer is defined among {@code objects}, renewal comes before
     * expiry, and a wildcard from an ACME issuer has a DNS-01 solver for its zone.
     */
    static List<String> certificatesAreIssuable(List<Manifest> objects) {
        List<String> problems = new ArrayList<>();
        for (Manifest certificate : objects) {
            if (!certificate.kind().equals("Certificate")) {
                continue;
            }
            String where = "Certificate " + certificate.name() + ": ";
            JsonNode spec = certificate.body().path("spec");
            if (namespaceOf(certificate).isEmpty()) {
                problems.add(where + "no metadata.namespace (nothing here sets one)");
            }
            JsonNode ref = spec.path("issuerRef");
            String kind = ref.path("kind").asText("Issuer");
            Optional<Manifest> issuer = objects.stream()
                    .filter(o -> o.kind().equals(kind)
                            && o.name().equals(ref.path("name").asText())
                            && (kind.equals("ClusterIssuer") || namespaceOf(o).equals(namespaceOf(certificate))))
                    .findFirst();
            if (!ref.path("group").asText("cert-manager.io").equals("cert-manager.io")) {
                problems.add(where + "issuerRef.group " + ref.path("group").asText() + " is not cert-manager.io");
            }
            if (issuer.isEmpty()) {
                problems.add(where + "issuerRef names " + kind + " "
                        + ref.path("name").asText() + ", which is not defined beside it");
            }
            Duration lifetime = goDuration(spec.path("duration").asText("2160h"));
            Duration renewBefore = goDuration(spec.path("renewBefore").asText("0s"));
            if (lifetime.compareTo(Duration.ofHours(1)) < 0 || renewBefore.compareTo(lifetime) >= 0) {
                problems.add(
                        where + "renewBefore " + spec.path("renewBefore").asText() + " must be shorter than duration "
                                + spec.path("duration").asText("2160h") + " (at least 1h)");
            }
            JsonNode acme = issuer.map(i -> i.body().path("spec").path("acme")).orElse(null);
            if (acme == null || acme.isMissingNode()) {
                continue;
            }
            for (JsonNode name : spec.path("dnsNames")) {
                if (name.asText().startsWith("*.")
                        && !dns01Solves(acme, name.asText().substring(2))) {
                    problems.add(where + name.asText()
                            + ": ACME issues a wildcard only through DNS-01, and no dns01 solver of "
                            + issuer.get().name() + " covers that zone");
                }
            }
        }
        return problems;
    }

    private static boolean dns01Solves(JsonNode acme, String domain) {
        for (JsonNode solver : acme.path("solvers")) {
            if (!solver.has("dns01")) {
                continue;
            }
            JsonNode zones = solver.path("selector").path("dnsZones");
            if (zones.isMissingNode() || zones.isEmpty()) {
                return true;
            }
            for (JsonNode zone : zones) {
                if (domain.equals(zone.asText()) || domain.endsWith("." + zone.asText())) {
                    return true;
                }
            }
        }
        return false;
    }

    /** open-match/'s kustomization applies on a cluster without cert-manager: none of its objects. */
    static List<String> openMatchNeedsNoCertManager(Stack stack) {
        List<String> problems = new ArrayList<>();
        for (Manifest object : stack.objects) {
            if (object.apiVersion().startsWith("cert-manager.io/")
                    || object.apiVersion().startsWith("acme.cert-manager.io/")) {
                problems.add(Repository.ROOT.relativize(object.file()) + ": " + object.kind() + "/" + object.name()
                        + " needs cert-manager's CRDs; it belongs in open-match/cert-manager/");
            }
        }
        return problems;
    }

    static String namespaceOf(Manifest object) {
        return object.body().path("metadata").path("namespace").asText();
    }

    private static final Pattern GO_DURATION_PART = Pattern.compile("(\\d+)(h|m|s)");

    /** A Go duration as cert-manager's fields take them: hours, minutes, seconds ({@code 2160h}, {@code 1h30m}). */
    static Duration goDuration(String text) {
        Matcher matcher = GO_DURATION_PART.matcher(text);
        Duration total = Duration.ZERO;
        int consumed = 0;
        while (matcher.find()) {
            if (matcher.start() != consumed) {
                break;
            }
            long n = Long.parseLong(matcher.group(1));
            total = total.plus(
                    switch (matcher.group(2)) {
                        case "h" -> Duration.ofHours(n);
                        case "m" -> Duration.ofMinutes(n);
                        default -> Duration.ofSeconds(n);
                    });
            consumed = matcher.end();
        }
        if (consumed != text.length() || text.isEmpty()) {
            throw new IllegalArgumentException("not a duration in hours, minutes and seconds: " + text);
        }
        return total;
    }
}
