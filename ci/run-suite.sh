#!/usr/bin/env bash
# Quick start 1: judge this machine's semget and write the results and every report to out/ (results.json,
# junit.xml, report.html, summary.md, calls.jsonl). Extra arguments go to the runner (e.g. -t qemu-s390x).
set -euo pipefail
cd "$(dirname "$0")/.."
bash ci/build.sh default >/dev/null
mkdir -p out
exec build/default/semget-conformance --json out/results.json --junit out/junit.xml --html out/report.html \
    --markdown out/summary.md --call-log out/calls.jsonl "$@"
