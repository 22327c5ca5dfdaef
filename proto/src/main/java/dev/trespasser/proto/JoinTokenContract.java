package dev.trespasser.proto;

/**
 * The join token contract between the director, which signs, and the match server, which
 * verifies: claim names spelled once. A join token is a compact JWS, header {@code alg: EdDSA}
 * (Ed25519), with:
 *
 * <ul>
 *   <li>{@code iss} = {@link #ISSUER}
 *   <li>{@code sub} = the player id, as in the match's roster
 *   <li>{@code aud} = the name of the GameServer allocated to the match; a server refuses a token
 *       naming another (ERROR_REASON_WRONG_SERVER)
 *   <li>{@code jti} = a random token id; one live connection per token id (ERROR_REASON_TOKEN_IN_USE)
 *   <li>{@link #MATCH_ID} = the match id, as in the MatchAllocation annotation
 *   <li>{@code iat}, {@code exp} = epoch seconds; {@code iat} equals the allocation's
 *       {@code allocated_at_epoch_seconds}, {@code exp} is {@link MatchLifetime#longest} after it
 * </ul>
 */
public final class JoinTokenContract {

    public static final String ISSUER = "trespasser-director";

    /** Private claim: the id of the match the token admits its subject to. */
    public static final String MATCH_ID = "mid";

    /** Registered claim names (RFC 7519 section 4.1) the token carries. */
    public static final String ISSUER_CLAIM = "iss";
    public static final String SUBJECT = "sub";
    public static final String AUDIENCE = "aud";
    public static final String TOKEN_ID = "jti";
    public static final String ISSUED_AT = "iat";
    public static final String EXPIRY = "exp";
    /** Not sent by the director; a verifier honours it if present. */
    public static final String NOT_BEFORE = "nbf";

    /** JWS algorithm name (RFC 8037); the key is Ed25519. */
    public static final String ALGORITHM = "EdDSA";

    private JoinTokenContract() {}
}
