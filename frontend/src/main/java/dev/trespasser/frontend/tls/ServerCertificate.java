package dev.trespasser.frontend.tls;

import io.grpc.ServerCredentials;
import io.grpc.TlsServerCredentials;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The certificate chain and private key both public ports serve, read and checked once at start:
 * PEM certificates (leaf first) and an unencrypted PKCS#8 key ({@code BEGIN PRIVATE KEY}, as
 * cert-manager writes with {@code privateKey.encoding: PKCS8}) that belongs to the leaf. Every
 * problem is an {@link IllegalArgumentException} naming the setting and the file, so a bad Secret
 * stops the pod at start rather than at a player's first handshake.
 */
public final class ServerCertificate {

    private static final Pattern PKCS8 =
            Pattern.compile("-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");

    private final List<X509Certificate> chain;
    private final PrivateKey key;
    private final byte[] chainPem;
    private final byte[] keyPem;

    private ServerCertificate(List<X509Certificate> chain, PrivateKey key, byte[] chainPem, byte[] keyPem) {
        this.chain = List.copyOf(chain);
        this.key = key;
        this.chainPem = chainPem;
        this.keyPem = keyPem;
    }

    public static ServerCertificate load(Path certificateFile, Path keyFile) {
        byte[] chainPem = read("FRONTEND_TLS_CERT_FILE", certificateFile);
        byte[] keyPem = read("FRONTEND_TLS_KEY_FILE", keyFile);
        List<X509Certificate> chain = certificates(certificateFile, chainPem);
        PrivateKey key = privateKey(keyFile, keyPem, chain.get(0).getPublicKey());
        return new ServerCertificate(chain, key, chainPem, keyPem);
    }

    public List<X509Certificate> chain() {
        return chain;
    }

    public PrivateKey key() {
        return key;
    }

    /** The leaf's subject, for the start-up log. */
    public String subject() {
        return chain.get(0).getSubjectX500Principal().getName();
    }

    /** The same chain and key as grpc-java credentials for the native gRPC port. */
    public ServerCredentials grpcCredentials() {
        try {
            return TlsServerCredentials.create(new ByteArrayInputStream(chainPem), new ByteArrayInputStream(keyPem));
        } catch (IOException e) {
            throw new IllegalArgumentException("FRONTEND_TLS_CERT_FILE / FRONTEND_TLS_KEY_FILE: " + e.getMessage(), e);
        }
    }

    private static byte[] read(String setting, Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(setting + ": cannot read " + file + " (" + e + ")", e);
        }
    }

    private static List<X509Certificate> certificates(Path file, byte[] pem) {
        if (!new String(pem, StandardCharsets.US_ASCII).contains("-----BEGIN CERTIFICATE-----")) {
            throw new IllegalArgumentException(
                    "FRONTEND_TLS_CERT_FILE: " + file + " holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
        }
        try {
            List<X509Certificate> chain =
                    CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(pem)).stream()
                            .map(X509Certificate.class::cast)
                            .toList();
            if (chain.isEmpty()) {
                throw new CertificateException("no certificate");
            }
            return chain;
        } catch (CertificateException | RuntimeException e) {
            throw new IllegalArgumentException(
                    "FRONTEND_TLS_CERT_FILE: " + file + " is not a valid PEM certificate chain (" + e.getMessage()
                            + ")",
                    e);
        }
    }

    private static PrivateKey privateKey(Path file, byte[] pem, PublicKey leafKey) {
        String text = new String(pem, StandardCharsets.US_ASCII);
        Matcher matcher = PKCS8.matcher(text);
        if (!matcher.find()) {
            String found = text.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----")
                    ? "an encrypted key (the key must be unencrypted)"
                    : text.contains("PRIVATE KEY-----")
                            ? "a key that is not PKCS#8 (convert it: openssl pkcs8 -topk8 -nocrypt)"
                            : "no PEM private key";
            throw new IllegalArgumentException("FRONTEND_TLS_KEY_FILE: " + file + " holds " + found
                    + "; expected -----BEGIN PRIVATE KEY----- (PKCS#8)");
        }
        PrivateKey key;
        try {
            byte[] der = Base64.getMimeDecoder().decode(matcher.group(1));
            key = KeyFactory.getInstance(leafKey.getAlgorithm()).generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new IllegalArgumentException(
                    "FRONTEND_TLS_KEY_FILE: " + file + " is not a valid " + leafKey.getAlgorithm()
                            + " PKCS#8 private key (" + e.getMessage() + ")",
                    e);
        }
        if (!belongTogether(key, leafKey)) {
            throw new IllegalArgumentException("FRONTEND_TLS_KEY_FILE: " + file
                    + " is not the private key of the first certificate in FRONTEND_TLS_CERT_FILE");
        }
        return key;
    }

    /** A signature by the key that the certificate's public key verifies: the only proof they are a pair. */
    private static boolean belongTogether(PrivateKey key, PublicKey certificateKey) {
        String algorithm = switch (certificateKey.getAlgorithm()) {
            case "EC" -> "SHA256withECDSA";
            case "RSA" -> "SHA256withRSA";
            default -> certificateKey.getAlgorithm(); // Ed25519, Ed448: the name is the signature
        };
        try {
            byte[] challenge = new byte[32];
            new SecureRandom().nextBytes(challenge);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(challenge);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificateKey);
            verifier.update(challenge);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
