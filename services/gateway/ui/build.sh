#!/usr/bin/env bash
# Front-end set-up of the web UI: installs the pinned libraries from the npm registry
# (package-lock.json) and copies the few files the UI loads into ../static/vendor.
# No bundler: the UI itself is plain ES modules served as they are. Idempotent and quick
# when nothing changed.
set -euo pipefail
cd "$(dirname "$0")"
if ! command -v npm >/dev/null; then
  echo "ui: installing npm" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null
fi
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --silent >&2
fi
VENDOR=../static/vendor
mkdir -p "$VENDOR"
copy() { cmp -s "$1" "$VENDOR/$2" || cp "$1" "$VENDOR/$2"; }
copy node_modules/chart.js/dist/chart.umd.min.js chart.umd.min.js
copy node_modules/chart.js/LICENSE.md chart.js-LICENSE.md
copy node_modules/gridstack/dist/gridstack-all.js gridstack-all.js
copy node_modules/gridstack/dist/gridstack.min.css gridstack.min.css
copy node_modules/gridstack/LICENSE gridstack-LICENSE
