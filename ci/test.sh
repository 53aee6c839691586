#!/usr/bin/env bash
# Quick start 2: the project's own tests, every catalogue row and the harness tests, through ctest.
set -euo pipefail
cd "$(dirname "$0")/.."
SEMGET_DEPS=targets bash ci/build.sh default
ctest --preset default "$@"
