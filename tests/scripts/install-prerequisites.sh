#!/usr/bin/env bash
# Installs what the tests and the local playground run against, when it is missing:
# PostgreSQL, Prometheus, Chromium and its driver, a Java runtime for DynamoDB Local, curl, the C toolchain that links
# the Native AOT Lambda functions (clang; for arm64 on x86-64 the cross C library and binutils, and qemu-user to run
# them) (Debian packages), the npm packages of package.json (among them DynamoDB Local,
# Redocly CLI and Stoplight Prism, which check the OpenAPI document), and the .NET packages.
# Safe to run again: it installs nothing that is already there.
set -euo pipefail
cd "$(dirname "$0")/../.."

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

missing=()
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || missing+=(postgresql)
command -v promtool >/dev/null || missing+=(prometheus)
command -v chromium >/dev/null || missing+=(chromium)
command -v chromedriver >/dev/null || missing+=(chromium-driver)
command -v clang >/dev/null || missing+=(clang)
if [ "$(uname -m)" = x86_64 ]; then
  command -v aarch64-linux-gnu-gcc >/dev/null || missing+=(gcc-aarch64-linux-gnu)
  command -v aarch64-linux-gnu-objcopy >/dev/null || missing+=(binutils-aarch64-linux-gnu)
  [ -e /usr/aarch64-linux-gnu/lib/libc.so.6 ] || missing+=(libc6-dev-arm64-cross)
  command -v qemu-aarch64-static >/dev/null || missing+=(qemu-user-static)
fi
command -v java >/dev/null || missing+=(openjdk-17-jre-headless)
command -v curl >/dev/null || missing+=(curl)

if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing Debian packages: ${missing[*]}"
  # The tests start throwaway clusters of their own: no system-wide cluster is wanted.
  as_root mkdir -p /etc/postgresql-common
  echo "create_main_cluster = false" | as_root tee /etc/postgresql-common/createcluster.conf >/dev/null
  # Nor a system-wide Prometheus: the tests start their own (tests/scripts/prometheus.sh). A policy-rc.d
  # that forbids starting services keeps the package's service from starting, on systemd and sysvinit alike.
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' | as_root tee /usr/sbin/policy-rc.d >/dev/null
    as_root chmod 755 /usr/sbin/policy-rc.d
    trap 'as_root rm -f /usr/sbin/policy-rc.d' EXIT
  fi
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  # The package enables its unit for the next boot; nothing here wants it then either.
  if [ -d /run/systemd/system ]; then
    as_root systemctl disable --now prometheus.service >/dev/null 2>&1 || true
  fi
fi

# The arm64 OpenSSL that .NET loads in the arm64 functions under qemu-user (for the tests only: the functions sign their
# DynamoDB requests with it). Debian installs arm64 libraries only on a machine set up for two architectures
# (multiarch), so the package matching this machine's OpenSSL is unpacked into .local/arm64-libs instead.
arm64_libs=.local/arm64-libs
if [ "$(uname -m)" = x86_64 ] && [ ! -e "$arm64_libs/usr/lib/aarch64-linux-gnu/libssl.so.3" ]; then
  openssl_package=$(dpkg-query -W -f='${Package}\n' 'libssl3*' | head -1)
  amd64_url=$(as_root apt-get install --reinstall --print-uris -qq "$openssl_package" | grep -o "'[^']*/${openssl_package}_[^']*_amd64.deb'" | tr -d "'" | head -1)
  arm64_url=${amd64_url/_amd64.deb/_arm64.deb}
  # Ubuntu serves arm64 from its ports archive.
  ports_url=$(echo "$arm64_url" | sed -E 's#^https?://[^/]+/ubuntu/#http://ports.ubuntu.com/ubuntu-ports/#')
  mkdir -p "$arm64_libs"
  curl -sSfL -o "$arm64_libs/openssl.deb" "$arm64_url" || curl -sSfL -o "$arm64_libs/openssl.deb" "$ports_url"
  dpkg-deb -x "$arm64_libs/openssl.deb" "$arm64_libs"
  rm "$arm64_libs/openssl.deb"
fi

if [ -f package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi

dotnet restore IotPlayground.sln --verbosity quiet
