# Shared by the shell tests: where the build is, and assertions that say what they expected.
set -u
BUILD=${1:?usage: $0 BUILD_DIR}
RUNNER="$BUILD/semget-conformance"
FAKE="$BUILD/tests/fake-worker"
failures=0
check() {  # check DESCRIPTION COMMAND...
    local what=$1; shift
    if "$@"; then echo "ok   $what"; else echo "FAIL $what"; failures=$((failures + 1)); fi
}
contains() { grep -qF -- "$2" "$1" || { echo "  '$1' lacks: $2"; sed 's/^/  | /' "$1" | head -20; return 1; }; }
host_sets() { awk 'NR>1 {print $2}' /proc/sysvipc/sem | sort; }
host_limits() { tr -s ' \t' ' ' < /proc/sys/kernel/sem; }
our_cgroups() { ls -d /sys/fs/cgroup/memory/semget-conformance.* 2>/dev/null | wc -l; }
finish() { echo "$failures failure(s)"; [ "$failures" -eq 0 ]; }
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
