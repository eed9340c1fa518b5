#!/usr/bin/env bash
# Builds Temporal's server and its SQL schema tool from the Go module proxy into
# .tools/temporal-server/bin (about ten minutes on two cores). The production path's bench
# (BENCH_TEMPORAL=cluster npm run bench:intake) runs on it; see workers/temporal-cluster.ts.
set -euo pipefail
version="${TEMPORAL_SERVER_VERSION:-v1.29.1}"
root="$(cd "$(dirname "$0")/.." && pwd)"
bin="$root/.tools/temporal-server/bin"
mkdir -p "$bin"
if [[ -x "$bin/server" && -x "$bin/sql" ]]; then echo "Temporal server already built in $bin"; exit 0; fi
command -v go >/dev/null || { echo "Go is needed to build Temporal's server (https://go.dev/dl/)" >&2; exit 1; }
cd "$(mktemp -d)"
GOBIN="$bin" go install "go.temporal.io/server/cmd/server@$version"
GOBIN="$bin" go install "go.temporal.io/server/cmd/tools/sql@$version"
echo "Built Temporal server $version in $bin"
