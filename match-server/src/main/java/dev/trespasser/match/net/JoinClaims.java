package dev.trespasser.match.net;

/**
 * What a verified join token says: who joins which match, on which GameServer ({@code aud}), under
 * which token id ({@code jti}).
 */
public record JoinClaims(String playerId, String matchId, String tokenId, String gameServer) {}
