#!/usr/bin/env bash
# Speed, measured in one run: (1) the full native catalogue's wall time; (2) the suite's per-case overhead
# against a bare loop of fork + unshare(CLONE_NEWIPC) + one semget + exit, and their ratio.
set -euo pipefail
cd "$(dirname "$0")/.."
bash ci/build.sh default >/dev/null
B=build/default
now() { date +%s%N; }
rounds=${ROUNDS:-5}
n=${CASES:-500}

best=""
for _ in $(seq "$rounds"); do
    t0=$(now); "$B/semget-conformance" --progress off >/dev/null; t1=$(now)
    ms=$(( (t1 - t0) / 1000000 ))
    [ -z "$best" ] || [ "$ms" -lt "$best" ] && best=$ms
done
total=$("$B/semget-conformance" --list | wc -l)
echo "full native catalogue: $total cases in ${best} ms wall (best of $rounds, --jobs $(nproc))"

# n copies of the cheapest case, run one at a time, against the same number of bare iterations.
tables=$(mktemp -d)
trap 'rm -rf "$tables"' EXIT
{
    echo "area: create"; echo "cases:"
    for i in $(seq "$n"); do
        echo "  - {id: X$i, title: overhead, source: none, profile: posix, steps: [{semget: {key: IPC_PRIVATE, nsems: 1, flags: 0600}, expect: {errno: EINVAL}}]}"
    done
} > "$tables/overhead.yaml"
one_case() { "$B/semget-conformance" --tables "$tables" -j 1 --progress off -f X1 >/dev/null || true; }
all_cases() { "$B/semget-conformance" --tables "$tables" -j 1 --progress off >/dev/null || true; }
suite_us=""; bare_us=""
for _ in $(seq "$rounds"); do
    t0=$(now); one_case; t1=$(now); all_cases; t2=$(now)
    per=$(( ((t2 - t1) - (t1 - t0)) / (n - 1) / 1000 ))
    [ -z "$suite_us" ] || [ "$per" -lt "$suite_us" ] && suite_us=$per
    b=$("$B/semget-bare-loop" "$n"); b=${b%.*}
    [ -z "$bare_us" ] || [ "$b" -lt "$bare_us" ] && bare_us=$b
done
echo "per-case overhead: suite ${suite_us} us, bare fork+unshare+semget+exit ${bare_us} us (best of $rounds, $n cases, -j 1)"
awk -v s="$suite_us" -v b="$bare_us" 'BEGIN { printf "ratio: %.2f (target: at most 3)\n", s / b }'

# Each other target's whole run, boot included, one at a time.
for t in $("$B/semget-conformance" --list-targets | awk '$2 == "available" {print $1}'); do
    [ "$t" = native ] && continue
    t0=$(now); "$B/semget-conformance" -t "$t" --progress off > "$tables/$t.out" 2>&1 || true; t1=$(now)
    printf '%-18s %6d ms  %s\n' "$t" $(( (t1 - t0) / 1000000 )) "$(tail -2 "$tables/$t.out" | tr '\n' ' ')"
done
