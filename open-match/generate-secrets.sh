#!/usr/bin/env bash
# Writes the keys and passwords kustomization.yaml turns into Secrets and ConfigMaps, into keys/
# (git-ignored). Run once per environment; an existing file is kept, so re-running never rotates
# a key by accident. To rotate one, delete its file and follow docs/operations.md.
set -euo pipefail
keys="$(cd "$(dirname "$0")" && pwd)/keys"
mkdir -p "$keys"
umask 077

say() { printf 'generate-secrets: %s\n' "$*"; }
command -v openssl >/dev/null || { say "openssl is required"; exit 1; }

# Join tokens: Ed25519, PKCS#8 for the director, X.509 SubjectPublicKeyInfo for the match servers.
if [[ ! -s "$keys/join-token-private.pem" ]]; then
  openssl genpkey -algorithm ed25519 -out "$keys/join-token-private.pem"
  rm -f "$keys/join-token-public.pem"
  say "join-token-private.pem written"
fi
if [[ ! -s "$keys/join-token-public.pem" ]]; then
  openssl pkey -in "$keys/join-token-private.pem" -pubout -out "$keys/join-token-public.pem"
  say "join-token-public.pem written"
fi
# The frontend's HS256 key: 32 random bytes as base64 (FRONTEND_JWT_KEY_FILE).
if [[ ! -s "$keys/frontend-jwt.key" ]]; then
  openssl rand -base64 32 > "$keys/frontend-jwt.key"
  say "frontend-jwt.key written"
fi
# Redis passwords: hex, so they need no escaping inside a redis:// URL.
password() {
  if [[ ! -s "$keys/$1" ]]; then
    openssl rand -hex 32 | tr -d '\n' > "$keys/$1"
    say "$1 written"
  fi
}
password om-redis-password
# Redis users: one password per user of redis/<redis>-users.conf (keys/<redis>-<user>-password),
# and that file rendered with each password's SHA-256 after "user <name>" (keys/<redis>-users.conf,
# the file the Redis loads). Rendered on every run, so a changed users file takes effect.
for redis in results-redis replay-redis; do
  template="$(dirname "$keys")/redis/$redis-users.conf"
  while read -r word user _; do
    if [[ "$word" == user && "$user" != default ]]; then
      password "$redis-$user-password"
    fi
  done < "$template"
  while IFS= read -r line; do
    read -r word user rest <<< "$line"
    if [[ "$word" == user && "$user" != default ]]; then
      hash="$(tr -d '\n' < "$keys/$redis-$user-password" | openssl dgst -sha256 -r | cut -d' ' -f1)"
      printf 'user %s #%s %s\n' "$user" "$hash" "$rest"
    else
      printf '%s\n' "$line"
    fi
  done < "$template" > "$keys/$redis-users.conf"
  say "$redis-users.conf rendered"
done
