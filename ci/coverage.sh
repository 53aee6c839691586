#!/usr/bin/env bash
# Coverage with LCOV (lines and branches):
#   out/coverage/suite/      the harness and the worker, exercised by the whole ctest run
#   out/coverage/impl/       a shared-object implementation built with --coverage (default: the faithful
#                            pass-through), exercised by one run of the suite against it (--impl)
# `ci/coverage.sh impl` redoes only the second; IMPL_SO, IMPL_SRC (a glob) and IMPL_OBJS name another object.
set -euo pipefail
cd "$(dirname "$0")/.."
what=${1:-all}   # all | impl
bash ci/build.sh coverage
B=build/coverage
rc="--rc lcov_branch_coverage=1"
mkdir -p out/coverage
if [ "$what" = all ]; then
lcov $rc --quiet --zerocounters --directory "$B"
ctest --preset coverage -E '^target\.' >/dev/null || true   # the suite's own tests exercise the harness
mkdir -p out/coverage
lcov $rc --quiet --capture --directory "$B" --output-file out/coverage/all.info
lcov $rc --quiet --extract out/coverage/all.info "$PWD/harness/*" "$PWD/cases/*" "$PWD/reports/*" \
    --output-file out/coverage/suite.info
genhtml $rc --quiet --branch-coverage --output-directory out/coverage/suite out/coverage/suite.info
echo "suite coverage:"; lcov $rc --summary out/coverage/suite.info 2>&1 | grep -E "lines|branches"
fi

impl=${IMPL_SO:-$(find "$B" -name 'libsemget-impl-passthrough.so' | head -1)}
impl_src=${IMPL_SRC:-$PWD/fixtures/impls/passthrough.c $PWD/fixtures/impls/impl.h}   # paths or globs of its sources
impl_objs=${IMPL_OBJS:-$B/fixtures/impls}   # where its .gcno/.gcda files are
if [ -n "$impl" ] && [ -f "$impl" ]; then
    find "$impl_objs" -name '*.gcda' -delete
    "$B/semget-conformance" --impl "$impl" --progress off > out/coverage/impl-run.txt || true
    lcov $rc --quiet --capture --directory "$impl_objs" --output-file out/coverage/impl-all.info
    # shellcheck disable=SC2086  # several patterns
    lcov $rc --quiet --extract out/coverage/impl-all.info $impl_src --output-file out/coverage/impl.info
    genhtml $rc --quiet --branch-coverage --output-directory out/coverage/impl out/coverage/impl.info
    echo "implementation coverage ($impl):"; lcov $rc --summary out/coverage/impl.info 2>&1 | grep -E "lines|branches"
else
    echo "no implementation built with coverage found (set IMPL_SO and IMPL_SRC to name one)"
fi
