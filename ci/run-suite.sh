#!/usr/bin/env bash
# Quick start 1: judge this machine's semget and write the results to out/. Extra arguments go to the runner.
set -euo pipefail
cd "$(dirname "$0")/.."
bash ci/build.sh default >/dev/null
mkdir -p out
exec build/default/semget-conformance --json out/results.json "$@"
