package dev.trespasser.director.tokens;

import dev.trespasser.proto.DisplayNames;
import dev.trespasser.proto.JoinTokenContract;
import io.jsonwebtoken.JwtBuilder;
import io.jsonwebtoken.Jwts;
import java.security.PrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Signs per-player join tokens ({@link JoinTokenContract}) with the director's Ed25519 key. The
 * lifetime is the longest match the director's rules allow ({@code MatchLifetime}), so a player can
 * rejoin until the match is over, and not much longer.
 */
public final class JoinTokenSigner {

    private final PrivateKey key;
    private final Duration ttl;

    public JoinTokenSigner(PrivateKey key, Duration ttl) {
        this.key = Objects.requireNonNull(key, "key");
        if (!JoinTokenContract.ALGORITHM.equals(key.getAlgorithm())
                && !JoinTokenContract.KEY_ALGORITHM.equals(key.getAlgorithm())) {
            throw new IllegalArgumentException("join tokens need an Ed25519 key, got " + key.getAlgorithm());
        }
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("token lifetime must be positive: " + ttl);
        }
        this.ttl = ttl;
    }

    public Duration ttl() {
        return ttl;
    }

    /**
     * @param displayName the name the match shows for the player ({@link DisplayNames}); empty when
     *     the ticket named nobody, and the token then has no {@code name} claim
     * @param gameServer  the GameServer allocated to the match: the only server that accepts the token
     * @param issuedAt    the allocation time; the token expires {@link #ttl()} after it
     * @throws IllegalArgumentException for a name {@link DisplayNames} refuses: a match server would
     *     refuse the whole token
     */
    public String sign(
            String playerId, Optional<String> displayName, String matchId, String gameServer, Instant issuedAt) {
        if (gameServer == null || gameServer.isEmpty()) {
            throw new IllegalArgumentException("a join token needs the GameServer it is for");
        }
        displayName.flatMap(DisplayNames::problem).ifPresent(problem -> {
            throw new IllegalArgumentException("the display name of " + playerId + " " + problem);
        });
        // JWT times are whole seconds; truncating here keeps iat equal to allocated_at_epoch_seconds.
        Instant iat = Instant.ofEpochSecond(issuedAt.getEpochSecond());
        JwtBuilder token = Jwts.builder()
                .claim(JoinTokenContract.ISSUER_CLAIM, JoinTokenContract.ISSUER)
                .claim(JoinTokenContract.SUBJECT, playerId)
                .claim(JoinTokenContract.AUDIENCE, List.of(gameServer))
                .claim(JoinTokenContract.TOKEN_ID, UUID.randomUUID().toString())
                .claim(JoinTokenContract.MATCH_ID, matchId)
                .claim(JoinTokenContract.ISSUED_AT, Date.from(iat))
                .claim(JoinTokenContract.EXPIRES_AT, Date.from(iat.plus(ttl)));
        displayName.ifPresent(name -> token.claim(JoinTokenContract.DISPLAY_NAME, name));
        return token.signWith(key, Jwts.SIG.EdDSA).compact();
    }

    /** A token without a {@code name} claim, as for a ticket that named nobody. */
    public String sign(String playerId, String matchId, String gameServer, Instant issuedAt) {
        return sign(playerId, Optional.empty(), matchId, gameServer, issuedAt);
    }
}
