package dev.trespasser.proto;

import java.util.Set;

/**
 * The join token contract between the director, which signs, and the match server, which
 * verifies: claim names spelled once. A join token is a compact JWS, header {@code alg: EdDSA}
 * (Ed25519), with:
 *
 * <ul>
 *   <li>{@link #ISSUER_CLAIM} ({@code iss}) = {@link #ISSUER}
 *   <li>{@link #SUBJECT} ({@code sub}) = the player id, as in the match's roster
 *   <li>{@link #AUDIENCE} ({@code aud}) = a one-element array: the name of the GameServer
 *       allocated to the match; a server refuses a token naming another (ERROR_REASON_WRONG_SERVER)
 *   <li>{@link #TOKEN_ID} ({@code jti}) = a random token id; one live connection per token id
 *       (ERROR_REASON_TOKEN_IN_USE)
 *   <li>{@link #MATCH_ID} ({@code mid}) = the match id, as in the MatchAllocation annotation
 *   <li>{@link #ISSUED_AT} ({@code iat}), {@link #EXPIRES_AT} ({@code exp}) = epoch seconds;
 *       {@code iat} equals the allocation's {@code allocated_at_epoch_seconds}, {@code exp} is
 *       {@link MatchLifetime#longest} after it
 *   <li>{@link #DISPLAY_NAME} ({@code name}) = the name the match shows for the player, keeping
 *       {@link DisplayNames}; from the player's ticket ({@link TicketAttributes#PLAYER_NAMES})
 * </ul>
 *
 * <p>A token carries exactly these claims ({@link #CLAIMS}), except {@code name} when the ticket
 * named nobody (a frontend from before names): a match server then shows
 * {@link DisplayNames#fallbackFor} of the subject. A {@code name} that is present but not a string
 * keeping {@link DisplayNames} makes the token bad.
 */
public final class JoinTokenContract {

    /** The value of {@link #ISSUER_CLAIM}: the director. */
    public static final String ISSUER = "trespasser-director";

    /** Registered claim names (RFC 7519). */
    public static final String ISSUER_CLAIM = "iss";

    public static final String SUBJECT = "sub";
    public static final String AUDIENCE = "aud";
    public static final String TOKEN_ID = "jti";
    public static final String ISSUED_AT = "iat";
    public static final String EXPIRES_AT = "exp";

    /** Private claim: the id of the match the token admits its subject to. */
    public static final String MATCH_ID = "mid";

    /**
     * Private claim: the player's display name. Signed like the rest, so the match server shows it
     * to the other players as the director read it from the ticket.
     */
    public static final String DISPLAY_NAME = "name";

    /** Every claim a join token carries, and no other ({@link #DISPLAY_NAME} only when known). */
    public static final Set<String> CLAIMS =
            Set.of(ISSUER_CLAIM, SUBJECT, AUDIENCE, TOKEN_ID, MATCH_ID, ISSUED_AT, EXPIRES_AT, DISPLAY_NAME);

    /** Not sent by the director (so not in {@link #CLAIMS}); a verifier honours it if present. */
    public static final String NOT_BEFORE = "nbf";

    /** JWS algorithm name (RFC 8037); the key is Ed25519. */
    public static final String ALGORITHM = "EdDSA";

    /** The JDK's name for the key type ({@code KeyFactory}, {@code KeyPairGenerator}). */
    public static final String KEY_ALGORITHM = "Ed25519";

    private JoinTokenContract() {}
}
