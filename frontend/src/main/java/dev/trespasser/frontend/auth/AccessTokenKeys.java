package dev.trespasser.frontend.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Optional;

/**
 * The HS256 key that signs access tokens, and the previous one, still accepted while a rotation
 * rolls through the replicas. A key's id ({@code kid}) is derived from the key itself, so every
 * replica holding the same file names it the same way and no id has to be configured.
 */
public record AccessTokenKeys(byte[] current, Optional<byte[]> previous) {

    public AccessTokenKeys {
        previous = previous.filter(p -> !MessageDigest.isEqual(p, current));
    }

    public static AccessTokenKeys of(byte[] current) {
        return new AccessTokenKeys(current, Optional.empty());
    }

    /** First 12 bytes of SHA-256 over a label and the key, base64url: names the key, reveals nothing of it. */
    public static String keyId(byte[] key) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update("trespasser-access-token-kid".getBytes(StandardCharsets.US_ASCII));
            byte[] digest = sha.digest(key);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(java.util.Arrays.copyOf(digest, 12));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
