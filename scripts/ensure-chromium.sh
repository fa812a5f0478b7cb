#!/usr/bin/env bash
# Make sure Debian's Chromium is installed at /usr/bin/chromium for the browser tests
# (tests/web). Playwright drives this browser; `playwright install` is never used, because it
# downloads a browser build of its own. Idempotent: does nothing when Chromium is there.
set -euo pipefail

CHROMIUM=/usr/bin/chromium
if [ -x "$CHROMIUM" ]; then
    exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "Chromium is missing at $CHROMIUM and apt-get is not available:" >&2
    echo "install Chromium with your system's package manager." >&2
    exit 1
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
        SUDO="sudo"
    else
        echo "Chromium is missing; run as root: apt-get update && apt-get install -y chromium" >&2
        exit 1
    fi
fi
echo "Installing Debian's chromium for the browser tests ..."
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
"$CHROMIUM" --version
