# syntax=docker/dockerfile:1.7
# om-core (Open Match 2 core) has no image of ours upstream; this builds the commit the tests and
# the local stack run (scripts/install-peers.sh; the build in ../shared/peers/ is of the same
# commit) from its Go module, into a static binary on distroless. Build from the repository root
# (the context is not used beyond this file):
#   docker build -f open-match/om-core.Dockerfile -t trespasser/om-core:ac392a0 .
# Why ac392a0 (main, 2026-01-05; no release after v2.0.2): it dials http:// MMFs without fetching
# an ID token, keeps the last match of a fan-in, and survives an empty roster (docs/peers.md). Its
# metrics still leave only over OTLP, hence the collector sidecar in om-core.yaml.

FROM golang:1.25-bookworm AS build
ARG OM_CORE_MODULE=github.com/googleforgames/open-match2/v2
# The full commit: the module proxy resolves it to the module's pseudo-version (v2.0.3-0.2026…),
# and go.sum checking pins its content.
ARG OM_CORE_COMMIT=ac392a0576ea65a73d17aa07090519efcdba99cd
ENV CGO_ENABLED=0 GOFLAGS=-buildvcs=false GOTOOLCHAIN=local
# Build inside the downloaded module (as install-peers.sh does): `go install module@version` also
# wants the module's version list, which some proxies refuse.
RUN --mount=type=cache,target=/root/go/pkg/mod \
    dir=$(go mod download -json "${OM_CORE_MODULE}@${OM_CORE_COMMIT}" | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p') \
 && test -f "$dir/main.go" \
 && cd "$dir" && go build -trimpath -ldflags='-s -w' -o /out/open-match2 .

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/open-match2 /open-match2
USER 65532:65532
# gRPC (OM_GRPC_PORT) and the HTTP gateway (PORT)
EXPOSE 50581 8080
ENTRYPOINT ["/open-match2"]
