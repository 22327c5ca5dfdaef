package dev.trespasser.peers.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalCertificateAuthorityTest {

    @TempDir
    Path folder;

    @Test
    void issuedChainValidatesAgainstTheCaAndNamesTheServer() throws Exception {
        LocalCertificateAuthority ca = LocalCertificateAuthority.create(folder, "Trespasser test CA");
        LocalCertificateAuthority.IssuedCertificate issued =
                ca.issue("frontend", List.of("localhost"), List.of("127.0.0.1"));

        List<X509Certificate> chain = read(issued.certificateFile());
        assertEquals(2, chain.size(), "leaf then CA");
        X509Certificate ca0 = read(ca.caCertificateFile()).get(0);
        assertEquals(ca0, chain.get(1));

        PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(ca0, null)));
        parameters.setRevocationEnabled(false);
        java.security.cert.CertPathValidator.getInstance("PKIX")
                .validate(CertificateFactory.getInstance("X.509").generateCertPath(chain.subList(0, 1)), parameters);

        List<String> names = new ArrayList<>();
        for (List<?> name : chain.get(0).getSubjectAlternativeNames()) {
            names.add(String.valueOf(name.get(1)));
        }
        assertEquals(List.of("localhost", "127.0.0.1"), names);
        assertTrue(chain.get(0).getExtendedKeyUsage().contains("1.3.6.1.5.5.7.3.1"), "serverAuth");
    }

    @Test
    void theKeyIsPkcs8ReadableOnlyByItsOwner() throws Exception {
        LocalCertificateAuthority ca = LocalCertificateAuthority.create(folder, "Trespasser test CA");
        Path key = ca.issue("gs", List.of(), List.of("127.0.0.1")).keyFile();
        assertTrue(Files.readString(key).startsWith("-----BEGIN PRIVATE KEY-----"));
        assertEquals(
                Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
                Files.getPosixFilePermissions(key));
    }

    @Test
    void refusesNamelessCertificatesAndHostNamesPosingAsAddresses() {
        LocalCertificateAuthority ca = LocalCertificateAuthority.create(folder, "Trespasser test CA");
        assertThrows(IllegalArgumentException.class, () -> ca.issue("x", List.of(), List.of()));
        assertThrows(IllegalArgumentException.class, () -> ca.issue("x", List.of(), List.of("example.com")));
        assertThrows(IllegalArgumentException.class, () -> ca.issue("../x", List.of("localhost"), List.of()));
    }

    private static List<X509Certificate> read(Path file) throws Exception {
        try (InputStream in = Files.newInputStream(file)) {
            List<X509Certificate> out = new ArrayList<>();
            for (var c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                out.add((X509Certificate) c);
            }
            return out;
        }
    }
}
