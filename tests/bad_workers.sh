#!/usr/bin/env bash
# A worker that never says hello, speaks another version, crashes, hangs or writes garbage is reported as
# such: a setup error (exit 2) before any case, or error/timeout outcomes (exit 1) after; never a pass.
. "$(dirname "$0")/lib.sh"
run() { FAKE_WORKER=$1 "$RUNNER" --worker "$FAKE" --worker-timeout 300 -f 'A*' --progress off --json "$TMP/$1.json" >"$TMP/out" 2>&1; }

run noready; rc=$?
check "a worker that never gets ready is a setup error" test $rc -eq 2
check "its console output is quoted" contains "$TMP/out" "the worker exited without saying ready; it printed 'booting the fake kernel..."
run nohello; rc=$?
check "a worker without hello is a setup error" test $rc -eq 2
check "its output is quoted" contains "$TMP/out" "the worker exited without saying hello; it printed 'booting the fake kernel..."
run badversion; rc=$?
check "another protocol version is a setup error" test $rc -eq 2
check "the version is named" contains "$TMP/out" "protocol version '9'"
run crash; rc=$?
check "a crashed worker fails the run" test $rc -eq 1
check "its cases are errors" contains "$TMP/out" "the worker exited before reporting this case"
check "none of them passed" contains "$TMP/out" "0 passed"
run hang; rc=$?
check "a hung worker fails the run" test $rc -eq 1
check "its cases time out" contains "$TMP/out" "the worker sent nothing for 300 ms"
run garbage; rc=$?
check "a garbled frame fails the run" test $rc -eq 1
check "the frame is called garbled" contains "$TMP/out" "garbled: the frame's lines or checksum do not match"
run stray; rc=$?
check "a stray line fails the run" test $rc -eq 1
check "the stray line is quoted" contains "$TMP/out" "unexpected line from the worker: 'this is not the protocol'"
finish
