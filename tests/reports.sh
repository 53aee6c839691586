#!/usr/bin/env bash
# Reports are views of the results file: JUnit that the JUnit schema accepts, Markdown, the Tracee-shaped
# call log, the same reports again from saved results, merged results from several runs; and results files
# of another version, truncated ones and merges with conflicting provenance are refused with the reason.
. "$(dirname "$0")/lib.sh"
XSD="$(dirname "$0")/junit.xsd"
targets=(-t native)
"$RUNNER" --list-targets | grep -q '^qemu-aarch64  available' && targets+=(-t qemu-aarch64)

"$RUNNER" "${targets[@]}" -f 'A1*' -f 'C*' -f D14 --progress off --json "$TMP/r.json" --junit "$TMP/r.xml" \
    --markdown "$TMP/r.md" --call-log "$TMP/calls.jsonl" --html "$TMP/r.html" >"$TMP/out" 2>&1; rc=$?
check "the run passes" test $rc -eq 0
check "the results file has a schema version" contains "$TMP/r.json" '"version": 1'
check "the results file carries provenance" contains "$TMP/r.json" '"suite_revision"'
if command -v xmllint >/dev/null; then
    check "the JUnit XML is valid against the JUnit schema" xmllint --noout --schema "$XSD" "$TMP/r.xml"
else
    echo "skip the schema check: xmllint (libxml2-utils) is not installed"
fi
check "one testsuite per target" test "$(grep -c "<testsuite " "$TMP/r.xml")" -eq $(( ${#targets[@]} / 2 ))
check "testcases are classed by area" contains "$TMP/r.xml" 'classname="semflg"'
check "the Markdown has the area x target matrix" contains "$TMP/r.md" "| area | native |"
calls=$(grep -o '"semflg": ' "$TMP/r.json" | wc -l)
check "the call log has one line per call ($calls)" test "$(wc -l < "$TMP/calls.jsonl")" -eq "$calls"
check "call log lines are Tracee's semget event" contains "$TMP/calls.jsonl" '"eventName":"semget"'
check "the event id is the ABI's semget number" contains "$TMP/calls.jsonl" '"eventId":"64"'

"$RUNNER" report "$TMP/r.json" --junit "$TMP/again.xml" --markdown "$TMP/again.md" --html "$TMP/again.html" >"$TMP/out" 2>&1; rc=$?
check "report renders from saved results" test $rc -eq 0
check "the same JUnit from saved results" cmp -s "$TMP/r.xml" "$TMP/again.xml"
check "the same Markdown from saved results" cmp -s "$TMP/r.md" "$TMP/again.md"

"$RUNNER" -t native-syscall -f 'A1*' --progress off --json "$TMP/other.json" >/dev/null 2>&1
"$RUNNER" report "$TMP/r.json" "$TMP/other.json" --json "$TMP/merged.json" --markdown "$TMP/merged.md" >"$TMP/out" 2>&1; rc=$?
check "results of several runs merge" test $rc -eq 0
check "the merged matrix has every target" contains "$TMP/merged.md" "native-syscall |"

"$RUNNER" report "$TMP/r.json" "$TMP/r.json" --markdown "$TMP/x.md" >"$TMP/out" 2>&1; rc=$?
check "a target in two files is refused" test $rc -eq 2
check "the conflict is explained" contains "$TMP/out" "conflicting provenance: target native is in both"
sed 's/"suite_revision": "[^"]*"/"suite_revision": "elsewhere"/' "$TMP/other.json" > "$TMP/rev.json"
"$RUNNER" report "$TMP/r.json" "$TMP/rev.json" --markdown "$TMP/x.md" >"$TMP/out" 2>&1; rc=$?
check "results of another suite revision are refused" test $rc -eq 2
check "the revisions are named" contains "$TMP/out" "from elsewhere; their rows are not comparable"

sed '0,/"version": 1/s//"version": 2/' "$TMP/r.json" > "$TMP/v2.json"
"$RUNNER" report "$TMP/v2.json" --markdown "$TMP/x.md" >"$TMP/out" 2>&1; rc=$?
check "another schema version is refused" test $rc -eq 2
check "the versions are named" contains "$TMP/out" "results schema version 2; this suite reads version 1"
head -c 5000 "$TMP/r.json" > "$TMP/cut.json"
"$RUNNER" report "$TMP/cut.json" --markdown "$TMP/x.md" >"$TMP/out" 2>&1; rc=$?
check "a truncated file is refused" test $rc -eq 2
check "it is called truncated or corrupt" contains "$TMP/out" "not valid JSON, truncated or corrupt"
echo '{"schema": "something-else", "version": 1}' > "$TMP/alien.json"
"$RUNNER" report "$TMP/alien.json" --markdown "$TMP/x.md" >"$TMP/out" 2>&1; rc=$?
check "a JSON file of another kind is refused" test $rc -eq 2
listed=$(grep -c '"outcome"' "$TMP/r.json")
check "every case is in the results ($listed)" test "$listed" -gt 20
finish
