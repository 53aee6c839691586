#!/usr/bin/env bash
# Bad input on the command line and in the tables gets a clear message and exit status 2.
. "$(dirname "$0")/lib.sh"

"$RUNNER" --bogus >"$TMP/out" 2>&1; rc=$?
check "an unknown option exits 2" test $rc -eq 2
check "an unknown option is named" contains "$TMP/out" "--bogus"

"$RUNNER" --filter ZZ9 >"$TMP/out" 2>&1; rc=$?
check "a filter matching nothing exits 2" test $rc -eq 2
check "a filter matching nothing is named" contains "$TMP/out" "--filter 'ZZ9' matches no case"

"$RUNNER" --jobs 0 >"$TMP/out" 2>&1; rc=$?
check "a bad --jobs exits 2" test $rc -eq 2

mkdir "$TMP/tables"
printf 'area: create\ncases:\n  - id: A1\n    title: t\n    source: s\n    profile: posix\n    steps: []\n    colour: red\n' > "$TMP/tables/bad.yaml"
"$RUNNER" --tables "$TMP/tables" >"$TMP/out" 2>&1; rc=$?
check "a malformed table exits 2" test $rc -eq 2
check "a malformed table names file, line and field" contains "$TMP/out" "$TMP/tables/bad.yaml:8: field 'cases[0].colour': unknown field"

"$RUNNER" --worker /nonexistent/worker >"$TMP/out" 2>&1; rc=$?
check "a missing worker exits 2" test $rc -eq 2
check "a missing worker is named" contains "$TMP/out" "/nonexistent/worker"

"$RUNNER" -f A1 --json /nonexistent/dir/results.json >"$TMP/out" 2>&1; rc=$?
check "an unwritable results file exits 2" test $rc -eq 2
check "an unwritable results file is named" contains "$TMP/out" "cannot write /nonexistent/dir/results.json"

"$RUNNER" --list >"$TMP/out" 2>&1; rc=$?
check "--list exits 0" test $rc -eq 0
check "--list shows id and title" contains "$TMP/out" "A8  an existing key with IPC_CREAT|IPC_EXCL fails with EEXIST"
"$RUNNER" --list --filter permissions --filter EEXIST >"$TMP/out" 2>&1
check "filters select by area and by errno" contains "$TMP/out" "E3.other"
check "filters select by errno across areas" contains "$TMP/out" "G3  "

"$RUNNER" -f 'A1*' --json "$TMP/r.json" --progress off >"$TMP/out" 2>&1; rc=$?
check "a passing selection exits 0" test $rc -eq 0
check "the summary line is printed" contains "$TMP/out" "passed, 0 failed, 0 skipped"
check "the results file lists each case with its outcome" contains "$TMP/r.json" '"outcome": "pass"'
check "the results file carries expected and observed values" contains "$TMP/r.json" '"observed": {'

# A host-namespace run without a private place for its spool refuses to start, and says why.
if [ "$(id -u)" -eq 0 ]; then
    mkdir -p "$TMP/suite"; cp "$RUNNER" "$BUILD/semget-worker" "$BUILD/semget-reaper" "$TMP/suite/"
    cp -r "$(dirname "$0")/../fixtures" "$TMP/suite/"; chmod -R a+rX "$TMP"
    F="$TMP/suite/fixtures"
    env -u XDG_RUNTIME_DIR setpriv --reuid 65534 --regid 65534 --clear-groups "$TMP/suite/semget-conformance" \
        --tables "$F/tables" --targets-dir "$F/targets" --expectations "$F/expectations" --mode none -f A1 \
        --progress off >"$TMP/out" 2>&1; rc=$?
    check "a host-namespace run with no place for its spool is a setup error (rc $rc)" test $rc -eq 2
    check "it says what is missing" contains "$TMP/out" "XDG_RUNTIME_DIR is not set"
fi
finish
