#!/usr/bin/env bash
# Installs the real peers, pinned, into the git-ignored .tools/ folder of this repository:
#   om-core (Open Match 2), the Agones SDK server, buf, and Debian's redis-server and chromium
#   when missing.
# Each peer is first installed from its upstream Go module, as anyone on the open internet would.
# Where the module proxy refuses it, the build of the same pin in ../shared/peers/ (beside this
# repository; CI lays a copy there) is used after its sha256 is checked against the pins below.
# Neither source working is an error. Idempotent: a second run takes about a second.
# Why these versions and sources: docs/peers.md.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
tools="$repo/.tools"
bin="$tools/bin"
shared=$(cd "$repo/.." && pwd)/shared/peers
mkdir -p "$bin"

# Pins. om-core has no release after v2.0.2: upstream main at ac392a0 (2026-01-05) is pinned by
# its commit, which the module proxy resolves to the pseudo-version.
OM_CORE_MODULE=github.com/googleforgames/open-match2/v2
OM_CORE_COMMIT=ac392a0576ea65a73d17aa07090519efcdba99cd
OM_CORE_PIN=ac392a0
OM_CORE_XZ=om-core-ac392a0-linux-amd64.xz
OM_CORE_XZ_SHA256=f6ecbf57dcb1cb492cc08ef533af8b756bfd5c2f0ba9e8df1aaae42bdc2be4f7
OM_CORE_BIN_SHA256=3cda299fb2806259d5ded4c9ec64e6b41c272aff1572b2b50a9ef3547b6eb149
# Agones v1.52.1 and later carry a replace directive, so `go install` refuses them: the SDK
# server is built inside the downloaded module.
AGONES_MODULE=agones.dev/agones
AGONES_VERSION=v1.56.0
AGONES_XZ=agones-sdk-server-v1.56.0-linux-amd64.xz
AGONES_XZ_SHA256=f9949f2e080b98408586e346d8b0eaabc56c2c5e6ae2b3662938ba891773fdbf
AGONES_BIN_SHA256=425e3ed494d16d1551db5368e18c795cfa2b81e9cd6039325b64466f0831cdc0
BUF_VERSION=v1.47.2

say() { printf 'install-peers: %s\n' "$*"; }
fail() { say "ERROR: $*"; exit 1; }

command -v go >/dev/null || fail "Go is required to build the peers (go install); none on PATH"
export GOFLAGS="${GOFLAGS:-} -buildvcs=false"
export GOTOOLCHAIN=local

stamp() { cat "$tools/$1.version" 2>/dev/null || true; }
sha256() { sha256sum "$1" | cut -d' ' -f1; }
# The first line of an error, cut short: enough to see why, printed once.
short() { sed -n '/[^[:space:]]/{p;q;}' <<<"$1" | cut -c1-220; }

# Builds package $3 of module $1@$2 inside its downloaded directory (honours replace directives)
# into $4. Prints go's error and returns non-zero when the download or the build fails.
build_from_module() {
  local module=$1 version=$2 package=$3 out=$4 json dir
  json=$(go mod download -json "$module@$version" 2>&1) || true
  dir=$(sed -n 's/^\t"Dir": "\(.*\)",$/\1/p' <<<"$json")
  if [[ -z "$dir" ]]; then
    sed -n 's/^\t"Error": "\(.*\)"$/\1/p' <<<"$json" | sed 's/\\n\\t*/; /g; s#reading https*://[^ ]*: ##'
    [[ "$json" == *'"Error"'* ]] || printf '%s\n' "$json"
    return 1
  fi
  (cd "$dir" && go build -trimpath -o "$out" "$package" 2>&1)
}

# Unpacks the checked build $1 of ../shared/peers into $2 and checks the binary too.
install_from_shared() {
  local xz=$1 xz_sum=$2 bin_sum=$3 out=$4 tmp
  [[ -f "$shared/$xz" ]] || fail "$xz not found in $shared either (CI lays shared/ beside the clone)"
  [[ "$(sha256 "$shared/$xz")" == "$xz_sum" ]] || fail "$shared/$xz: sha256 $(sha256 "$shared/$xz") is not the pinned $xz_sum"
  tmp="$out.partial"
  xz -dc "$shared/$xz" > "$tmp"
  [[ "$(sha256 "$tmp")" == "$bin_sum" ]] || { rm -f "$tmp"; fail "$xz unpacked: sha256 is not the pinned $bin_sum"; }
  chmod +x "$tmp"
  mv -f "$tmp" "$out"
}

# install NAME PIN MODULE VERSION PACKAGE XZ XZ_SHA256 BIN_SHA256
install_peer() {
  local name=$1 pin=$2 module=$3 version=$4 package=$5 xz=$6 xz_sum=$7 bin_sum=$8 err
  if [[ -x "$bin/$name" && "$(stamp "$name")" == "$pin "* ]]; then
    say "$name $pin present ($(stamp "$name" | cut -d' ' -f2-))"
    return
  fi
  say "installing $name $pin from $module@$version"
  if err=$(build_from_module "$module" "$version" "$package" "$bin/$name.partial"); then
    mv -f "$bin/$name.partial" "$bin/$name"
    echo "$pin built from the Go module $module@$version" > "$tools/$name.version"
  else
    rm -f "$bin/$name.partial"
    say "  the upstream install failed: $(short "$err")"
    say "  falling back to $shared/$xz (sha256 pinned here)"
    install_from_shared "$xz" "$xz_sum" "$bin_sum" "$bin/$name"
    echo "$pin unpacked from the upstream build ../shared/peers/$xz" > "$tools/$name.version"
  fi
  say "$name $pin installed ($(stamp "$name" | cut -d' ' -f2-))"
}

# Left by earlier versions of this script, which skipped tests when the SDK server was missing.
rm -f "$tools/sdk-server.unavailable"

install_peer open-match2 "$OM_CORE_PIN" "$OM_CORE_MODULE" "$OM_CORE_COMMIT" . \
  "$OM_CORE_XZ" "$OM_CORE_XZ_SHA256" "$OM_CORE_BIN_SHA256"
install_peer sdk-server "$AGONES_VERSION" "$AGONES_MODULE" "$AGONES_VERSION" ./cmd/sdk-server \
  "$AGONES_XZ" "$AGONES_XZ_SHA256" "$AGONES_BIN_SHA256"

if [[ -x "$bin/buf" && "$(stamp buf)" == "$BUF_VERSION" ]]; then
  say "buf $BUF_VERSION present"
else
  say "installing buf $BUF_VERSION"
  GOBIN="$bin" go install "github.com/bufbuild/buf/cmd/buf@$BUF_VERSION"
  echo "$BUF_VERSION" > "$tools/buf.version"
fi

# Debian packages the tests run: $1 is the command that shows it is there, $2 the package.
# Succeeds when it installed the package, fails when it was already there.
apt_updated=""
debian_package() {
  local command=$1 package=$2 sudo_cmd=""
  if command -v "$command" >/dev/null; then
    say "$package present"
    return 1
  fi
  say "installing Debian's $package"
  [[ $(id -u) -eq 0 ]] || sudo_cmd="sudo"
  if [[ -z "$apt_updated" ]]; then
    $sudo_cmd apt-get update -qq || fail "apt-get update failed"
    apt_updated=yes
  fi
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "$package" >/dev/null \
    || fail "apt-get install $package failed"
}

if debian_package redis-server redis-server; then
  # The package starts a system-wide instance on 6379; ours start their own on free ports.
  systemctl disable --now redis-server >/dev/null 2>&1 || true
fi
# The browser the web client's tests drive (playwright-core never downloads one).
debian_package chromium chromium || true
