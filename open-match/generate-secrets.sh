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
for name in om-redis-password results-redis-password replay-redis-password; do
  if [[ ! -s "$keys/$name" ]]; then
    openssl rand -hex 32 | tr -d '\n' > "$keys/$name"
    say "$name written"
  fi
done
