package dev.trespasser.match.net;

import dev.trespasser.match.protocol.FrameRejectedException;
import dev.trespasser.proto.JoinTokenContract;
import dev.trespasser.proto.game.v1.ErrorReason;
import io.jsonwebtoken.Claims;
import io.jsonwebtoken.ExpiredJwtException;
import io.jsonwebtoken.Jws;
import io.jsonwebtoken.JwtException;
import io.jsonwebtoken.JwtParser;
import io.jsonwebtoken.Jwts;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.util.Base64;
import java.util.Date;
import java.util.Map;
import java.util.Set;

/**
 * Checks join tokens ({@link JoinTokenContract}): compact JWS signed by the director with Ed25519
 * ({@code alg: EdDSA}), issuer, subject = player id, match id, audience = one GameServer's name, a
 * token id and an expiry. The match server holds only the public key. Whether the audience, match
 * id and player fit this server and its hosted match is the caller's check.
 */
public final class JoinTokenVerifier {

    /** Tolerated clock difference between director and match server. */
    public static final long CLOCK_SKEW_SECONDS = 5;

    private final JwtParser parser;

    public JoinTokenVerifier(PublicKey key, Clock clock) {
        if (!JoinTokenContract.ALGORITHM.equals(key.getAlgorithm())
                && !JoinTokenContract.KEY_ALGORITHM.equals(key.getAlgorithm())) {
            throw new IllegalArgumentException("join tokens are verified with an Ed25519 key, got " + key.getAlgorithm());
        }
        this.parser = Jwts.parser()
                .verifyWith(key)
                .requireIssuer(JoinTokenContract.ISSUER)
                .clock(() -> Date.from(clock.instant()))
                .clockSkewSeconds(CLOCK_SKEW_SECONDS)
                .build();
    }

    /**
     * The key from {@code JOIN_TOKEN_PUBLIC_KEY_FILE} (a PEM file) or else {@code JOIN_TOKEN_PUBLIC_KEY}
     * (PEM text); both hold an X.509 SubjectPublicKeyInfo ("BEGIN PUBLIC KEY").
     */
    public static JoinTokenVerifier fromEnv(Map<String, String> env, Clock clock) throws IOException {
        String file = env.getOrDefault("JOIN_TOKEN_PUBLIC_KEY_FILE", "").trim();
        String pem;
        if (!file.isEmpty()) {
            pem = Files.readString(Path.of(file), StandardCharsets.US_ASCII);
        } else {
            pem = env.getOrDefault("JOIN_TOKEN_PUBLIC_KEY", "").trim();
            if (pem.isEmpty()) {
                throw new IllegalArgumentException("set JOIN_TOKEN_PUBLIC_KEY_FILE or JOIN_TOKEN_PUBLIC_KEY");
            }
        }
        return new JoinTokenVerifier(publicKeyFromPem(pem), clock);
    }

    public static PublicKey publicKeyFromPem(String pem) {
        String base64 = pem
                .replace("-----BEGIN PUBLIC KEY-----", "")
                .replace("-----END PUBLIC KEY-----", "")
                .replaceAll("\\s", "");
        try {
            byte[] der = Base64.getDecoder().decode(base64);
            return KeyFactory.getInstance(JoinTokenContract.KEY_ALGORITHM).generatePublic(new X509EncodedKeySpec(der));
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            throw new IllegalArgumentException("not an Ed25519 public key in PEM (BEGIN PUBLIC KEY): " + e.getMessage(), e);
        }
    }

    public JoinClaims verify(String token) throws FrameRejectedException {
        Claims claims;
        try {
            Jws<Claims> jws = parser.parseSignedClaims(token);
            claims = jws.getPayload();
        } catch (ExpiredJwtException e) {
            throw new FrameRejectedException(ErrorReason.ERROR_REASON_TOKEN_EXPIRED, "join token expired");
        } catch (JwtException | IllegalArgumentException e) {
            throw new FrameRejectedException(ErrorReason.ERROR_REASON_BAD_TOKEN, "join token rejected: " + e.getClass().getSimpleName());
        }
        Object matchId = claims.get(JoinTokenContract.MATCH_ID);
        String playerId = claims.getSubject();
        String tokenId = claims.getId();
        Set<String> audience = claims.getAudience();
        if (claims.getExpiration() == null) {
            throw new FrameRejectedException(ErrorReason.ERROR_REASON_BAD_TOKEN, "join token has no expiry");
        }
        if (playerId == null || playerId.isEmpty() || !(matchId instanceof String mid) || mid.isEmpty()) {
            throw new FrameRejectedException(ErrorReason.ERROR_REASON_BAD_TOKEN, "join token lacks sub or mid");
        }
        if (tokenId == null || tokenId.isEmpty()) {
            throw new FrameRejectedException(ErrorReason.ERROR_REASON_BAD_TOKEN, "join token lacks jti");
        }
        if (audience == null || audience.size() != 1 || audience.iterator().next().isEmpty()) {
            throw new FrameRejectedException(ErrorReason.ERROR_REASON_BAD_TOKEN, "join token must name one GameServer (aud)");
        }
        return new JoinClaims(playerId, mid, tokenId, audience.iterator().next());
    }
}
