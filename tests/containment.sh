#!/usr/bin/env bash
# Nothing a target's process tree does reaches a process outside it. A sentinel shares the runner's session,
# process group and PID namespace, and must outlive: a wrapper that SIGKILLs every process it can name, and a
# run of user-mode-linux and the VM (where UML has killed the init of the PID namespace it ran in).
. "$(dirname "$0")/lib.sh"
[ "$(id -u)" -eq 0 ] || { echo "needs root for a PID namespace of its own"; exit 77; }
HERE="$(cd "$(dirname "$0")" && pwd)"

# Everything below runs as the init of a PID namespace of this test's, so a containment failure cannot reach
# the caller either; the sentinel is a sibling of the runner in that namespace.
inside() {
    unshare --pid --fork --mount-proc bash -c '
        sleep 600 & sentinel=$!
        "$@" >"$OUT" 2>&1; echo "rc=$?" >>"$OUT"
        sleep 1
        kill -0 $sentinel 2>/dev/null && echo "sentinel alive" >>"$OUT"
        kill $sentinel' inside "$@"
}
export OUT="$TMP/hostile"
inside "$RUNNER" --progress off -f 'A1*' -f E2.0400-on-0200 --wrap "$HERE/hostile_wrapper.sh"
check "a wrapper that kills every process it can name reaches no process outside its tree" contains "$OUT" "sentinel alive"
check "and its cases still ran" contains "$OUT" "0 failed"

export OUT="$TMP/uml"
if "$RUNNER" --list-targets | grep -q '^uml  available'; then
    inside "$RUNNER" --progress off -t uml -t vm-x86_64
    check "a uml and vm run leaves the processes around it alive" contains "$OUT" "sentinel alive"
    check "and passes" contains "$OUT" "rc=0"
else
    echo "skip: user-mode-linux is not installed, so only the wrapper was tried"
fi

# The same as an ordinary user: a session of its own (or a user+PID namespace) still keeps kill(-1) inside.
# The checkout may sit where uid 65534 cannot read: the user gets its own copy of what it runs.
export OUT="$TMP/user"
mkdir -p "$TMP/suite"
cp "$RUNNER" "$BUILD/semget-worker" "$BUILD/semget-reaper" "$HERE/hostile_wrapper.sh" "$TMP/suite/"
cp -r "$HERE/../fixtures" "$TMP/suite/fixtures"
chmod -R a+rX "$TMP"; chmod 0777 "$TMP"
F="$TMP/suite/fixtures"
inside setpriv --reuid 65534 --regid 65534 --clear-groups "$TMP/suite/semget-conformance" --tables "$F/tables" \
    --targets-dir "$F/targets" --expectations "$F/expectations" --progress off -f 'A1' \
    --wrap "$TMP/suite/hostile_wrapper.sh"
check "an unprivileged hostile wrapper reaches no process outside its tree" contains "$OUT" "sentinel alive"
check "not even the unprivileged runner that started it" contains "$OUT" "0 failed"
finish
