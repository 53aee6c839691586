#!/usr/bin/env bash
# Quick start 2: the project's own tests, every catalogue row and the harness tests, through ctest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash ci/build.sh default
ctest --preset default "$@"
