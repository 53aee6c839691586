#!/usr/bin/env bash
# Targets: each described target is listed with whether it can run; an unknown target is a usage error; a
# shared object without the symbols, a wrapper that cannot start, a worker that never answers and a VM that
# fails to boot each give an error with the reason while the run goes on with the other targets.
. "$(dirname "$0")/lib.sh"

"$RUNNER" --list-targets >"$TMP/out" 2>&1
for t in native native-syscall i386 i386-time64 i386-syscall qemu-aarch64 qemu-s390x qemu-ppc64le qemu-i386 qemu-i386-time64 uml vm-x86_64; do
    check "--list-targets lists $t" grep -q "^$t  " "$TMP/out"
done

"$RUNNER" -t nowhere >"$TMP/out" 2>&1; rc=$?
check "an unknown target exits 2" test $rc -eq 2
check "an unknown target is named" contains "$TMP/out" "unknown target 'nowhere'"

"$RUNNER" -f A8 -f A9 -t native --impl "$BUILD/tests/libnosym.so" --progress off >"$TMP/out" 2>&1; rc=$?
check "a shared object without semget/semctl fails the run" test $rc -eq 1
check "it says which symbols are missing" contains "$TMP/out" "does not define both semget and semctl"
check "the other target still ran" contains "$TMP/out" "native: 2 passed"

"$RUNNER" -f A8 -f A9 -t native --wrap /nonexistent/emulator --progress off >"$TMP/out" 2>&1; rc=$?
check "a wrapper that cannot start fails the run" test $rc -eq 1
check "the wrapper is named" contains "$TMP/out" "ERROR target wrap:emulator: /nonexistent/emulator is not installed"

printf '#!/bin/sh\nexec sleep 1000\n' > "$TMP/silent"; chmod +x "$TMP/silent"
"$RUNNER" -f A8 -f A9 -t native --wrap "$TMP/silent" --worker-timeout 500 --progress off >"$TMP/out" 2>&1; rc=$?
check "a worker that never answers fails the run" test $rc -eq 1
check "it is reported as silent" contains "$TMP/out" "the worker did not say ready within"
check "the other target still ran" contains "$TMP/out" "native: 2 passed"

# Expectations: a listed failure that passes is XPASS and fails the run; a listed one that fails is XFAIL.
mkdir "$TMP/expect"
printf 'target: native\nexpectations:\n  - {id: A8, outcome: fail, reason: listed on purpose, link: "tests/targets.sh"}\n' > "$TMP/expect/native.yaml"
"$RUNNER" -f A8 -f A9 --expectations "$TMP/expect" --progress off >"$TMP/out" 2>&1; rc=$?
check "an expected failure that passes fails the run" test $rc -eq 1
check "it is reported as XPASS" contains "$TMP/out" "XPASS A8"
if "$RUNNER" --list-targets | grep -q '^qemu-s390x  available'; then
    "$RUNNER" -t qemu-s390x -f C1 --progress off >"$TMP/out" 2>&1; rc=$?
    check "a listed divergence is XFAIL and does not fail the run" test $rc -eq 0
    check "it gives the listed reason" contains "$TMP/out" "XFAIL C1"
fi
printf 'target: native\nexpectations:\n  - {id: A8, outcome: fail, reason: no link}\n' > "$TMP/expect/native.yaml"
"$RUNNER" -f A8 --expectations "$TMP/expect" --progress off >"$TMP/out" 2>&1; rc=$?
check "an entry without its link is refused" test $rc -eq 2
check "the missing field is named" contains "$TMP/out" "native.yaml:3: field 'expectations[0].link'"

mkdir "$TMP/targets"
cp "$(dirname "$0")/../fixtures/targets/native.yaml" "$TMP/targets/"
cat > "$TMP/targets/badvm.yaml" <<YAML
name: badvm
description: a kernel that is not a kernel
worker: semget-worker
launch:
  initramfs: semget-initramfs.cpio.gz
  kernel: /etc/hostname
  boot: [qemu-system-x86_64, -accel, tcg, -m, 128M, -nographic, -no-reboot, -kernel, "{kernel}", -initrd, "{initramfs}"]
  boot_ms: 3000
YAML
if command -v qemu-system-x86_64 >/dev/null; then
    "$RUNNER" -f A8 -f A9 --targets-dir "$TMP/targets" -t badvm -t native --progress off >"$TMP/out" 2>&1; rc=$?
    check "a VM that fails to boot fails the run" test $rc -eq 1
    check "its boot failure is quoted" contains "$TMP/out" "ERROR target badvm: the worker"
    check "the other target still ran" contains "$TMP/out" "native: 2 passed"
else
    echo "skip the VM boot failure check: qemu-system-x86_64 is not installed"
fi
finish
