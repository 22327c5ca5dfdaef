#!/bin/sh
# Writes the match server's class-data-sharing archive: one static archive of exactly the classes a
# server loads, the JDK's and ours, from two class lists:
#   - start-up: this script runs MatchServer with no Agones sidecar, so it loads its settings, metrics,
#     admin endpoint, join-token verifier, WebSocket edge, Agones HTTP client and results spool, then
#     gives up on the sidecar and exits with code 2 (expected);
#   - play: PLAY_CLASS_LIST, written by a match played with bots (MatchServerBenchmark under
#     -XX:DumpLoadedClassList, in the image's build stage): the simulation, snapshots, frames, replay.
# A server whose archive lacks the classes of play loads them into metaspace at its first match: that
# cost 2.0 MiB of RSS (docs/benchmarks.md, "The image as measured").
#
# Usage: class-archive.sh LIB_DIR PLAY_CLASS_LIST ARCHIVE
# The server must then run with -cp 'LIB_DIR/*' (the same expansion) and -XX:SharedArchiveFile=ARCHIVE.
set -eu
lib=$1
play=$2
archive=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The key is a throw-away PUBLIC key, used only so the verifier loads; production mounts the director's.
status=0
AGONES_CONNECT_TIMEOUT_SECONDS=1 MATCH_PORT=0 MATCH_ADMIN_PORT=0 \
JOIN_TOKEN_PUBLIC_KEY='-----BEGIN PUBLIC KEY----- MCowBQYDK2VwAyEAlVnH96D6hA3HNd7lYqNwhYfa5Ie38xW7E8plLgaf+mA= -----END PUBLIC KEY-----' \
    java -Xshare:off -XX:DumpLoadedClassList="$work/start.classlist" -XX:+UseSerialGC -XX:TieredStopAtLevel=1 \
        -cp "$lib/*" dev.trespasser.match.MatchServer >"$work/start.log" 2>&1 || status=$?
if [ "$status" -ne 2 ]; then
    cat "$work/start.log" >&2
    echo "class-archive.sh: the start-up run should exit 2 (no Agones sidecar), exited $status" >&2
    exit 1
fi

# Each list numbers its classes on its own: drop the numbers, keep each line once, in order.
# Classes of the play run's test harness are not in LIB_DIR; the dump skips them with a warning.
cat "$work/start.classlist" "$play" | grep -v '^#' | sed 's/ id: [0-9][0-9]*$//' \
    | awk '!seen[$0]++' >"$work/all.classlist"

java -Xshare:dump -XX:+UseSerialGC -XX:SharedClassListFile="$work/all.classlist" \
    -XX:SharedArchiveFile="$archive" -cp "$lib/*" >"$work/dump.log" 2>&1 \
    || { cat "$work/dump.log" >&2; exit 1; }
test -s "$archive"
echo "class-archive.sh: $(grep -vc '^@' "$work/all.classlist") classes listed, archive $(wc -c <"$archive") bytes"
