#!/usr/bin/env bash
# A worker that never gets ready, never says hello, speaks another version, crashes, hangs or writes garbage
# is reported as such: a setup error (exit 2) before any case, or error/timeout outcomes (exit 1) after;
# never a pass.
. "$(dirname "$0")/lib.sh"

# misbehaviour | exit status | what the runner must say
while IFS='|' read -r how status says; do
    start=$(date +%s%N)
    FAKE_WORKER=$how timeout 20 "$RUNNER" --worker "$FAKE" --worker-timeout 300 -f 'A*' --progress off >"$TMP/out" 2>&1
    rc=$?
    took=$(( ($(date +%s%N) - start) / 1000000 ))
    check "a worker that does '$how' is judged within its deadline (${took} ms)" test "$took" -lt 5000
    check "a worker that does '$how' exits $status" test $rc -eq "$status"
    check "a worker that does '$how' is explained" contains "$TMP/out" "$says"
    check "a worker that does '$how' passes nothing" grep -qE '^(0 passed|$)' <(grep -E 'passed' "$TMP/out" || echo)
done <<'TABLE'
noready|2|the worker exited without saying ready; it printed 'booting the fake kernel...
nohello|2|the worker exited without saying hello; it printed 'booting the fake kernel...
badversion|2|protocol version '9'
crash|1|the worker exited before reporting this case
hang|1|the worker finished no case for 300 ms
noise|1|the worker finished no case for 300 ms
endless|1|garbled: a line of
hung|1|garbled: the frame's status 'hung' is not one the protocol has
bindless|1|ERROR A1 IPC_PRIVATE creates a set
garbage|1|garbled: the frame's lines or checksum do not match
stray|1|unexpected line from the worker: 'this is not the protocol'
TABLE

# An --impl object that writes forged frames when loaded and on every call forges nothing: what it prints
# never reaches the runner, and its cases are judged on what the worker saw (each one a real pass).
"$RUNNER" --impl "$BUILD/tests/libforging-impl.so" -f A1 -f A4 -f A8 --progress off >"$TMP/out" 2>&1; rc=$?
check "an --impl object's forged frames change nothing (rc $rc)" test $rc -eq 0
check "its cases were judged, not forged" contains "$TMP/out" "3 passed, 0 failed"

# A wrapper whose --version hangs: the probe gives up after its 5 seconds and the run still passes.
start=$(date +%s)
timeout 60 "$RUNNER" --wrap "$(dirname "$0")/slow_version_wrapper.sh" -f A1 --progress off >"$TMP/out" 2>&1; rc=$?
check "a wrapper whose --version hangs does not hang the run (rc $rc, $(( $(date +%s) - start )) s)" \
    test $rc -eq 0 -a $(( $(date +%s) - start )) -lt 15

# A system without SysV IPC is not a failing implementation: every case is unsupported, and says why.
FAKE_WORKER=nosysv "$RUNNER" --worker "$FAKE" -f 'A*' --progress off >"$TMP/out" 2>&1; rc=$?
check "a system without SysV IPC does not fail the run" test $rc -eq 0
check "its cases are unsupported" contains "$TMP/out" "0 passed, 0 failed, 0 skipped"
check "and counted as such" grep -qE "[1-9][0-9]* unsupported" "$TMP/out"
check "with the reason" contains "$TMP/out" "semget reports ENOSYS on this target"
finish
