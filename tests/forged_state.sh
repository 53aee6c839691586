#!/usr/bin/env bash
# Nothing another user can write changes what a root run does. A set of uid 1000 survives spool-shaped files
# of uid 65534 in /tmp (the names older versions used) and planted run folders; symlinks, FIFOs and
# /dev/zero links at those names are not followed, not blocked on and not read.
. "$(dirname "$0")/lib.sh"
[ "$(id -u)" -eq 0 ] || { echo "needs root: the run under attack is a root run"; exit 77; }
as() { local u=$1; shift; setpriv --reuid "$u" --regid "$u" --clear-groups "$@"; }

victim=$(as 1000 ipcmk -S 1 -p 0600 | awk '{print $NF}')
key=$(ipcs -s -i "$victim" | awk '/key=/{for(i=1;i<=NF;i++) if ($i ~ /^key=/) print substr($i,5)}')
precious=$(mktemp); echo "keep me" >"$precious"; chmod 0600 "$precious"
trap 'ipcrm -s "$victim" 2>/dev/null; rm -f "$precious" /tmp/semget-conformance.spool.99999[6-9].1; rm -rf "$TMP"' EXIT
sets_before=$(host_sets)

# A spool as older versions named it, written by uid 65534, naming the victim; a dead pid, a time long ago.
as 65534 sh -c "printf 'set %s %s\nkey %s\ncase -1\n' $victim $((key)) $((key)) > /tmp/semget-conformance.spool.999999.1"
ln -sf "$precious" /tmp/semget-conformance.spool.999998.1
mkfifo /tmp/semget-conformance.spool.999997.1 && chown 65534 /tmp/semget-conformance.spool.999997.1
ln -sf /dev/zero /tmp/semget-conformance.spool.999996.1
# Planted run folders under the suite's own root: another owner's, a symlink, a wrong mode, a FIFO as spool.
mkdir -p /run/semget-conformance && chmod 0700 /run/semget-conformance
mkdir -p /run/semget-conformance/run.FORGE1 && chown 65534 /run/semget-conformance/run.FORGE1
printf 'run since=0 token=FORGE1\nset %s %s 1000\n' "$victim" "$((key))" >/run/semget-conformance/run.FORGE1/spool
mkdir -p -m 0755 /run/semget-conformance/run.FORGE2
printf 'run since=0 token=FORGE2\nset %s %s 1000\n' "$victim" "$((key))" >/run/semget-conformance/run.FORGE2/spool
mkdir -p -m 0700 /run/semget-conformance/run.FORGE3 && mkfifo -m 0600 /run/semget-conformance/run.FORGE3/spool
mkdir -p -m 0700 /run/semget-conformance/run.FORGE4 && ln -sf /dev/zero /run/semget-conformance/run.FORGE4/spool
mkdir -p -m 0700 /run/semget-conformance/run.FORGE5
printf 'run since=0 token=FORGE5\nset %s %s 0\n' "$victim" "$((key))" >/run/semget-conformance/run.FORGE5/spool
chmod 0600 /run/semget-conformance/run.FORGE5/spool  # ours in form, but the victim's creator is not uid 0

for mode in auto none; do
    start=$(date +%s)
    timeout 60 "$RUNNER" --progress off --mode "$mode" -f A1 -f A4 >"$TMP/out" 2>&1; rc=$?
    check "a $mode run with planted files finishes ($rc) without blocking" test $rc -eq 0 -a $(( $(date +%s) - start )) -lt 20
done
check "the set of uid 1000 survives the forged spools" test -n "$(ipcs -s -i "$victim" 2>/dev/null)"
check "a planted symlink's target is not truncated or appended to" test "$(cat "$precious")" = "keep me"
check "the host's sets are as they were" test "$(host_sets)" = "$sets_before"
check "planted folders that are not the runner's own are left alone" test -d /run/semget-conformance/run.FORGE1 -a -d /run/semget-conformance/run.FORGE2
rm -rf /run/semget-conformance/run.FORGE*

# An --impl whose ids are its own names the victim's id for the set it made: a host-namespace run removes
# what it made through the implementation, and the kernel-level cleanup checks key, creator and time.
SEMGET_TEST_FOREIGN_ID=$victim timeout 60 "$RUNNER" --progress off --mode none -f A4 \
    --impl "$BUILD/tests/libforeign-id-impl.so" >"$TMP/out" 2>&1
check "an --impl with its own ids cannot make a host-namespace run remove a foreign set" \
    test -n "$(ipcs -s -i "$victim" 2>/dev/null)"
check "and the run removed the set it made" test "$(host_sets)" = "$sets_before"
finish
