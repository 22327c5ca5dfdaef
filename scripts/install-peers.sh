#!/usr/bin/env bash
# Installs the real peers, pinned, into the git-ignored .tools/ folder of this repository:
#   om-core (Open Match 2), buf, the Agones SDK server, and Debian's redis-server when missing.
# Idempotent: a second run with everything present takes about a second.
# Why these versions: docs/peers.md.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
tools="$repo/.tools"
bin="$tools/bin"
mkdir -p "$bin"

# Pins. om-core: v2.0.2 is the only version the module proxy serves to this project (later
# commits answer 403); its ID-token call and its end-of-stream race are handled in our code.
OM_CORE_MODULE=github.com/googleforgames/open-match2/v2
OM_CORE_VERSION=v2.0.2
BUF_VERSION=v1.47.2
AGONES_VERSION=v1.52.0

say() { printf 'install-peers: %s\n' "$*"; }

command -v go >/dev/null || { say "Go is required to build the peers (go install); none on PATH"; exit 1; }
export GOFLAGS="${GOFLAGS:-} -buildvcs=false"
export GOTOOLCHAIN=local

stamp() { cat "$tools/$1.version" 2>/dev/null || true; }

# om-core: `go install module@v2.0.2` fails here because the proxy refuses the module's version
# list (needed for its deprecation check), so build inside the downloaded module instead.
if [[ -x "$bin/open-match2" && "$(stamp open-match2)" == "$OM_CORE_VERSION" ]]; then
  say "om-core $OM_CORE_VERSION present"
else
  say "building om-core $OM_CORE_VERSION"
  dir=$(go mod download -json "$OM_CORE_MODULE@$OM_CORE_VERSION" | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')
  [[ -n "$dir" && -f "$dir/main.go" ]] || { say "could not download $OM_CORE_MODULE@$OM_CORE_VERSION"; exit 1; }
  (cd "$dir" && go build -o "$bin/open-match2" .)
  echo "$OM_CORE_VERSION" > "$tools/open-match2.version"
fi

if [[ -x "$bin/buf" && "$(stamp buf)" == "$BUF_VERSION" ]]; then
  say "buf $BUF_VERSION present"
else
  say "installing buf $BUF_VERSION"
  GOBIN="$bin" go install "github.com/bufbuild/buf/cmd/buf@$BUF_VERSION"
  echo "$BUF_VERSION" > "$tools/buf.version"
fi

# The Agones SDK server. Where the module proxy refuses agones.dev, the exact error is kept in
# .tools/sdk-server.unavailable and the tests that need the binary report it as their skip reason.
if [[ -x "$bin/sdk-server" && "$(stamp sdk-server)" == "$AGONES_VERSION" ]]; then
  say "Agones sdk-server $AGONES_VERSION present"
else
  say "installing Agones sdk-server $AGONES_VERSION"
  if out=$(GOBIN="$bin" go install "agones.dev/agones/cmd/sdk-server@$AGONES_VERSION" 2>&1); then
    echo "$AGONES_VERSION" > "$tools/sdk-server.version"
    rm -f "$tools/sdk-server.unavailable"
  else
    printf 'go install agones.dev/agones/cmd/sdk-server@%s failed: %s\n' "$AGONES_VERSION" "$out" > "$tools/sdk-server.unavailable"
    say "WARNING: the Agones SDK server could not be installed; tests that need it will be skipped:"
    sed 's/^/  /' "$tools/sdk-server.unavailable"
  fi
fi

if command -v redis-server >/dev/null; then
  say "redis-server present ($(redis-server --version | awk '{print $3}'))"
else
  say "installing Debian's redis-server"
  sudo_cmd=""
  [[ $(id -u) -eq 0 ]] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq redis-server >/dev/null
  # The package starts a system-wide instance on 6379; ours start their own on free ports.
  $sudo_cmd systemctl disable --now redis-server >/dev/null 2>&1 || true
fi
