package dev.trespasser.match.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trespasser.peers.tls.LocalCertificateAuthority;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import javax.net.ssl.SSLEngine;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Loading the match server's certificate and key from PEM files with the JDK alone: EC and RSA
 * load; every malformed, mismatched, oversized or hostile file is refused at start-up with the
 * file's name and what is wrong.
 */
class ServerTlsTest {

    @TempDir
    Path folder;

    private LocalCertificateAuthority.IssuedCertificate issued;

    @BeforeEach
    void issue() {
        LocalCertificateAuthority ca = LocalCertificateAuthority.create(folder.resolve("ca"), "server-tls-test-ca");
        issued = ca.issue("gameserver", List.of("localhost"), List.of("127.0.0.1"));
    }

    @Test
    void anEcChainFromTheLocalCaLoadsLeafFirst() {
        ServerTls tls = ServerTls.fromPemFiles(issued.certificateFile(), issued.keyFile());
        assertEquals(2, tls.chain().size());
        assertEquals(issued.certificate(), tls.chain().get(0));
        assertEquals(List.of("TLSv1.3"), List.of(tls.parameters().getProtocols()));
        assertEquals(List.of("TLS_AES_128_GCM_SHA256"), List.of(tls.parameters().getCipherSuites()));
        assertFalse(tls.parameters().getNeedClientAuth() || tls.parameters().getWantClientAuth());
    }

    @Test
    void noClientCertificateIsEverTrusted() {
        ServerTls.NoClientCertificates none = new ServerTls.NoClientCertificates();
        X509Certificate[] chain = {issued.certificate()};
        assertThrows(CertificateException.class, () -> none.checkClientTrusted(chain, "ECDHE_ECDSA"));
        assertThrows(CertificateException.class, () -> none.checkClientTrusted(chain, "EC", (SSLEngine) null));
        assertThrows(CertificateException.class, () -> none.checkClientTrusted(chain, "EC", (Socket) null));
        assertThrows(CertificateException.class, () -> none.checkServerTrusted(chain, "EC"));
        assertThrows(CertificateException.class, () -> none.checkServerTrusted(chain, "EC", (SSLEngine) null));
        assertThrows(CertificateException.class, () -> none.checkServerTrusted(chain, "EC", (Socket) null));
        assertEquals(0, none.getAcceptedIssuers().length);
    }

    @Test
    void anRsaCertificateAndKeyLoad() throws Exception {
        KeyPair keys = keyPair("RSA", 2048);
        X509Certificate certificate =
                selfSigned(keys, "SHA256withRSA", Instant.now().minusSeconds(60), Duration.ofDays(1));
        Path cert = write("rsa.crt", pem(certificate));
        Path key = write("rsa.key", pem(new JcaPKCS8Generator(keys.getPrivate(), null)));
        ServerTls tls = ServerTls.fromPemFiles(cert, key);
        assertEquals("RSA", tls.chain().get(0).getPublicKey().getAlgorithm());
    }

    @Test
    void missingEmptyAndGarbageFilesAreRefusedByName() throws Exception {
        Path key = issued.keyFile();
        assertRefused(folder.resolve("absent.crt"), key, "absent.crt: no such file");
        assertRefused(write("empty.crt", ""), key, "no PEM certificate");
        Path garbage = folder.resolve("garbage.crt");
        Files.write(garbage, new byte[] {0, (byte) 0xff, (byte) 0xfe, 'x', '-', '-', '-', '-', '-', 'B', 'E'});
        assertRefused(garbage, key, "no PEM certificate");
        assertRefused(
                write("bad-base64.crt", "-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n"),
                key,
                "no PEM certificate");
        assertRefused(
                write("not-a-cert.crt", "-----BEGIN CERTIFICATE-----\nAAAAAAAA\n-----END CERTIFICATE-----\n"),
                key,
                "certificate 1 is not a valid X.509 certificate");
        assertRefused(
                write("empty-block.crt", "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n"),
                key,
                "an empty CERTIFICATE block");
        assertRefused(issued.certificateFile(), folder.resolve("absent.key"), "absent.key: no such file");
        assertRefused(issued.certificateFile(), write("empty.key", ""), "found 0 PEM blocks");
        assertRefused(issued.certificateFile(), folder, "no such file");
    }

    @Test
    void aCutShortCertificateIsRefused() throws Exception {
        byte[] der = issued.certificate().getEncoded();
        String cut = "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder().encodeToString(Arrays.copyOf(der, der.length / 2))
                + "\n-----END CERTIFICATE-----\n";
        assertRefused(write("cut.crt", cut), issued.keyFile(), "is not a valid");
    }

    @Test
    void theFilesSwappedOrMixedAreRefused() throws Exception {
        assertRefused(issued.keyFile(), issued.keyFile(), "expected only CERTIFICATE blocks");
        assertRefused(issued.certificateFile(), issued.certificateFile(), "expected exactly one PEM private key");
        String leafOnly = Files.readString(issued.certificateFile());
        leafOnly = leafOnly.substring(0, leafOnly.indexOf("-----END CERTIFICATE-----") + 25) + "\n";
        assertRefused(
                issued.certificateFile(),
                write("cert-as-key.key", leafOnly),
                "expected a PKCS#8 private key (BEGIN PRIVATE KEY), found CERTIFICATE");
    }

    @Test
    void keysInOtherFormatsGetTheConversionToUse() throws Exception {
        String body = Files.readString(issued.keyFile())
                .replaceAll("-----[A-Z ]+-----", "")
                .strip();
        assertRefused(
                issued.certificateFile(),
                write("sec1.key", "-----BEGIN EC PRIVATE KEY-----\n" + body + "\n-----END EC PRIVATE KEY-----\n"),
                "openssl pkcs8 -topk8 -nocrypt");
        assertRefused(
                issued.certificateFile(),
                write(
                        "encrypted.key",
                        "-----BEGIN ENCRYPTED PRIVATE KEY-----\n" + body + "\n-----END ENCRYPTED PRIVATE KEY-----\n"),
                "the key is encrypted");
        assertRefused(
                issued.certificateFile(),
                write("not-a-key.key", "-----BEGIN PRIVATE KEY-----\nAAAAAAAA\n-----END PRIVATE KEY-----\n"),
                "not a PKCS#8 EC or RSA private key");
    }

    @Test
    void aKeyOfAnotherCertificateIsRefused() {
        LocalCertificateAuthority ca = LocalCertificateAuthority.create(folder.resolve("ca2"), "second-ca");
        LocalCertificateAuthority.IssuedCertificate other = ca.issue("other", List.of("localhost"), List.of());
        assertRefused(issued.certificateFile(), other.keyFile(), "does not belong to the first certificate");
    }

    @Test
    void anRsaKeyForAnEcCertificateIsRefused() throws Exception {
        KeyPair rsa = keyPair("RSA", 2048);
        assertRefused(
                issued.certificateFile(),
                write("rsa.key", pem(new JcaPKCS8Generator(rsa.getPrivate(), null))),
                "does not belong to the first certificate");
    }

    @Test
    void expiredAndNotYetValidCertificatesAreRefused() throws Exception {
        KeyPair keys = keyPair("EC", 256);
        Path key = write("ec.key", pem(new JcaPKCS8Generator(keys.getPrivate(), null)));
        Path expired = write(
                "expired.crt",
                pem(selfSigned(keys, "SHA256withECDSA", Instant.now().minus(Duration.ofDays(3)), Duration.ofDays(1))));
        assertRefused(expired, key, "the certificate expired");
        Path early = write(
                "early.crt",
                pem(selfSigned(keys, "SHA256withECDSA", Instant.now().plus(Duration.ofDays(1)), Duration.ofDays(1))));
        assertRefused(early, key, "not valid before");
    }

    @Test
    void anOversizedFileIsNotRead() throws Exception {
        byte[] huge = new byte[(int) ServerTls.MAX_PEM_BYTES + 1];
        Arrays.fill(huge, (byte) 'A');
        Path file = folder.resolve("huge.crt");
        Files.write(file, huge);
        assertRefused(file, issued.keyFile(), "over " + ServerTls.MAX_PEM_BYTES + " bytes");
    }

    @Test
    void aHostilePemOfManyHeadersIsRefusedQuickly() throws Exception {
        // Unterminated blocks and long Base64 runs: the pattern never backtracks across blocks.
        String block = "-----BEGIN CERTIFICATE-----\n" + Base64.getEncoder().encodeToString(new byte[3000]) + "\n";
        Path file = write("hostile.crt", block.repeat(60));
        assertTrue(Files.size(file) < ServerTls.MAX_PEM_BYTES);
        assertRefused(file, issued.keyFile(), "no PEM certificate");
    }

    private void assertRefused(Path certificate, Path key, String expected) {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> ServerTls.fromPemFiles(certificate, key));
        assertTrue(e.getMessage().contains(expected), "expected '" + expected + "' in: " + e.getMessage());
    }

    private Path write(String name, String text) throws Exception {
        Path file = folder.resolve(name);
        Files.writeString(file, text, StandardCharsets.US_ASCII);
        return file;
    }

    private static KeyPair keyPair(String algorithm, int size) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
        generator.initialize(size);
        return generator.generateKeyPair();
    }

    private static X509Certificate selfSigned(KeyPair keys, String signature, Instant from, Duration validity)
            throws Exception {
        X500Name name = new X500Name("CN=localhost");
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                name, BigInteger.TEN, Date.from(from), Date.from(from.plus(validity)), name, keys.getPublic());
        return new JcaX509CertificateConverter()
                .getCertificate(builder.build(new JcaContentSignerBuilder(signature).build(keys.getPrivate())));
    }

    private static String pem(Object object) throws Exception {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(object);
        }
        return out.toString();
    }
}
