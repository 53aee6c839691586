#!/usr/bin/env bash
# Builds the libFuzzer targets (preset fuzz, clang) and runs each for SECONDS (default 20), starting from
# the seed corpora in tests/fuzz/corpus. A crash fails the script and leaves its input in build/fuzz/crashes;
# keep it in the corpus once fixed.   ci/fuzz.sh [SECONDS] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-20}; shift || true
targets=("$@"); [ ${#targets[@]} -gt 0 ] || targets=(frames plans table target expectations results)
command -v clang++ >/dev/null || { bash ci/deps.sh; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq clang >/dev/null; }
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz >/dev/null
mkdir -p build/fuzz/crashes
status=0
for t in "${targets[@]}"; do
    work=build/fuzz/corpus-$t
    mkdir -p "$work"
    start=$(date +%s)
    if build/fuzz/tests/fuzz/fuzz-$t -max_total_time="$seconds" -max_len=65536 -rss_limit_mb=2048 -timeout=10 \
        -artifact_prefix=build/fuzz/crashes/$t- "$work" tests/fuzz/corpus/$t >build/fuzz/$t.log 2>&1; then
        echo "fuzz $t: $(( $(date +%s) - start )) s, $(grep -c . <(ls "$work")) inputs in the corpus, no crash"
    else
        echo "fuzz $t: CRASH (build/fuzz/$t.log, input in build/fuzz/crashes/)"; tail -30 build/fuzz/$t.log; status=1
    fi
done
exit $status
