#!/usr/bin/env bash
# Make sure PostgreSQL's server programs (initdb, pg_ctl) are installed for the tests that run
# jamlik against a real PostgreSQL: tests/conftest.py starts a throwaway server from them on
# 127.0.0.1 (as the `postgres` account when run as root) and stops it afterwards. This script
# only installs; it does not start or configure the system's own PostgreSQL service.
# Idempotent: does nothing when the programs are there or JAMLIK_TEST_POSTGRES_URL names a
# server to use instead.
set -euo pipefail

if [ -n "${JAMLIK_TEST_POSTGRES_URL:-}" ]; then
    exit 0
fi
if compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || command -v initdb >/dev/null 2>&1; then
    exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "PostgreSQL's server programs (initdb, pg_ctl) are missing and apt-get is not available:" >&2
    echo "install the PostgreSQL server with your system's package manager, or set" >&2
    echo "JAMLIK_TEST_POSTGRES_URL to a database on a server whose user may create databases." >&2
    exit 1
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
        SUDO="sudo"
    else
        echo "PostgreSQL is missing; run as root: apt-get update && apt-get install -y postgresql" >&2
        exit 1
    fi
fi
echo "Installing Debian's postgresql for the PostgreSQL tests ..."
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql >/dev/null
compgen -G "/usr/lib/postgresql/*/bin/initdb"
