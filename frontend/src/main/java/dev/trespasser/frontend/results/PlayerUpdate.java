package dev.trespasser.frontend.results;

/** What one match result adds to one player's record. */
public record PlayerUpdate(
        String playerId, double ratingDelta, int wins, int losses, int draws, long kills, long deaths) {}
