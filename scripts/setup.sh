#!/usr/bin/env bash
# Installs the Debian packages gee needs to build and test, only when missing.
# Safe to run repeatedly. Uses sudo when not run as root.
set -euo pipefail

packages=(
  build-essential cmake ninja-build ccache pkg-config
  libboost-dev            # Boost.Beast / Asio / CRC / UUID (header-only)
  nlohmann-json3-dev      # JSON
  rapidjson-dev           # JSON parsing on the request path (header-only)
  libsqlite3-dev          # state store
  libssl-dev              # OpenSSL 3: AES-GCM, RSA/ECC, HMAC, SHA-2
  libpugixml-dev          # XML parsing and writing (Query and S3 protocols)
  libcli11-dev            # command-line parsing
  libgtest-dev libgmock-dev  # GoogleTest / GoogleMock
  awscli python3-boto3    # real clients for the end-to-end tests
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "setup: installing ${missing[*]}" >&2
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
