#!/usr/bin/env bash
# Installs the HTTP load tool the benchmarks use (Debian's wrk).
set -euo pipefail
if ! command -v wrk >/dev/null; then
  apt-get update -qq && apt-get install -y -qq wrk >/dev/null
fi
