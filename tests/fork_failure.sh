#!/usr/bin/env bash
# A fork() that fails is a setup that could not be made: the case is an error, never a fail, nothing outside
# the run is signalled, and the host is left as found. The run is held under a pids limit (cgroup v1 pids).
. "$(dirname "$0")/lib.sh"
[ "$(id -u)" -eq 0 ] || { echo "needs root for a pids cgroup"; exit 77; }
root=/sys/fs/cgroup/pids
[ -w "$root/cgroup.procs" ] || { echo "no writable cgroup v1 pids hierarchy here"; exit 77; }
cg="$root/semget-conformance-test.$$"
mkdir "$cg"
trap 'rmdir "$cg" 2>/dev/null; rm -rf "$TMP"' EXIT
sets_before=$(host_sets); limits_before=$(host_limits)

sleep 600 & sentinel=$!
for max in 4 5 6 7 8 10 14 18; do
    echo "$max" >"$cg/pids.max"
    # The runner and everything it starts are in the cgroup; the test's shell and the sentinel are not.
    sh -c 'echo $$ > "$1/cgroup.procs"; shift; exec "$@"' limit "$cg" \
        "$RUNNER" --progress off -j 1 -f A18.excl -f A18.creat -f A20 -f H2 -f E2.0400-on-0200 >"$TMP/out.$max" 2>&1
    echo "pids.max=$max rc=$?" >>"$TMP/out.$max"
    cat "$TMP/out.$max" >>"$TMP/all"
done
check "no case fails because a fork failed" bash -c "! grep -E '^FAIL ' '$TMP/all'"
for c in A18.excl A18.creat A20 E2.0400-on-0200; do
    check "$c: a fork that failed is an error that says so" grep -qE -A1 "^ERROR $c " "$TMP/all"
done
check "the errors name the failed fork" grep -qE 'setup broke: .*fork EAGAIN' "$TMP/all"
check "a worker that cannot fork its probes refuses to start, rather than guess the facts" grep -q 'probe-fork-failed-EAGAIN' "$TMP/all"
check "the sentinel outside the run survives" kill -0 "$sentinel"
kill "$sentinel"
check "the host is left as found" test "$(host_sets)" = "$sets_before" -a "$(host_limits)" = "$limits_before"
finish
