#!/usr/bin/env bash
# Quick start 2: the project's own tests, every catalogue row and the harness tests, through ctest.
#   ci/test.sh [PRESET] [CTEST ARGS...]   PRESET: default (the default) or asan (ASan and UBSan builds)
set -euo pipefail
cd "$(dirname "$0")/.."
preset=default
case "${1:-}" in default|asan|coverage) preset=$1; shift ;; esac
SEMGET_DEPS=targets bash ci/build.sh "$preset"
ctest --preset "$preset" "$@"
