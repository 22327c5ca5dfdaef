package dev.trespasser.frontend.accounts;

/** A player's stats and rating as kept in Redis; new players have no games and {@link #DEFAULT_RATING}. */
public record PlayerProfile(
        String playerId,
        String username,
        double rating,
        long matches,
        long wins,
        long losses,
        long draws,
        long kills,
        long deaths) {

    public static final double DEFAULT_RATING = 1500.0;
}
