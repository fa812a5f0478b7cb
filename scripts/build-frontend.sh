#!/usr/bin/env bash
# Vendor the web application's front-end files (vega, vega-lite, vega-embed, htmx) from the npm
# registry into src/jamlik/web/static/vendor/, and axe-core for the browser tests into
# frontend/node_modules/. Versions are pinned by frontend/package-lock.json. Skips the work
# when the lock file has not changed since the last build.
set -euo pipefail
cd "$(dirname "$0")/../frontend"

if ! command -v npm >/dev/null 2>&1; then
    # A fresh machine may lack Node.js; Debian's packages are enough for `npm ci`.
    if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" -eq 0 ]; then
        echo "Installing Debian's nodejs and npm to vendor the front-end files ..."
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
    else
        echo "npm is missing: install Node.js and npm (Debian: apt-get install -y nodejs npm)." >&2
        exit 1
    fi
fi
STAMP=node_modules/.jamlik-built
VENDOR=../src/jamlik/web/static/vendor/VERSIONS.json
if [ -f "$STAMP" ] && [ -f "$VENDOR" ] && [ "$STAMP" -nt package-lock.json ] && [ "$STAMP" -nt build.mjs ]; then
    exit 0
fi
npm ci --no-audit --no-fund --loglevel=error
npm run --silent build
touch "$STAMP"
