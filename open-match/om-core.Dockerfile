# syntax=docker/dockerfile:1.7
# om-core (Open Match 2 core) has no image of ours upstream; this builds the same pinned version
# as scripts/install-peers.sh, from its Go module, into a static binary on distroless. Build from
# the repository root (the context is not used beyond this file):
#   docker build -f open-match/om-core.Dockerfile -t trespasser/om-core:v2.0.2 .
# Why v2.0.2 and what it needs around it (ID-token metadata, OTLP metrics): docs/peers.md and
# docs/operations.md.

FROM golang:1.23-bookworm AS build
ARG OM_CORE_MODULE=github.com/googleforgames/open-match2/v2
ARG OM_CORE_VERSION=v2.0.2
ENV CGO_ENABLED=0 GOFLAGS=-buildvcs=false GOTOOLCHAIN=local
# `go install module@version` needs the module's version list, which some proxies refuse; build
# inside the downloaded module instead, exactly like install-peers.sh.
RUN --mount=type=cache,target=/root/go/pkg/mod \
    dir=$(go mod download -json "${OM_CORE_MODULE}@${OM_CORE_VERSION}" | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p') \
 && test -f "$dir/main.go" \
 && cd "$dir" && go build -trimpath -ldflags='-s -w' -o /out/open-match2 .

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/open-match2 /open-match2
USER 65532:65532
# gRPC (OM_GRPC_PORT) and the HTTP gateway (PORT)
EXPOSE 50581 8080
ENTRYPOINT ["/open-match2"]
