#!/usr/bin/env bash
# Builds Temporal's server and its SQL schema tool from the Go module proxy into
# .tools/temporal-server/bin (about ten minutes on two cores; Go's build cache makes a rebuild
# on the same machine quick). `npm run cluster`, `npm run test:cluster` and
# `FULCRUM_TEMPORAL_SERVER=cluster npm run bench:intake` run on it; see workers/temporal-cluster.ts.
set -euo pipefail
version="${TEMPORAL_SERVER_VERSION:-v1.29.1}"
root="$(cd "$(dirname "$0")/.." && pwd)"
bin="$root/.tools/temporal-server/bin"
mkdir -p "$bin"
# Cached by version: a different TEMPORAL_SERVER_VERSION builds again.
if [[ -x "$bin/server" && -x "$bin/sql" && "$(cat "$bin/.version" 2>/dev/null)" == "$version" ]]; then echo "Temporal server $version already built in $bin"; exit 0; fi
command -v go >/dev/null || { echo "Go is needed to build Temporal's server (https://go.dev/dl/)" >&2; exit 1; }
cd "$(mktemp -d)"
GOBIN="$bin" go install "go.temporal.io/server/cmd/server@$version"
GOBIN="$bin" go install "go.temporal.io/server/cmd/tools/sql@$version"
echo "$version" > "$bin/.version"
echo "Built Temporal server $version in $bin"
