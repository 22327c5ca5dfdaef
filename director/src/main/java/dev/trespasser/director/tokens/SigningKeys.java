package dev.trespasser.director.tokens;

import dev.trespasser.proto.JoinTokenContract;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Where the join token signing key comes from: a PKCS#8 PEM, or a throw-away dev key pair. */
public final class SigningKeys {

    private static final Logger log = LoggerFactory.getLogger(SigningKeys.class);

    private static final String PRIVATE_BEGIN = "-----BEGIN PRIVATE KEY-----";
    private static final String PRIVATE_END = "-----END PRIVATE KEY-----";

    private SigningKeys() {}

    /** An Ed25519 private key from PKCS#8 PEM text ({@code openssl genpkey -algorithm ed25519}). */
    public static PrivateKey parsePrivateKey(String pem) {
        int begin = pem.indexOf(PRIVATE_BEGIN);
        int end = pem.indexOf(PRIVATE_END);
        if (begin < 0 || end < begin) {
            throw new IllegalArgumentException("expected a PKCS#8 PEM block (" + PRIVATE_BEGIN + ")");
        }
        String body = pem.substring(begin + PRIVATE_BEGIN.length(), end).replaceAll("\\s", "");
        try {
            byte[] der = Base64.getDecoder().decode(body);
            return KeyFactory.getInstance(JoinTokenContract.KEY_ALGORITHM)
                    .generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            throw new IllegalArgumentException("not an Ed25519 PKCS#8 private key: " + e.getMessage(), e);
        }
    }

    public static PrivateKey readPrivateKey(Path file) throws IOException {
        return parsePrivateKey(Files.readString(file, StandardCharsets.US_ASCII));
    }

    /** X.509 SubjectPublicKeyInfo PEM, the format match servers load. */
    public static String publicKeyPem(PublicKey key) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(key.getEncoded());
        return "-----BEGIN PUBLIC KEY-----\n" + body + "\n-----END PUBLIC KEY-----\n";
    }

    public static KeyPair generate() {
        try {
            return KeyPairGenerator.getInstance(JoinTokenContract.KEY_ALGORITHM).generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no Ed25519 (Java 15+ required)", e);
        }
    }

    /**
     * Dev mode: a fresh key pair per process, its public half written to {@code publicKeyOut} for
     * local match servers. Tokens signed with it are worthless to anyone else, and die with it.
     */
    public static PrivateKey generateForDevelopment(Optional<Path> publicKeyOut) throws IOException {
        KeyPair pair = generate();
        log.warn("****************************************************************************");
        log.warn("JOIN_TOKEN_DEV_KEYS=true: signing join tokens with a throw-away key pair.");
        log.warn("Never run this way in production: match servers must be given this process's");
        log.warn("public key, and every token dies with the process.");
        log.warn("****************************************************************************");
        if (publicKeyOut.isPresent()) {
            Path out = publicKeyOut.get();
            if (out.getParent() != null) {
                Files.createDirectories(out.getParent());
            }
            Files.writeString(out, publicKeyPem(pair.getPublic()), StandardCharsets.US_ASCII);
            log.warn("dev public key written to {}", out.toAbsolutePath());
        } else {
            log.warn("JOIN_TOKEN_PUBLIC_KEY_OUT is not set: no match server can verify these tokens");
        }
        return pair.getPrivate();
    }
}
