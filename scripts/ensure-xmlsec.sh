#!/usr/bin/env bash
# Make sure the xmlsec1 binary is installed: pysaml2 (SAML sign-in, jamlik.accounts.saml) signs
# and verifies XML signatures with it, and the SAML tests run a real IdP that needs it too.
# Idempotent: does nothing when xmlsec1 is on the PATH.
set -euo pipefail

if command -v xmlsec1 >/dev/null 2>&1; then
    exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "xmlsec1 is missing and apt-get is not available:" >&2
    echo "install xmlsec1 (the XML Security Library's command) with your system's package manager." >&2
    exit 1
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
        SUDO="sudo"
    else
        echo "xmlsec1 is missing; run as root: apt-get update && apt-get install -y xmlsec1" >&2
        exit 1
    fi
fi
echo "Installing Debian's xmlsec1 for SAML sign-in ..."
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq xmlsec1 >/dev/null
xmlsec1 --version
