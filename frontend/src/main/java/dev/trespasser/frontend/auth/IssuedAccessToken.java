package dev.trespasser.frontend.auth;

import java.time.Instant;

public record IssuedAccessToken(String token, Instant expiresAt) {}
