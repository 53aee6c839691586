#!/usr/bin/env bash
# The HTML report, rendered in headless Chromium as a person would see it: the matrix is drawn, the outcome
# filter hides what it should, a case's details open with expected against observed. The screenshot is kept
# as an artifact (BUILD/tests/report.png).
. "$(dirname "$0")/lib.sh"
command -v chromium >/dev/null || { echo "chromium is not installed (Debian: apt-get install chromium)"; exit 77; }
targets=(-t native)
"$RUNNER" --list-targets | grep -q '^qemu-aarch64  available' && targets+=(-t qemu-aarch64)
"$RUNNER" "${targets[@]}" --progress off --html "$TMP/r.html" --json "$TMP/r.json" >/dev/null 2>&1
browse() {  # browse HASH ARGS...: chromium headless on the report
    local hash=$1; shift
    chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking \
        --disable-component-update --disable-sync --user-data-dir="$TMP/profile" "$@" "file://$TMP/r.html#$hash" 2>/dev/null
}
browse "" --dump-dom > "$TMP/dom.html"
check "the matrix is drawn with a cell per area and target" contains "$TMP/dom.html" 'data-cell="semflg|native">8 pass</td>'
check "the totals line is drawn" contains "$TMP/dom.html" 'id="total-line"'
check "every case is listed" test "$(grep -o '<details' "$TMP/dom.html" | wc -l)" -eq "$(grep -o '"outcome":' "$TMP/r.json" | wc -l)"
browse "outcome=skip&open=H3" --dump-dom > "$TMP/skips.html"
shown=$(grep -o '<details [^>]*>' "$TMP/skips.html" | grep -vc 'hidden')
skips=$(grep -o '"outcome": "skip"' "$TMP/r.json" | wc -l)
check "the outcome filter shows only the $skips skipped cases ($shown shown)" test "$shown" -eq "$skips"
check "an opened case shows its reason" contains "$TMP/skips.html" "Reason: architecture x86_64 has no ipc(2) multiplexer"
if [ ${#targets[@]} -gt 2 ]; then
    browse "outcome=xfail&open=C4" --dump-dom > "$TMP/xfail.html"
    check "an xfail case shows expected against observed" contains "$TMP/xfail.html" "<td>0711</td><td>024551200711</td>"
fi
browse "outcome=fail,error,timeout,crash,xpass,xfail&open=C4" --window-size=1300,2000 --screenshot="$BUILD/tests/report.png" >/dev/null
check "a screenshot is kept" test -s "$BUILD/tests/report.png"
finish
