package dev.trespasser.frontend.auth;

/** Who an access token speaks for. Guests have generated names and no password. */
public record PlayerIdentity(String playerId, String username, boolean guest) {}
