package dev.trespasser.match.net;

/** What a verified join token says: who joins which match. */
public record JoinClaims(String playerId, String matchId) {
}
