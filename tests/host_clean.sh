#!/usr/bin/env bash
# The host is left as found: no new semaphore set, no changed limit, no memory cgroup; a set the suite did
# not make survives; and all of that holds when a worker is killed mid-case or the runner is interrupted.
. "$(dirname "$0")/lib.sh"
[ "$(id -u)" -eq 0 ] || { echo "needs root to kill workers and read every set"; exit 77; }

foreign=$(ipcmk -S 1 -p 0600 | awk '{print $NF}')   # a set of someone else's, made by this test
trap 'ipcrm -s "$foreign" 2>/dev/null; rm -rf "$TMP"' EXIT
sets_before=$(host_sets); limits_before=$(host_limits)
same_host() {
    [ "$(host_sets)" = "$sets_before" ] && [ "$(host_limits)" = "$limits_before" ] && [ "$(our_cgroups)" -eq 0 ]
}

tmp_before=$(ls -d /tmp/semget-conformance.* 2>/dev/null | wc -l)
"$RUNNER" --progress off >"$TMP/out" 2>&1
check "a full run leaves the host as found" same_host
"$RUNNER" --progress off -t native -t uml -f 'A1*' >"$TMP/out" 2>&1
check "no scratch folder or spool is left in /tmp" test "$(ls -d /tmp/semget-conformance.* 2>/dev/null | wc -l)" -eq "$tmp_before"

"$RUNNER" --progress off --mode none >"$TMP/out" 2>&1
check "a host-namespace run leaves the host as found" same_host

descendants() { local c; for c in $(pgrep -P "$1"); do echo "$c"; descendants "$c"; done; }
kill_named() {  # kill_named NAME ROOT: SIGKILL the processes called NAME below ROOT (the worker sits under the reaper)
    local p hit=1
    for p in $(descendants "$2"); do [ "$(cat /proc/$p/comm 2>/dev/null)" = "$1" ] && kill -KILL "$p" && hit=0; done
    return $hit
}
kill_worker_during() {  # kill_worker_during MODE DELAY_MS FILTER...
    local mode=$1 delay=$2; shift 2
    "$RUNNER" --progress off --mode "$mode" "$@" >"$TMP/out" 2>&1 &
    local runner=$!
    # Wait for the worker to exist, then for the delay: a kill must land mid-run, not after it.
    for _ in $(seq 200); do [ -n "$(descendants "$runner")" ] && break; sleep 0.005; done
    sleep "0.$(printf '%03d' "$delay")"
    kill_named semget-worker "$runner" && echo "killed after $delay ms" >> "$TMP/landed.$mode"
    wait "$runner"
    cat "$TMP/out" >> "$TMP/all-kills"
}
for delay in 5 20 40 80 120; do
    kill_worker_during ipc "$delay" -j 1  # the whole catalogue, one case at a time: long enough to land in
done
check "killing the worker mid-case leaves the host as found" same_host
check "and the kills landed mid-run (ipc)" test "$(wc -l < "$TMP/landed.ipc" 2>/dev/null || echo 0)" -ge 2
for delay in 5 20 40 80 120; do
    kill_worker_during none "$delay" -j 1
done
check "killing a host-namespace worker mid-case leaves the host as found" same_host
check "and the kills landed mid-run (none)" test "$(wc -l < "$TMP/landed.none" 2>/dev/null || echo 0)" -ge 2
check "the runner reports the killed worker's cases" contains "$TMP/all-kills" "the worker exited before reporting this case"

no_run_folders() { [ -z "$(ls -A /run/semget-conformance 2>/dev/null)" ]; }
# Each stop signal, and a second SIGINT during the cleanup, in every isolation mode: the runner reports the
# signal it handled (a default death would print nothing) and leaves nothing behind.
for mode in ipc userns none; do
    for sig in INT TERM HUP QUIT INT+INT; do
        for try in 1 2 3 4 5 6 7 8; do  # the signal must land while the run is still going
            "$RUNNER" --progress off --mode "$mode" -f 'A18*' -f A20 -f A13 -f B3 -f D12 >"$TMP/out" 2>&1 &
            runner=$!
            sleep "0.0$try"
            kill -"${sig%%+*}" "$runner" 2>/dev/null
            [ "$sig" = INT+INT ] && { sleep 0.01; kill -INT "$runner" 2>/dev/null; }
            wait "$runner"; rc=$?
            grep -q "interrupted by signal" "$TMP/out" && break
        done
        check "SIG$sig in $mode mode is handled: the run says so and fails ($rc)" grep -q "interrupted by signal" "$TMP/out"
        want=$(( 128 + $(kill -l "${sig%%+*}") ))
        check "and exits $want, the status of the signal it handled (SIG$sig, $mode)" test "$rc" -eq "$want"
        check "an interrupted $mode run (SIG$sig) leaves the host as found" same_host
        check "and no run folder (SIG$sig, $mode)" no_run_folders
    done
done
# A runner killed outright cannot clean up; the next run undoes what its spool lists.
"$RUNNER" --progress off --mode none -f A13 -f B3 -f D12 -f A20 >"$TMP/out" 2>&1 &
runner=$!
sleep 0.03
kill -KILL "$runner"; wait "$runner" 2>/dev/null
sleep 0.2
"$RUNNER" --progress off -f A1 >"$TMP/out" 2>&1
check "the next run undoes what a killed runner left" same_host
check "the set this suite did not make survives" test -n "$(ipcs -s -i "$foreign" 2>/dev/null)"
finish
