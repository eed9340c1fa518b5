#!/usr/bin/env bash
# `npm run lint:deploy`: checks everything that describes production with the real tools
# (scripts/deploy/install-linters.sh installs them): the Dockerfile (hadolint), the Compose file
# (compose-go, as `docker compose config`), the Helm chart (helm lint, then its rendered
# manifests against Kubernetes' own JSON schemas with kubeconform, for the default values and
# for every option turned on), and the Prometheus configuration, alert rules and their unit
# tests (promtool). No Docker engine or Kubernetes cluster is needed.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
bash scripts/deploy/install-linters.sh
bin="$root/.tools/linters/bin"
schemas="$(ls -d "$root"/.tools/linters/venv/lib/python3*/site-packages/kubernetes_validate/kubernetes-json-schema)"  # PyPI kubernetes-validate
KUBERNETES_VERSION=1.33.0
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

echo "== Dockerfile (hadolint)"
"$bin/hadolint" Dockerfile

echo "== docker-compose.yml (compose-go, every profile)"
FULCRUM_ADMIN_KEY=lint FULCRUM_PAYLOAD_KEYS=lint COMPOSE_PROFILES='*' "$bin/compose-check" docker-compose.yml > "$out/compose.yml"
echo "   $(grep -c '^  [a-z-]*:$' "$out/compose.yml") services resolved"

chart=deploy/helm/fulcrum
required=(--set secrets.databaseUrl=postgres://fulcrum@postgres/fulcrum --set secrets.payloadKeys=k1:AAAA)
echo "== Helm chart (helm lint)"
"$bin/helm" lint --strict "$chart" "${required[@]}"
"$bin/helm" lint --strict "$chart" -f "$chart/ci/all-options-values.yaml"
echo "== Rendered manifests (kubeconform, Kubernetes $KUBERNETES_VERSION, strict)"
"$bin/helm" template fulcrum "$chart" "${required[@]}" > "$out/default.yaml"
"$bin/helm" template fulcrum "$chart" -f "$chart/ci/all-options-values.yaml" > "$out/all-options.yaml"
python3 scripts/deploy/standalone-schemas.py "$schemas/v$KUBERNETES_VERSION-local-strict" "$out/schemas" "$out/default.yaml" "$out/all-options.yaml"
# KEDA's ScaledObject is a custom resource whose schema Kubernetes does not ship.
"$bin/kubeconform" -strict -summary -kubernetes-version "$KUBERNETES_VERSION" -skip ScaledObject \
  -schema-location "$out/schemas/{{ .ResourceKind }}{{ .KindSuffix }}.json" \
  "$out/default.yaml" "$out/all-options.yaml"
# A chart that cannot start without its secrets says so rather than rendering a broken release.
if "$bin/helm" template fulcrum "$chart" > /dev/null 2>&1; then echo "the chart rendered without its required secrets" >&2; exit 1; fi

echo "== Prometheus (promtool)"
"$bin/promtool" check config deploy/prometheus/prometheus.yml
"$bin/promtool" check rules deploy/prometheus/fulcrum-alerts.yml
"$bin/promtool" test rules deploy/prometheus/fulcrum-alerts.test.yml
echo "lint:deploy: all checks passed"
