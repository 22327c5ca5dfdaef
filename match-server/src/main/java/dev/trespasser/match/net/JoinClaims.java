package dev.trespasser.match.net;

/**
 * What a verified join token says: who joins which match, on which GameServer ({@code aud}), under
 * which token id ({@code jti}), and what the match calls them ({@code name}, or a short form of the
 * player id for a token without one).
 */
public record JoinClaims(String playerId, String matchId, String tokenId, String gameServer, String displayName) {}
