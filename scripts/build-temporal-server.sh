#!/usr/bin/env bash
# Builds Temporal's server and its SQL schema tool from the Go module proxy into
# .tools/temporal-server/bin (about ten minutes on two cores; Go's build cache makes a rebuild
# on the same machine quick). `npm run cluster`, `npm run test:cluster` and
# `FULCRUM_TEMPORAL_SERVER=cluster npm run bench:intake` run on it; see scripts/dev/temporal-cluster.ts.
set -euo pipefail
version="${TEMPORAL_SERVER_VERSION:-v1.29.1}"
# The Temporal UI's server (its web assets embedded); v2.45.0 is the newest that builds with this machine's Go 1.26.8.
ui_version="${TEMPORAL_UI_VERSION:-v2.45.0}"
root="$(cd "$(dirname "$0")/.." && pwd)"
bin="$root/.tools/temporal-server/bin"
mkdir -p "$bin"
# Cached by version: a different TEMPORAL_SERVER_VERSION builds again.
if [[ -x "$bin/server" && -x "$bin/sql" && -x "$bin/ui-server" && "$(cat "$bin/.version" 2>/dev/null)" == "$version $ui_version" ]]; then echo "Temporal server $version and UI $ui_version already built in $bin"; exit 0; fi
command -v go >/dev/null || { echo "Go is needed to build Temporal's server (https://go.dev/dl/)" >&2; exit 1; }
cd "$(mktemp -d)"
GOBIN="$bin" go install "go.temporal.io/server/cmd/server@$version"
GOBIN="$bin" go install "go.temporal.io/server/cmd/tools/sql@$version"
mkdir -p ui && GOBIN="$PWD/ui" go install "github.com/temporalio/ui-server/v2/cmd/server@$ui_version" && mv ui/server "$bin/ui-server"
echo "$version $ui_version" > "$bin/.version"
echo "Built Temporal server $version and UI $ui_version in $bin"
