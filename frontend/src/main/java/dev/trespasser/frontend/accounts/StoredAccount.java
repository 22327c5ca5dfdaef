package dev.trespasser.frontend.accounts;

import dev.trespasser.frontend.auth.PasswordHasher.PasswordHash;

public record StoredAccount(String playerId, String username, PasswordHash password) {}
