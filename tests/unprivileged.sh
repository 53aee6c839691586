#!/usr/bin/env bash
# As an ordinary user (uid 65534) the suite runs every row a user+IPC namespace can host, skips those that
# need a second real uid or root-only cgroups with the reason, and fails none.
. "$(dirname "$0")/lib.sh"
[ "$(id -u)" -eq 0 ] || { echo "needs root to become uid 65534"; exit 77; }
# The checkout may sit where uid 65534 cannot read: give it its own copy of the suite.
SRC="$(cd "$(dirname "$0")/.." && pwd)"
mkdir -p "$TMP/suite/cases"
cp "$RUNNER" "$BUILD/semget-worker" "$BUILD/semget-reaper" "$TMP/suite/"
cp "$BUILD/cases/semget-cases" "$TMP/suite/cases/"
cp -r "$SRC/fixtures" "$TMP/suite/fixtures"
chmod -R a+rX "$TMP"; chmod 0777 "$TMP"
RUNNER="$TMP/suite/semget-conformance"
F="$TMP/suite/fixtures"
as_nobody() { setpriv --reuid 65534 --regid 65534 --clear-groups "$@"; }

as_nobody "$RUNNER" --tables "$F/tables" --targets-dir "$F/targets" --expectations "$F/expectations" \
    --progress off --json "$TMP/user.json" >"$TMP/out" 2>&1; rc=$?
check "an unprivileged run passes" test $rc -eq 0
check "it ran in a user namespace" contains "$TMP/user.json" '"mode": "userns"'
check "rows that need a second uid are skipped and say so" contains "$TMP/out" "needs a second real uid"
check "no row failed" contains "$TMP/out" " 0 failed"
passed=$(grep -o '^[0-9]* passed' "$TMP/out" | cut -d' ' -f1)
check "most rows still ran ($passed passed)" test "${passed:-0}" -ge 80

as_nobody "$RUNNER" --tables "$F/tables" --targets-dir "$F/targets" --progress off --mode ipc -f A1 >"$TMP/out" 2>&1; rc=$?
check "asking for a namespace the user may not make is a setup error" test $rc -eq 2
check "the missing permission is named" contains "$TMP/out" "cannot-enter-mode-ipc"

SEMGET_MODE=userns SEMGET_TABLES="$F/tables" as_nobody "$TMP/suite/cases/semget-cases" "[row:D1]" >"$TMP/out" 2>&1; rc=$?
check "a ctest row that needs a second uid exits 77 as an ordinary user" test $rc -eq 77
finish
