#!/usr/bin/env bash
# Crafted results files and tables are refused with exit 2 and a message naming the file (and for tables the
# line and field), within seconds and without exhausting memory: nothing aborts.
. "$(dirname "$0")/lib.sh"
# 4 GB: an input that makes the runner grow without bound fails here instead of swapping (not under ASan,
# whose shadow memory is reserved up front)
[ -n "${ASAN_OPTIONS:-}" ] || ulimit -v 4000000

good="$TMP/good.json"
"$RUNNER" --progress off -f A1 --json "$good" >/dev/null 2>&1
results() {  # results NAME EXPECTED-MESSAGE PYTHON-EXPRESSION-ON-d (or @TEXT for a literal file)
    local name=$1 says=$2 change=$3 f="$TMP/$1.json"
    if [ "${change:0:1}" = @ ]; then printf '%s' "${change:1}" >"$f"
    else python3 -c "import json,sys; d=json.load(open('$good')); $change; json.dump(d, open('$f','w'))"; fi
    timeout 20 "$RUNNER" report "$f" --html "$TMP/out.html" --junit "$TMP/out.xml" --markdown "$TMP/out.md" \
        --call-log "$TMP/out.jsonl" >"$TMP/out" 2>&1
    local rc=$?
    check "results '$name' exits 2 ($rc)" test $rc -eq 2
    check "results '$name' is explained" contains "$TMP/out" "$says"
}
results huge-version "number overflow parsing '1e400'" '@{"schema":"semget-conformance-results","version":1e400,"targets":[]}'
results big-version "results schema version 99999999999" '@{"schema":"semget-conformance-results","version":99999999999,"targets":[]}'
results deep "nested deeper than" "@$(python3 -c 'print("{\"schema\":\"semget-conformance-results\",\"version\":1,\"targets\":" + "["*100000 + "]"*100000 + "}")')"
results target-not-object "must be an object" "d['targets'][0] = 5"
results outcome-number "'outcome' has the wrong type" "d['targets'][0]['cases'][0]['outcome'] = 3"
results outcome-unknown "is not one the schema has" "d['targets'][0]['cases'][0]['outcome'] = 'great'"
results check-ok-string "'ok' has the wrong type" "d['targets'][0]['cases'][0]['checks'][0]['ok'] = 'yes'"
results call-pid-string "'pid' has the wrong type" "d['targets'][0]['cases'][0]['calls'][0]['pid'] = 'one'"
results provenance-list "'provenance.kernel_release' must be a string" "d['targets'][0]['provenance']['kernel_release'] = [1]"
results duration-string "'duration_ms' has the wrong type" "d['targets'][0]['cases'][0]['duration_ms'] = 'long'"

table() {  # table NAME EXPECTED-MESSAGE YAML
    local dir="$TMP/t-$1"; mkdir -p "$dir"; printf '%s\n' "$3" >"$dir/create.yaml"
    timeout 20 "$RUNNER" --tables "$dir" --list >"$TMP/out" 2>&1
    local rc=$?
    check "table '$1' exits 2 ($rc)" test $rc -eq 2
    check "table '$1' is explained" contains "$TMP/out" "$2"
}
row='area: create
cases:
  - id: A1
    title: t
    source: s
    profile: posix'
table repeat-huge "create.yaml:8: field 'cases[0].steps[0].semget.repeat': 100000000 is outside 1..100000" "$row
    steps:
      - semget: {key: private, nsems: 1, flags: 0600, repeat: 100000000}
        expect: {created: true}"
table repeat-overflow "field 'cases[0].steps[0].semget.repeat': '99999999999999999999' is not an integer" "$row
    steps:
      - semget: {key: private, nsems: 1, flags: 0600, repeat: 99999999999999999999}
        expect: {created: true}"
table timeout-zero "create.yaml:7: field 'cases[0].timeout_ms': 0 is outside 1..600000" "$row
    timeout_ms: 0
    steps:
      - semget: {key: private, nsems: 1, flags: 0600}
        expect: {created: true}"
table procs-huge "field 'cases[0].steps[0].race.procs': 100000 is outside 1..64" "$row
    steps:
      - race: {procs: 100000, rounds: 1, flags: IPC_CREAT|0600}
        expect: {winners: all}"
table given-nsems "field 'cases[0].given.sets.k1.nsems': 2000000 is outside 1..32000" "$row
    given:
      sets: {k1: {nsems: 2000000, mode: 0600}}
    steps:
      - semget: {key: k1, nsems: 1, flags: 0}
        expect: {same_as: k1}"
bomb="$row
    title: &a0 [x, x, x, x, x, x, x, x, x, x]"
for i in 1 2 3 4 5 6 7 8; do bomb="$bomb
    t$i: &a$i [*a$((i-1)), *a$((i-1)), *a$((i-1)), *a$((i-1)), *a$((i-1)), *a$((i-1)), *a$((i-1)), *a$((i-1)), *a$((i-1)), *a$((i-1))]"; done
table alias-bomb "field '(size)': expands to more than" "$bomb"
table deep-flow "field '(size)': nested deeper than" "$(python3 -c 'print("area: " + "["*5000 + "]"*5000)')"
table list-as-name "create.yaml:3: field 'cases[0].id': missing or not a scalar" "area: create
cases:
  - id: [A1]
    title: t"
# A target file whose value has the wrong YAML kind is refused the same way, not aborted on.
mkdir -p "$TMP/targets"
printf 'name: t\ndescription: d\nworker: semget-worker\nhosts: {namespaces: [1]}\n' >"$TMP/targets/t.yaml"
timeout 20 "$RUNNER" --targets-dir "$TMP/targets" --list-targets >"$TMP/out" 2>&1; rc=$?
check "a target with a list where a reason belongs exits 2 ($rc)" test $rc -eq 2
check "and names file, line and field" contains "$TMP/out" "t.yaml:4: field '(value)'"
finish
