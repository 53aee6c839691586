#!/usr/bin/env bash
# Without namespaces (some containers) the suite runs in the host namespace with private keys, never
# changes limits, and removes exactly the sets it made.
. "$(dirname "$0")/lib.sh"
[ "$(id -u)" -eq 0 ] || { echo "needs root to compare every set on the host"; exit 77; }
foreign=$(ipcmk -S 2 -p 0644 | awk '{print $NF}')
trap 'ipcrm -s "$foreign" 2>/dev/null; rm -rf "$TMP"' EXIT
sets_before=$(host_sets); limits_before=$(host_limits)

"$RUNNER" --progress off --mode none --json "$TMP/none.json" >"$TMP/out" 2>&1; rc=$?
check "a host-namespace run passes" test $rc -eq 0
check "limit rows are skipped with the reason" contains "$TMP/out" "needs a private IPC namespace"
check "no limit changed" test "$(host_limits)" = "$limits_before"
check "no set was left behind and none was removed" test "$(host_sets)" = "$sets_before"
check "the foreign set is untouched" test -n "$(ipcs -s -i "$foreign" 2>/dev/null)"
finish
