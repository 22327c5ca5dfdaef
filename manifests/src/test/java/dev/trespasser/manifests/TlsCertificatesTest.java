package dev.trespasser.manifests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * TLS end to end in the manifests: the match servers' wss:// and the frontend's TLS read their
 * certificate and key from Secrets that cert-manager's Certificates (open-match/cert-manager/)
 * issue, the names the director hands out are covered by the game servers' wildcard, and the
 * cert-manager objects hold what the services need (ECDSA keys in PKCS#8). Every check has a
 * broken copy that it must report.
 */
class TlsCertificatesTest {

    private final Stack stack = Stack.load();
    private final CertManager certManager = CertManager.load();

    // ---- the shipped manifests ----------------------------------------------------------------

    @Test
    void theFrontendAndTheMatchServersAreGivenACertificateAndKey() {
        Set<String> files = new TreeSet<>();
        TlsChecks.tlsFiles(stack).forEach(f -> files.add(f.workload().name() + " " + f.variable()));
        assertEquals(
                Set.of(
                        "trespasser-frontend FRONTEND_TLS_CERT_FILE",
                        "trespasser-frontend FRONTEND_TLS_KEY_FILE",
                        "trespasser-match MATCH_TLS_CERT_FILE",
                        "trespasser-match MATCH_TLS_KEY_FILE"),
                files);
    }

    @Test
    void everyTlsFileLiesInAReadOnlySecretVolumeUnderTheKeyCertManagerWrites() {
        assertEquals(List.of(), TlsChecks.tlsFilesAreInMountedSecrets(stack));
    }

    @Test
    void certificateAndKeyAreSetTogetherFromOneSecret() {
        assertEquals(List.of(), TlsChecks.certificateAndKeyComeTogether(stack));
    }

    @Test
    void theMountedSecretsAreTheOnesTheCertificatesIssueInTheWorkloadsNamespace() {
        assertEquals(List.of(), TlsChecks.secretsAreIssuedByCertManager(stack, certManager));
    }

    @Test
    void theNamesTheDirectorHandsOutAreCoveredByTheGameServersWildcard() {
        assertEquals(List.of(), TlsChecks.matchServerNamesAreCovered(stack, certManager));
    }

    @Test
    void everyCertificateKeyIsEcdsaInPkcs8() {
        assertEquals(List.of(), TlsChecks.keysAreEcdsaInPkcs8(certManager.everyFile()));
    }

    @Test
    void everyCertManagerObjectMatchesTheSchemaSubset() {
        CertManager.Schemas schemas = CertManager.Schemas.load();
        List<String> problems = new ArrayList<>();
        certManager.everyFile().forEach(o -> problems.addAll(schemas.problems(o)));
        assertEquals(List.of(), problems);
        Set<String> kinds = new TreeSet<>();
        certManager.everyFile().forEach(o -> kinds.add(o.kind()));
        assertEquals(Set.of("Certificate", "ClusterIssuer"), kinds);
    }

    @Test
    void theCertificatesAreIssuableWithTheAcmeIssuerAndWithThePrivateCaInstead() {
        assertEquals(List.of(), TlsChecks.certificatesAreIssuable(certManager.applied()));
        assertEquals(List.of(), TlsChecks.certificatesAreIssuable(withPrivateCa()));
        assertTrue(
                certManager.applied().stream()
                        .anyMatch(o -> o.kind().equals("ClusterIssuer")
                                && o.body().path("spec").has("acme")),
                "the kustomization applies the ACME issuer by default");
    }

    @Test
    void openMatchAppliesWithoutCertManager() {
        assertEquals(List.of(), TlsChecks.openMatchNeedsNoCertManager(stack));
    }

    @Test
    void kubectlKustomizeRendersTheCertManagerFolderWithItsNamespaces() throws Exception {
        Process kustomize = new ProcessBuilder("kubectl", "kustomize", CertManager.FOLDER.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        String rendered = new String(kustomize.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(kustomize.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, kustomize.exitValue(), "kubectl kustomize failed");
        Set<String> expected = new TreeSet<>();
        certManager.applied().forEach(o -> expected.add(o.kind() + "/" + o.name() + " in " + TlsChecks.namespaceOf(o)));
        Set<String> names = new TreeSet<>();
        Manifest.parse(Path.of("rendered.yaml"), rendered)
                .forEach(o -> names.add(o.kind() + "/" + o.name() + " in " + TlsChecks.namespaceOf(o)));
        assertEquals(expected, names);
        assertTrue(names.contains(
                "Certificate/gameserver-tls in " + stack.namespaceOf(stack.get("Fleet", CrossChecks.FLEET))));
        assertTrue(names.contains("ClusterIssuer/trespasser-issuer in "), names.toString());
    }

    // ---- broken copies ------------------------------------------------------------------------

    @Test
    void aTlsFileOutsideAReadOnlySecretOrUnderAnotherKeyIsReported() {
        assertReported(
                TlsChecks.tlsFilesAreInMountedSecrets(
                        withEnv(fleet(), "match-server", "MATCH_TLS_KEY_FILE", "/etc/trespasser/join-token/tls.key")),
                "not a Secret");
        assertReported(
                TlsChecks.tlsFilesAreInMountedSecrets(
                        withEnv(fleet(), "match-server", "MATCH_TLS_KEY_FILE", "/etc/ssl/private/tls.key")),
                "no volume is mounted at /etc/ssl/private");
        assertReported(
                TlsChecks.tlsFilesAreInMountedSecrets(
                        withEnv(frontend(), "frontend", "FRONTEND_TLS_CERT_FILE", "/etc/trespasser/tls/cert.pem")),
                "holds the certificate as tls.crt");
        assertReported(
                TlsChecks.tlsFilesAreInMountedSecrets(
                        withEnv(frontend(), "frontend", "FRONTEND_TLS_KEY_FILE", "/etc/trespasser/tls/tls.crt")),
                "holds the private key as tls.key");

        Manifest writable = frontend();
        ((ObjectNode) mount(writable, "frontend", "tls")).remove("readOnly");
        assertReported(TlsChecks.tlsFilesAreInMountedSecrets(stack.with(writable)), "mounted writable");

        Manifest open = fleet();
        ((ObjectNode) volume(open, "tls").path("secret")).remove("defaultMode");
        assertReported(TlsChecks.tlsFilesAreInMountedSecrets(stack.with(open)), "readable by every user");

        Manifest items = fleet();
        ((ObjectNode) volume(items, "tls").path("secret"))
                .putArray("items")
                .add(objectOf("key", "ca.crt", "path", "tls.crt"))
                .add(objectOf("key", "tls.key", "path", "tls.key"));
        assertReported(TlsChecks.tlsFilesAreInMountedSecrets(stack.with(items)), "from key ca.crt, not tls.crt");
    }

    @Test
    void aCertificateWithoutItsKeyOrAPairFromTwoSecretsIsReported() {
        Manifest noKey = frontend();
        ServiceConfigurationTest.removeEnv(noKey.container("frontend").orElseThrow(), "FRONTEND_TLS_KEY_FILE");
        assertReported(
                TlsChecks.certificateAndKeyComeTogether(stack.with(noKey)),
                "FRONTEND_TLS_CERT_FILE without FRONTEND_TLS_KEY_FILE");

        Manifest noCert = fleet();
        ServiceConfigurationTest.removeEnv(noCert.container("match-server").orElseThrow(), "MATCH_TLS_CERT_FILE");
        assertReported(
                TlsChecks.certificateAndKeyComeTogether(stack.with(noCert)),
                "MATCH_TLS_KEY_FILE without MATCH_TLS_CERT_FILE");

        assertReported(
                TlsChecks.certificateAndKeyComeTogether(
                        withEnv(frontend(), "frontend", "FRONTEND_TLS_KEY_FILE", "/etc/trespasser/jwt/tls.key")),
                "from frontend-tls and its key from frontend-jwt");
    }

    @Test
    void aSecretNoCertificateIssuesOrIssuedIntoAnotherNamespaceIsReported() {
        Manifest renamed = fleet();
        ((ObjectNode) volume(renamed, "tls").path("secret")).put("secretName", "gs-tls");
        List<String> problems = TlsChecks.secretsAreIssuedByCertManager(stack.with(renamed), certManager);
        assertReported(problems, "Secret gs-tls, which no Certificate of open-match/cert-manager/ issues");
        assertReported(
                problems, "Certificate gameserver-tls issues Secret trespasser/gameserver-tls, which no workload");

        Manifest elsewhere = certManager.certificate("gameserver-tls").mutableCopy();
        ((ObjectNode) elsewhere.body().path("metadata")).put("namespace", "agones-system");
        assertReported(
                TlsChecks.secretsAreIssuedByCertManager(stack, certManager.with(elsewhere)),
                "runs in namespace trespasser but Certificate gameserver-tls writes Secret gameserver-tls into agones-system");
    }

    @Test
    void aKeyThatIsNotEcdsaInPkcs8IsReported() {
        assertReported(
                TlsChecks.keysAreEcdsaInPkcs8(
                        List.of(brokenCertificate(c -> privateKey(c).remove("encoding")))),
                "encoding is PKCS1 (the default), not PKCS8");
        assertReported(
                TlsChecks.keysAreEcdsaInPkcs8(
                        List.of(brokenCertificate(c -> privateKey(c).put("encoding", "PKCS1")))),
                "encoding is PKCS1, not PKCS8");
        assertReported(
                TlsChecks.keysAreEcdsaInPkcs8(
                        List.of(brokenCertificate(c -> privateKey(c).remove("algorithm")))),
                "algorithm is RSA (the default), not ECDSA");
        assertReported(
                TlsChecks.keysAreEcdsaInPkcs8(
                        List.of(brokenCertificate(c -> privateKey(c).put("size", 521)))),
                "ECDSA size 521");
    }

    @Test
    void aHostTemplateTheWildcardDoesNotCoverIsReported() {
        assertReported(namesWithTemplate("{ip-dashed}.gs.example.org"), "not *.gs.example.org");
        assertReported(namesWithTemplate("{ip-dashed}.eu.gs.example.com"), "not *.eu.gs.example.com");
        assertReported(namesWithTemplate("{ip}"), "a bare IP address");
        assertReported(namesWithTemplate("{ip}.gs.example.com"), "a bare IP address");
        assertReported(namesWithTemplate("gs.example.com"), "one name for every node");
        assertEquals(List.of(), namesWithTemplate("{name}.gs.example.com"));
        assertReported(namesWithTemplate("play.{ip-dashed}.gs.example.com"), "must be the leftmost");
        assertReported(namesWithTemplate("{ip-dashed}"), "needs a fixed domain");
        // Case does not matter in DNS names.
        assertEquals(List.of(), namesWithTemplate("{ip-dashed}.GS.example.com"));

        Manifest narrower = certManager.certificate("gameserver-tls").mutableCopy();
        ((ObjectNode) narrower.body().path("spec")).putArray("dnsNames").add("gs.example.com");
        assertReported(
                TlsChecks.matchServerNamesAreCovered(stack, certManager.with(narrower)),
                "names [gs.example.com], not *.gs.example.com");
    }

    @Test
    void aDirectorAndAFleetThatDisagreeOnTlsAreReported() {
        assertReported(
                TlsChecks.matchServerNamesAreCovered(
                        withEnv(director(), "director", "DIRECTOR_MATCH_TLS", "false"), certManager),
                "the director tells players ws://");
        Manifest plaintext = fleet();
        ServiceConfigurationTest.removeEnv(plaintext.container("match-server").orElseThrow(), "MATCH_TLS_CERT_FILE");
        ServiceConfigurationTest.removeEnv(plaintext.container("match-server").orElseThrow(), "MATCH_TLS_KEY_FILE");
        assertReported(TlsChecks.matchServerNamesAreCovered(stack.with(plaintext), certManager), "serve ws://");
        // The director's default is TLS on.
        Manifest defaulted = director();
        ServiceConfigurationTest.removeEnv(defaulted.container("director").orElseThrow(), "DIRECTOR_MATCH_TLS");
        assertEquals(List.of(), TlsChecks.matchServerNamesAreCovered(stack.with(defaulted), certManager));
        assertReported(
                TlsChecks.matchServerNamesAreCovered(
                        withEnv(director(), "director", "DIRECTOR_MATCH_TLS", "yes"), certManager),
                "not true or false");
    }

    @Test
    void aCertManagerObjectTheSchemaSubsetRefusesIsReported() {
        CertManager.Schemas schemas = CertManager.Schemas.load();
        assertReported(
                schemas.problems(brokenCertificate(
                        c -> privateKey(c).set("encodeing", privateKey(c).remove("encoding")))),
                "encodeing");
        assertReported(
                schemas.problems(brokenCertificate(c -> ((ObjectNode) c.path("spec")).remove("secretName"))),
                "secretName");
        assertReported(schemas.problems(brokenCertificate(c -> privateKey(c).put("algorithm", "ecdsa"))), "algorithm");
        assertReported(
                schemas.problems(
                        brokenCertificate(c -> ((ObjectNode) c.path("spec")).put("dnsNames", "*.gs.example.com"))),
                "dnsNames");
        assertReported(
                schemas.problems(
                        brokenCertificate(c -> ((ObjectNode) c).put("apiVersion", "cert-manager.io/v1alpha2"))),
                "apiVersion cert-manager.io/v1alpha2");
        Manifest issuer = acmeIssuer();
        ((ObjectNode) issuer.body().path("spec")).putObject("ca").put("secretName", "trespasser-ca");
        assertReported(schemas.problems(issuer), "spec");
        Manifest noAccountKey = acmeIssuer();
        ((ObjectNode) noAccountKey.body().path("spec").path("acme")).remove("privateKeySecretRef");
        assertReported(schemas.problems(noAccountKey), "privateKeySecretRef");
    }

    @Test
    void aCertificateItsIssuerCannotIssueIsReported() {
        assertReported(
                TlsChecks.certificatesAreIssuable(replaced(
                        brokenCertificate(c -> ((ObjectNode) c.at("/spec/issuerRef")).put("name", "letsencrypt")))),
                "issuerRef names ClusterIssuer letsencrypt, which is not defined beside it");
        assertReported(
                TlsChecks.certificatesAreIssuable(
                        replaced(brokenCertificate(c -> ((ObjectNode) c.path("spec")).put("renewBefore", "2160h")))),
                "must be shorter than duration");
        assertReported(
                TlsChecks.certificatesAreIssuable(
                        replaced(brokenCertificate(c -> ((ObjectNode) c.path("metadata")).remove("namespace")))),
                "no metadata.namespace");
        Manifest http01 = acmeIssuer();
        ObjectNode solver = (ObjectNode) http01.body().at("/spec/acme/solvers/0");
        solver.remove("dns01");
        solver.putObject("http01").putObject("ingress").put("ingressClassName", "nginx");
        assertReported(
                TlsChecks.certificatesAreIssuable(replaced(http01)),
                "*.gs.example.com: ACME issues a wildcard only through DNS-01");
        Manifest otherZone = acmeIssuer();
        ((ArrayNode) otherZone.body().at("/spec/acme/solvers/0/selector/dnsZones"))
                .removeAll()
                .add("example.org");
        assertReported(TlsChecks.certificatesAreIssuable(replaced(otherZone)), "covers that zone");
    }

    @Test
    void aCertManagerObjectInOpenMatchsKustomizationIsReported() {
        List<Manifest> objects = new ArrayList<>(stack.objects);
        objects.add(certManager.certificate("frontend-tls"));
        assertReported(
                TlsChecks.openMatchNeedsNoCertManager(new Stack(stack.kustomization, objects)),
                "Certificate/frontend-tls needs cert-manager's CRDs");
    }

    @Test
    void goDurationsAreReadAsCertManagerWritesThem() {
        assertEquals(Duration.ofDays(90), TlsChecks.goDuration("2160h"));
        assertEquals(Duration.ofMinutes(90), TlsChecks.goDuration("1h30m"));
        assertEquals(Duration.ofSeconds(5), TlsChecks.goDuration("5s"));
        for (String bad : List.of("", "90d", "1h30", "h", "2160h ")) {
            assertThrows(IllegalArgumentException.class, () -> TlsChecks.goDuration(bad), bad);
        }
    }

    // ---- helpers ------------------------------------------------------------------------------

    private static void assertReported(List<String> problems, String expected) {
        assertFalse(problems.isEmpty(), "nothing reported, expected: " + expected);
        assertTrue(problems.stream().anyMatch(p -> p.contains(expected)), expected + " not in " + problems);
    }

    private Manifest fleet() {
        return stack.get("Fleet", CrossChecks.FLEET).mutableCopy();
    }

    private Manifest frontend() {
        return stack.get("Deployment", CrossChecks.FRONTEND).mutableCopy();
    }

    private Manifest director() {
        return stack.get("Deployment", CrossChecks.DIRECTOR).mutableCopy();
    }

    private Stack withEnv(Manifest workload, String container, String name, String value) {
        ServiceConfigurationTest.setEnv(workload.container(container).orElseThrow(), name, value);
        return stack.with(workload);
    }

    private List<String> namesWithTemplate(String template) {
        return TlsChecks.matchServerNamesAreCovered(
                withEnv(director(), "director", "DIRECTOR_HOST_TEMPLATE", template), certManager);
    }

    private static JsonNode mount(Manifest workload, String container, String volume) {
        for (JsonNode mount : workload.container(container).orElseThrow().path("volumeMounts")) {
            if (mount.path("name").asText().equals(volume)) {
                return mount;
            }
        }
        throw new IllegalStateException("no mount " + volume);
    }

    private static JsonNode volume(Manifest workload, String name) {
        for (JsonNode volume : workload.podSpec().path("volumes")) {
            if (volume.path("name").asText().equals(name)) {
                return volume;
            }
        }
        throw new IllegalStateException("no volume " + name);
    }

    private static ObjectNode objectOf(String k1, String v1, String k2, String v2) {
        ObjectNode node = Manifest.YAML.createObjectNode();
        return node.put(k1, v1).put(k2, v2);
    }

    private static ObjectNode privateKey(JsonNode certificate) {
        return (ObjectNode) certificate.path("spec").path("privateKey");
    }

    /** A copy of the game servers' Certificate, changed. */
    private Manifest brokenCertificate(Consumer<JsonNode> breakIt) {
        Manifest copy = certManager.certificate("gameserver-tls").mutableCopy();
        breakIt.accept(copy.body());
        return copy;
    }

    private Manifest acmeIssuer() {
        return certManager.applied().stream()
                .filter(o -> o.kind().equals("ClusterIssuer"))
                .findFirst()
                .orElseThrow()
                .mutableCopy();
    }

    private List<Manifest> replaced(Manifest replacement) {
        return certManager.with(replacement).applied();
    }

    /** What the kustomization applies with cluster-issuer-private-ca.yaml listed instead of the ACME issuer. */
    private List<Manifest> withPrivateCa() {
        List<Manifest> objects =
                new ArrayList<>(Manifest.read(CertManager.FOLDER.resolve("cluster-issuer-private-ca.yaml")));
        objects.addAll(Manifest.read(CertManager.FOLDER.resolve("certificates.yaml")));
        return objects;
    }
}
