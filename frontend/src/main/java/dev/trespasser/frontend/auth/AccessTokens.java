package dev.trespasser.frontend.auth;

import io.jsonwebtoken.Claims;
import io.jsonwebtoken.Header;
import io.jsonwebtoken.Jws;
import io.jsonwebtoken.JwtException;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.ProtectedHeader;
import io.jsonwebtoken.UnsupportedJwtException;
import io.jsonwebtoken.security.Keys;
import java.security.Key;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Optional;
import javax.crypto.SecretKey;

/**
 * Short-lived access JWTs, HS256: only the frontend issues and verifies them, so a shared secret
 * is enough (join tokens, which match servers verify, are the director's and asymmetric). Each
 * token names its key ({@code kid}); the current key and, during a rotation, the previous one
 * verify, so replicas on either key accept each other's tokens while a rotation rolls out.
 */
public final class AccessTokens {

    static final String ISSUER = "trespasser-frontend";
    static final String AUDIENCE = "trespasser-player-api";
    /** Longer strings are refused unparsed; ours are ~300 characters. */
    static final int MAX_TOKEN_CHARS = 2048;

    private static final Duration CLOCK_SKEW = Duration.ofSeconds(5);

    private final SecretKey key;
    private final String keyId;
    private final Optional<SecretKey> previousKey;
    private final Optional<String> previousKeyId;
    private final Duration ttl;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public AccessTokens(AccessTokenKeys keys, Duration ttl, Clock clock) {
        this.key = Keys.hmacShaKeyFor(keys.current());
        this.keyId = AccessTokenKeys.keyId(keys.current());
        this.previousKey = keys.previous().map(Keys::hmacShaKeyFor);
        this.previousKeyId = keys.previous().map(AccessTokenKeys::keyId);
        this.ttl = ttl;
        this.clock = clock;
    }

    public IssuedAccessToken issue(PlayerIdentity player) {
        Instant now = clock.instant();
        Instant expires = now.plus(ttl);
        byte[] id = new byte[12];
        random.nextBytes(id);
        String token = Jwts.builder()
                .header()
                .keyId(keyId)
                .and()
                .issuer(ISSUER)
                .audience()
                .add(AUDIENCE)
                .and()
                .subject(player.playerId())
                .id(Base64.getUrlEncoder().withoutPadding().encodeToString(id))
                .issuedAt(Date.from(now))
                .expiration(Date.from(expires))
                .claim("name", player.username())
                .claim("guest", player.guest())
                .signWith(key, Jwts.SIG.HS256)
                .compact();
        return new IssuedAccessToken(token, expires);
    }

    /**
     * The player a valid token names, or empty for anything else: bad signature, another
     * algorithm (including "none"), an unknown {@code kid}, expired, wrong issuer or audience, or
     * missing claims. A token without {@code kid} (issued before key ids) verifies with the
     * current key only.
     */
    public Optional<PlayerIdentity> verify(String token) {
        if (token == null || token.isEmpty() || token.length() > MAX_TOKEN_CHARS) {
            return Optional.empty();
        }
        try {
            Jws<Claims> jws = Jwts.parser()
                    .keyLocator(this::keyFor)
                    .requireIssuer(ISSUER)
                    .requireAudience(AUDIENCE)
                    .clock(() -> Date.from(clock.instant()))
                    .clockSkewSeconds(CLOCK_SKEW.toSeconds())
                    .build()
                    .parseSignedClaims(token);
            if (!Jwts.SIG.HS256.getId().equals(jws.getHeader().getAlgorithm())) {
                return Optional.empty();
            }
            Claims claims = jws.getPayload();
            String subject = claims.getSubject();
            String name = claims.get("name", String.class);
            Boolean guest = claims.get("guest", Boolean.class);
            if (subject == null
                    || subject.isEmpty()
                    || name == null
                    || guest == null
                    || claims.getExpiration() == null) {
                return Optional.empty();
            }
            return Optional.of(new PlayerIdentity(subject, name, guest));
        } catch (JwtException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private Key keyFor(Header header) {
        String kid = header instanceof ProtectedHeader protectedHeader ? protectedHeader.getKeyId() : null;
        if (kid == null || kid.equals(keyId)) {
            return key;
        }
        if (previousKeyId.isPresent() && kid.equals(previousKeyId.get())) {
            return previousKey.get();
        }
        throw new UnsupportedJwtException("unknown key id");
    }
}
