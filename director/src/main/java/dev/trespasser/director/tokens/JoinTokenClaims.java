package dev.trespasser.director.tokens;

/**
 * The join token contract with the match server, in one place (director/README.md "Join token
 * contract"). A join token is a compact JWS, header {@code alg: EdDSA} (Ed25519), with:
 *
 * <ul>
 *   <li>{@code iss} = {@link #ISSUER}
 *   <li>{@code sub} = the player id, as in the match's roster
 *   <li>{@link #MATCH_ID} = the match id, as in the MatchAllocation annotation
 *   <li>{@code iat}, {@code exp} = epoch seconds; {@code iat} equals the allocation's
 *       {@code allocated_at_epoch_seconds}
 * </ul>
 */
public final class JoinTokenClaims {

    public static final String ISSUER = "trespasser-director";

    /** Private claim: the id of the match the token admits its subject to. */
    public static final String MATCH_ID = "mid";

    /** JWS algorithm name (RFC 8037); the key is Ed25519. */
    public static final String ALGORITHM = "EdDSA";

    private JoinTokenClaims() {}
}
