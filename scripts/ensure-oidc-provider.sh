#!/usr/bin/env bash
# Install the OpenID Provider the SSO tests sign in against (panva/oidc-provider, with jose)
# into tests/oidc/node_modules, pinned by tests/oidc/package-lock.json. Needs Node.js >= 20.19
# and npm (scripts/build-frontend.sh installs Debian's). Skips the work when the lock file has
# not changed since the last install.
set -euo pipefail
cd "$(dirname "$0")/../tests/oidc"

if ! command -v npm >/dev/null 2>&1; then
    echo "npm is missing: install Node.js and npm (Debian: apt-get install -y nodejs npm)." >&2
    exit 1
fi
STAMP=node_modules/.jamlik-installed
if [ -f "$STAMP" ] && [ "$STAMP" -nt package-lock.json ]; then
    exit 0
fi
npm ci --no-audit --no-fund --loglevel=error
touch "$STAMP"
