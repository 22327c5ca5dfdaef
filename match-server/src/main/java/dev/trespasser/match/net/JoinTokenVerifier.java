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

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.util.Base64;
import java.util.Date;
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
        if (!"EdDSA".equals(key.getAlgorithm()) && !"Ed25519".equals(key.getAlgorithm())) {
            throw new IllegalArgumentException("join tokens are verified with an Ed25519 key, got " + key.getAlgorithm());
        }
        this.parser = Jwts.parser()
                .verifyWith(key)
                .requireIssuer(JoinTokenContract.ISSUER)
                .clock(() -> Date.from(clock.instant()))
                .clockSkewSeconds(CLOCK_SKEW_SECONDS)
                .build();
    }

    /** An X.509 SubjectPublicKeyInfo in PEM ("BEGIN PUBLIC KEY"). */
    public static PublicKey publicKeyFromPem(String pem) {
        String base64 = pem
                .replace("-----BEGIN PUBLIC KEY-----", "")
                .replace("-----END PUBLIC KEY-----", "")
                .replaceAll("\\s", "");
        try {
            byte[] der = Base64.getDecoder().decode(base64);
            return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
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
